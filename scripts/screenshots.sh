#!/usr/bin/env bash
# Usage: scripts/screenshots.sh [BINARY] [OUT_DIR]      (make screenshots)
# Takes the pictures of the user guide (docs/huong-dan-su-dung.md) from the
# real window, in Vietnamese, so that they show the program as it is:
# builds the Tân Lạc demo (`danvan dev tanlac`: sixteen communes that sent
# their batches to Ban Dân vận Huyện ủy Tân Lạc), adds this year's models
# and monthly tallies to xã Suối Hoa (`danvan dev seed models`), then opens
# Suối Hoa and the collecting office under Xvfb and photographs each main
# page, reached with its Ctrl+digit shortcut as a person would.
# Writes OUT_DIR (default docs/img)/<name>.png, one per entry of the lists
# below; each is checked to be a painted page that differs from the one
# before it (so a shortcut that no longer leads anywhere is caught).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-./danvan}")
out=${2:-docs/img}
mkdir -p "$out"
work=$(mktemp -d)
xpid="" app=""
cleanup() {
  [ -z "$app" ] || kill "$app" 2>/dev/null || true
  [ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in Xvfb xdotool import convert; do
  command -v $tool >/dev/null || { echo "screenshots: $tool is missing (make deps-test installs it)" >&2; exit 1; }
done

# The pages, in the order of the navigation (ui/registry.go orders them):
# name of the PNG, then the keys that lead to it. A page added before
# another moves its shortcut: update these lists with it.
commune_shots=(
  "tong-quan ctrl+1"
  "mo-hinh ctrl+2"
  "ho-so-tthc ctrl+3"
  "bao-cao ctrl+4"
  "trao-doi-du-lieu ctrl+5"
  "nhat-ky ctrl+6"
  "cai-dat ctrl+7"
  "mo-hinh-dang-ky ctrl+2 ctrl+n"   # the registration form, last: it keeps the focus
)
collector_shots=(
  "th-tong-quan ctrl+1"       # with the roll-up card
  "th-bao-cao ctrl+4"
  "th-don-vi ctrl+6"
  "th-hop-thu-den ctrl+7"
  "th-tinh-hinh-bao-cao ctrl+8"
)

# A home of its own: no remembered window size, the same pictures on every
# machine; Vietnamese, whatever the machine's language.
export HOME="$work/home" LANG=vi_VN.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$HOME"
echo "screenshots: building the demo data"
"$bin" dev tanlac --out "$work/tl" --merge >/dev/null
commune="$work/tl/SH" collector="$work/tl/BDVTL"
"$bin" --data "$commune" receipt import "$work"/tl/bien-nhan/*-receipt-SH-*.zip >/dev/null
"$bin" --data "$commune" dev seed models --count 36 --year "$(date +%Y)" >/dev/null

n=90; while [ -e /tmp/.X$n-lock ]; do n=$((n+1)); done
Xvfb :$n -screen 0 1280x800x24 >/dev/null 2>&1 & xpid=$!
export DISPLAY=:$n
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

window() { xdotool search --onlyvisible --name "Dân vận khéo" 2>/dev/null | head -1 || true; }

# shoot NAME FILE: the window alone, as a palette PNG (a few tens of KB
# instead of a few hundred; the interface has few colours).
shoot() {
  local wid; wid=$(window)
  import -window "$wid" "$work/raw.png"
  convert "$work/raw.png" -strip +dither -colors 128 -define png:compression-level=9 "$2"
}

photograph() { # data_dir shots…
  local data=$1; shift
  "$bin" --data "$data" >"$work/app.log" 2>&1 & app=$!
  local wid=""
  for _ in $(seq 120); do
    wid=$(window); [ -n "$wid" ] && break
    kill -0 $app 2>/dev/null || { cat "$work/app.log"; echo "screenshots: danvan exited before showing a window" >&2; exit 1; }
    sleep 0.25
  done
  [ -n "$wid" ] || { echo "screenshots: no window after 30 s" >&2; exit 1; }
  sleep 3
  local prev="" entry name keys k f
  for entry in "$@"; do
    name=${entry%% *} keys=${entry#* }
    wid=$(window)
    xdotool windowactivate --sync "$wid" >/dev/null 2>&1 || xdotool windowfocus --sync "$wid" >/dev/null 2>&1 || true
    for k in $keys; do xdotool key --clearmodifiers "$k"; sleep 0.4; done
    sleep 2 # pages load in the background
    f="$out/$name.png"
    shoot "$name" "$f"
    local colours; colours=$(convert "$f" -format '%k' info:)
    [ "$colours" -gt 20 ] || { echo "screenshots: $f is blank ($colours colours)" >&2; exit 1; }
    if [ -n "$prev" ] && [ "$(compare -metric AE "$prev" "$f" null: 2>&1 || true)" = 0 ]; then
      echo "screenshots: $f is the same picture as $prev: did $keys lead anywhere?" >&2; exit 1
    fi
    prev=$f
    echo "screenshots: $f ($(du -k "$f" | cut -f1) KB)"
  done
  xdotool key --clearmodifiers ctrl+q; sleep 1
  kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; app=""
  grep -qiE 'panic|fatal error' "$work/app.log" && { cat "$work/app.log"; echo "screenshots: panic in the log" >&2; exit 1; }
  return 0
}

photograph "$commune" "${commune_shots[@]}"
photograph "$collector" "${collector_shots[@]}"

# A commune that has enrolled no collecting office yet: its exchange page
# warns, in words, that its batches would go in clear (issue 16).
clear_commune="$work/xb"
printf 'mật khẩu ký 2026' >"$work/pass.txt"
"$bin" --data "$clear_commune" init --office-name "UBND xã Bưa" --office-code XB --kind xa --role commune \
  --collector-name "Ban Dân vận Huyện ủy Tân Lạc" --passphrase-file "$work/pass.txt" >/dev/null
"$bin" --data "$clear_commune" dev seed models --count 12 --year "$(date +%Y)" >/dev/null
photograph "$clear_commune" "trao-doi-chua-ma-hoa ctrl+5"
