#!/usr/bin/env bash
# Smoke test of the real binary: start it under Xvfb on a fresh data folder,
# wait for its window, take a screenshot and check it is not blank, close the
# window with Ctrl+Q, and require exit 0 and no panic in its log. Then the
# same on a folder set up with `danvan init`, which must open on the shell.
set -euo pipefail
bin=$(realpath "${1:-./danvan}")
work=$(mktemp -d)
trap 'kill $xpid 2>/dev/null || true; rm -rf "$work"' EXIT

n=90; while [ -e /tmp/.X$n-lock ]; do n=$((n+1)); done
Xvfb :$n -screen 0 1280x800x24 >/dev/null 2>&1 & xpid=$!
export DISPLAY=:$n
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

check_window() { # name data_dir
  local name=$1 data=$2 log="$work/$1.log" shot="$work/$1.png"
  "$bin" --data "$data" >"$log" 2>&1 & local app=$!
  local wid=""
  for _ in $(seq 120); do
    wid=$(xdotool search --onlyvisible --name "Dân vận khéo" 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    kill -0 $app 2>/dev/null || { cat "$log"; echo "smoke($name): the program exited before showing a window"; exit 1; }
    sleep 0.25
  done
  [ -n "$wid" ] || { cat "$log"; echo "smoke($name): no window after 30 s"; exit 1; }
  sleep 2
  import -window root "$shot"
  local colours
  colours=$(convert "$shot" -format '%k' info:)
  [ "$colours" -gt 20 ] || { echo "smoke($name): the screenshot is blank ($colours colours)"; exit 1; }
  # Close it as a person would, with Ctrl+Q. The window id is looked up
  # again on each try: GLFW may replace the X window it first mapped.
  local rc=0 try
  for try in 1 2 3 4 5; do
    wid=$(xdotool search --onlyvisible --name "Dân vận khéo" 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && { xdotool windowactivate --sync "$wid" >/dev/null 2>&1 || true; xdotool key --window "$wid" ctrl+q >/dev/null 2>&1 || true; }
    for _ in $(seq 20); do kill -0 $app 2>/dev/null || break; sleep 0.25; done
    kill -0 $app 2>/dev/null || break
  done
  if kill -0 $app 2>/dev/null; then
    echo "smoke($name): Ctrl+Q did not close the window; sending SIGTERM"
    kill -TERM $app
  fi
  wait $app || rc=$?
  if grep -qiE 'panic|fatal error|data race' "$log"; then cat "$log"; echo "smoke($name): panic in the log"; exit 1; fi
  [ "$rc" -eq 0 ] || { cat "$log"; echo "smoke($name): exit code $rc"; exit 1; }
  echo "smoke($name): window shown ($colours colours), closed cleanly"
  [ -z "${SMOKE_KEEP:-}" ] || cp "$shot" "$SMOKE_KEEP-$name.png"
}

check_window fresh "$work/fresh"
"$bin" --data "$work/thu" init --office-name "UBND xã Suối Hoa" --office-code SH --kind xa \
  --role commune --collector-name "Ban Dân vận Huyện ủy Tân Lạc" >/dev/null
check_window setup "$work/thu"
