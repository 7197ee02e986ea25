#!/usr/bin/env bash
# Usage: scripts/smoke-windows.sh build/danvan.exe
# Smoke test of the Windows build under Wine and Xvfb, in a throw-away Wine
# prefix (so a cold start each time, as on a new PC):
#   1. danvan.exe version prints the version of FyneApp.toml;
#   2. the installer beside it (danvan-VERSION-setup.exe /S) refuses
#      Windows 7, and on Windows 10 installs the program and its Start-menu
#      and desktop shortcuts;
#   3. the installed danvan.exe init sets up %AppData%\danvan;
#   4. the window paints, both on a fresh folder (the first-run form) and on
#      the folder just set up (the shell): a screenshot that is not blank;
#   5. the uninstaller removes the program and shortcuts and keeps the data;
#   6. the portable zip holds a danvan.exe that starts.
# SMOKE_KEEP=PREFIX keeps the screenshots as PREFIX-fresh.png, PREFIX-setup.png.
# SMOKE_WINE_KEEP=1 keeps the Wine prefix and logs, and says where.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$(realpath "${1:?usage: scripts/smoke-windows.sh build/danvan.exe}")
dir=$(dirname "$exe")
version=$(sed -n 's/^Version = "\(.*\)"$/\1/p' FyneApp.toml)
appname=$(sed -n 's/^Name = "\(.*\)"$/\1/p' FyneApp.toml)
setup="$dir/danvan-$version-setup.exe"
zipfile="$dir/danvan-$version-windows.zip"
for f in "$setup" "$zipfile"; do [ -f "$f" ] || { echo "smoke-windows: $f is missing (make windows writes it)" >&2; exit 1; }; done
command -v wine >/dev/null || { echo "smoke-windows: wine is missing (make deps-test installs it)" >&2; exit 1; }

work=$(mktemp -d)
xpid=""
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  [ -z "$xpid" ] || kill "$xpid" 2>/dev/null || true
  [ -n "${SMOKE_WINE_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
# A home of its own, so that Wine links no shell folder to the real
# ~/Desktop and writes no menu entry into ~/.local; no Mono or Gecko
# download prompts; no Wine debug chatter.
mkdir -p "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"

n=90; while [ -e /tmp/.X$n-lock ]; do n=$((n+1)); done
Xvfb :$n -screen 0 1280x800x24 >/dev/null 2>&1 & xpid=$!
export DISPLAY=:$n
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

start=$SECONDS
step() { echo "smoke-windows: $* ($((SECONDS - start)) s)"; }
fail() { echo "smoke-windows: $*" >&2; exit 1; }

wineboot --init >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; fail "wineboot failed"; }
wineserver -w
sys32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$sys32" ] || fail "wineboot made no prefix"
step "Wine prefix ready ($(wine --version 2>/dev/null))"

# Go programs need bcryptprimitives.dll's ProcessPrng, which Wine 8.0 does
# not have (Windows 10 does). Only then, a stand-in built from
# scripts/wine/processprng.c goes into this prefix's System32: the Go
# runtime loads the DLL from System32 only, so it cannot sit beside the .exe.
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -s -shared -Wl,--kill-at -o "$sys32/bcryptprimitives.dll" \
    scripts/wine/processprng.c -ladvapi32
  step "this Wine has no bcryptprimitives.dll: test stand-in for ProcessPrng installed"
fi

user=$(wine cmd /c 'echo %USERNAME%' 2>/dev/null | tr -d '\r')
profile="$WINEPREFIX/drive_c/users/$user"
[ -d "$profile" ] || fail "no profile folder for Wine user $user"

# 1. version
out=$(wine "$exe" version 2>"$work/version.err") || { cat "$work/version.err"; fail "danvan.exe version failed"; }
out=${out//$'\r'/}
[[ $out == *"$version"* ]] || { cat "$work/version.err"; fail "danvan.exe version printed \"$out\", not $version"; }
step "danvan.exe version: $out"

# 2. the installer, silently, as the current user. First as Windows 7,
# where it must refuse (exit 2, nothing written): Go 1.26 programs do not
# start there. Then as Windows 10.
winver() { wine reg add 'HKCU\Software\Wine' /v Version /d "$1" /f >/dev/null 2>&1; wineserver -w; }
instdir="$profile/AppData/Local/Programs/danvan"
winver win7
rc=0; wine "$setup" /S >"$work/setup7.log" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { cat "$work/setup7.log"; fail "the installer on Windows 7 exited $rc, not 2 (refused)"; }
[ ! -e "$instdir" ] || fail "the installer on Windows 7 wrote $instdir"
step "installer on Windows 7: refused"
winver win10
wine "$setup" /S >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; fail "the installer failed"; }
wineserver -w
[ -f "$instdir/danvan.exe" ] || fail "the installer wrote no $instdir/danvan.exe"
cmp -s "$instdir/danvan.exe" "$exe" || fail "the installed danvan.exe differs from $exe"
[ -f "$instdir/uninstall.exe" ] || fail "the installer wrote no uninstaller"
lnk_menu="$profile/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/$appname.lnk"
lnk_desk="$profile/Desktop/$appname.lnk"
[ -f "$lnk_menu" ] || fail "the installer made no Start-menu shortcut $lnk_menu"
[ -f "$lnk_desk" ] || fail "the installer made no desktop shortcut $lnk_desk"
installed="C:\\users\\$user\\AppData\\Local\\Programs\\danvan\\danvan.exe"
step "installer: program, uninstaller, Start-menu and desktop shortcuts"

# 3. init on the default data folder, %AppData%\danvan
data="$profile/AppData/Roaming/danvan"
[ ! -e "$data" ] || fail "$data exists before init"
wine "$installed" init --office-name "UBND xã Suối Hoa" --office-code SH --kind xa \
  --role commune --collector-name "Ban Dân vận Huyện ủy Tân Lạc" >"$work/init.log" 2>&1 ||
  { cat "$work/init.log"; fail "danvan.exe init failed"; }
[ -s "$data/danvan.db" ] || { cat "$work/init.log"; fail "init wrote no $data/danvan.db"; }
step "init: $(tr -d '\r' <"$work/init.log")"

# 4. the window, on a fresh folder and on the one just set up
check_window() { # name [danvan arguments…]
  local name=$1; shift
  local log="$work/$name.log" shot="$work/$name.png"
  wine "$installed" "$@" >"$log" 2>&1 & local app=$!
  local wid=""
  for _ in $(seq 240); do
    wid=$(xdotool search --onlyvisible --name "Dân vận khéo" 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    kill -0 $app 2>/dev/null || { cat "$log"; fail "window($name): the program exited before showing a window"; }
    sleep 0.25
  done
  [ -n "$wid" ] || { cat "$log"; fail "window($name): no window after 60 s"; }
  # Fyne paints the first frame after the window maps; under Wine's GL
  # (Mesa's software renderer on Xvfb) that takes a few seconds.
  # Anti-aliased text gives hundreds of colours; an unpainted GL window is
  # one flat colour (black, white or left-over) on the black screen.
  local colours sd
  for _ in $(seq 20); do
    sleep 1
    import -window root "$shot"
    read -r colours sd < <(convert "$shot" -format '%k %[fx:standard_deviation]\n' info:)
    [ "$colours" -gt 100 ] && break
  done
  [ -z "${SMOKE_KEEP:-}" ] || cp "$shot" "$SMOKE_KEEP-$name.png"
  [ "$colours" -gt 100 ] || fail "window($name): the screenshot is blank ($colours colours)"
  awk -v d="$sd" 'BEGIN { exit !(d > 0.05) }' || fail "window($name): the screenshot is flat (deviation $sd): nothing painted"
  # Close it as a person would, with Ctrl+Q.
  local try
  for try in 1 2 3 4 5; do
    wid=$(xdotool search --onlyvisible --name "Dân vận khéo" 2>/dev/null | head -1 || true)
    # Xvfb has no window manager: give the window the input focus
    # (XSetInputFocus) and press the keys through XTEST, as a keyboard
    # would. Keys sent with --window are synthetic events, which Wine
    # sometimes drops.
    if [ -n "$wid" ]; then
      xdotool mousemove --window "$wid" 12 8 click 1 >/dev/null 2>&1 || true
      xdotool windowfocus --sync "$wid" >/dev/null 2>&1 || true
      sleep 0.3
      if [ "$try" -le 3 ]; then
        xdotool key ctrl+q >/dev/null 2>&1 || true
      else
        xdotool key --window "$wid" ctrl+q >/dev/null 2>&1 || true
      fi
    fi
    for _ in $(seq 20); do kill -0 $app 2>/dev/null || break; sleep 0.25; done
    kill -0 $app 2>/dev/null || break
  done
  local rc=0
  if kill -0 $app 2>/dev/null; then
    echo "smoke-windows: window($name): Ctrl+Q did not close it; stopping Wine"
    wineserver -k >/dev/null 2>&1 || true
  fi
  wait $app || rc=$?
  if grep -qiE 'panic|fatal error' "$log"; then cat "$log"; fail "window($name): panic in the log"; fi
  [ "$rc" -eq 0 ] || { cat "$log"; fail "window($name): exit code $rc"; }
  step "window($name): painted ($colours colours), closed with Ctrl+Q (press $try)"
}
check_window fresh --data 'C:\danvan-moi'
check_window setup

# 5. the uninstaller keeps the data folder. _?= runs it in place, so that
# wine waits for it.
wine "$instdir/uninstall.exe" /S "_?=C:\\users\\$user\\AppData\\Local\\Programs\\danvan" >"$work/uninst.log" 2>&1 ||
  { cat "$work/uninst.log"; fail "the uninstaller failed"; }
wineserver -w
[ ! -e "$instdir/danvan.exe" ] || fail "the uninstaller left $instdir/danvan.exe"
[ ! -e "$lnk_menu" ] || fail "the uninstaller left the Start-menu shortcut"
[ ! -e "$lnk_desk" ] || fail "the uninstaller left the desktop shortcut"
[ -s "$data/danvan.db" ] || fail "the uninstaller removed the data folder $data"
step "uninstaller: program and shortcuts gone, %AppData%\\danvan kept"

# 6. the portable zip
mkdir "$work/portable"
unzip -q "$zipfile" -d "$work/portable"
cmp -s "$work/portable/danvan/danvan.exe" "$exe" || fail "the zip's danvan/danvan.exe differs from $exe"
out=$(wine "$work/portable/danvan/danvan.exe" version 2>/dev/null | tr -d '\r')
[[ $out == *"$version"* ]] || fail "the zip's danvan.exe version printed \"$out\""
step "portable zip: danvan/danvan.exe starts"
echo "smoke-windows: passed in $((SECONDS - start)) s"
