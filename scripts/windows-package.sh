#!/usr/bin/env bash
# Usage: scripts/windows-package.sh build/danvan.exe VERSION
# Beside the .exe, writes what an office is given:
#   danvan-VERSION-setup.exe        the installer (NSIS, packaging/windows/danvan.nsi)
#   danvan-VERSION-windows.zip      the portable copy: unzip anywhere and run danvan.exe
# Both carry the Tinos font licence, since the fonts are embedded in the .exe.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$(realpath "${1:?usage: scripts/windows-package.sh EXE VERSION}")
version=${2:?usage: scripts/windows-package.sh EXE VERSION}
build=$(sed -n 's/^Build = \([0-9]*\)$/\1/p' FyneApp.toml)
icon=$(sed -n 's/^Icon = "\(.*\)"$/\1/p' FyneApp.toml)
out=$(dirname "$exe") # absolute, like $exe
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in makensis zip unzip convert; do
  command -v $tool >/dev/null || { echo "windows-package: $tool is missing (make deps-test installs it)" >&2; exit 1; }
done

# The installer's own icon, in the sizes Windows shows.
convert "$icon" -define icon:auto-resize=256,48,32,16 "$work/danvan.ico"

setup="$out/danvan-$version-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 \
  -DVERSION="$version" -DFILEVERSION="$version.${build:-0}" \
  -DEXE="$exe" -DICON="$work/danvan.ico" -DLICENSE="$PWD/assets/fonts/LICENSE-Tinos.txt" \
  -DOUT="$setup" \
  packaging/windows/danvan.nsi
file "$setup" | grep -q 'PE32+ executable (GUI) x86-64' || { file "$setup"; echo "windows-package: $setup is not a Windows program" >&2; exit 1; }

# The zip holds one folder, so unzipping it does not scatter files.
zipname="$out/danvan-$version-windows.zip"
mkdir "$work/danvan"
cp "$exe" "$work/danvan/danvan.exe"
cp assets/fonts/LICENSE-Tinos.txt "$work/danvan/"
rm -f "$zipname"
(cd "$work" && zip -q -9 -r "$zipname" danvan)
unzip -tq "$zipname" >/dev/null

size() { du -h "$1" | cut -f1; }
echo "$setup: installer ($(size "$setup"))"
echo "$zipname: portable zip ($(size "$zipname"))"
