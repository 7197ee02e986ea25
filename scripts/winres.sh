#!/usr/bin/env bash
# Usage: scripts/winres.sh OUT_DIR
# Writes OUT_DIR/winres.json from FyneApp.toml and turns it into
# rsrc_windows_amd64.syso in the repository root, which `go build` links into
# the Windows executable only (the _windows_amd64 suffix keeps it out of every
# other build). The .exe then carries what `fyne package` would give it: the
# icon Explorer shows, the version details of File → Properties, and an
# application manifest (identity, Windows 10 and later, per-monitor DPI
# awareness so text stays sharp on scaled screens, common controls v6).
# The .syso is generated, never committed: FyneApp.toml stays the one place
# the name and version are written.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/winres.sh OUT_DIR}
GO=${GO:-go}
WINRES_VERSION=v0.3.3

toml() { sed -n "s/^$1 = \"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" FyneApp.toml | head -1; }
name=$(toml Name) id=$(toml ID) version=$(toml Version) build=$(toml Build) icon=$(toml Icon)
for v in name id version build icon; do
  [ -n "${!v}" ] || { echo "winres: FyneApp.toml has no $v" >&2; exit 1; }
done
# Windows wants four numbers: Version from FyneApp.toml, then Build.
full="$version.$build"
[[ $full =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "winres: version $full is not a.b.c.d" >&2; exit 1; }

mkdir -p "$out"
rel=$(realpath --relative-to="$out" "$icon")
# One string table in Vietnamese (042A), the officers' language, and one in
# English (0409), which Windows falls back to.
info() { # lang description
  cat <<EOF
          "$1": {
            "FileDescription": "$2",
            "ProductName": "$name",
            "CompanyName": "danvan",
            "LegalCopyright": "danvan",
            "InternalName": "danvan",
            "OriginalFilename": "danvan.exe",
            "FileVersion": "$full",
            "ProductVersion": "$version"
          }
EOF
}
cat >"$out/winres.json" <<EOF
{
  "RT_GROUP_ICON": { "APP": { "0000": "$rel" } },
  "RT_MANIFEST": {
    "#1": {
      "0409": {
        "identity": { "name": "$id", "version": "$full" },
        "description": "$name",
        "minimum-os": "win10",
        "execution-level": "as invoker",
        "dpi-awareness": "per monitor v2",
        "long-path-aware": true,
        "use-common-controls-v6": true
      }
    }
  },
  "RT_VERSION": {
    "#1": {
      "0000": {
        "fixed": { "file_version": "$full", "product_version": "$full" },
        "info": {
$(info 042A "$name — quản lý mô hình Dân vận khéo và hồ sơ TTHC"),
$(info 0409 "$name — Dân vận khéo models and administrative-procedure tallies")
        }
      }
    }
  }
}
EOF
"$GO" run "github.com/tc-hib/go-winres@$WINRES_VERSION" make \
  --in "$out/winres.json" --out rsrc --arch amd64
[ -s rsrc_windows_amd64.syso ] || { echo "winres: rsrc_windows_amd64.syso was not written" >&2; exit 1; }
