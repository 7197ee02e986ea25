#!/usr/bin/env bash
# An officer's day in the real window, with real mouse clicks and keys, on a
# 1024×768 screen (Xvfb), then the collecting office's. It fails when the
# program dies, when its log has a panic, or when what the clicks should
# have stored is not there (checked afterwards with the command line).
#
#   commune: first-run set-up with one mistake corrected, log in, register a
#            model choosing its field and body from the drop-downs with the
#            mouse, enter a month of tallies, print a report, export a batch
#   collector: enroll the commune from its file, import the batch folder,
#            print the roll-up
#
# The window opens at its first-run size (1000×680) in a fresh HOME, so the
# positions below are the same on every machine. JOURNEY_SHOTS=DIR keeps a
# screenshot of every step there, to look at when a step fails.
# Usage: scripts/journey.sh [BINARY]
set -euo pipefail
bin=$(realpath "${1:-./danvan}")
work=$(mktemp -d)
shots=${JOURNEY_SHOTS:-$work/shots}
mkdir -p "$shots"
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xpid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

n=90; while [ -e /tmp/.X$n-lock ]; do n=$((n+1)); done
Xvfb :$n -screen 0 1024x768x24 >/dev/null 2>&1 & xpid=$!
export DISPLAY=:$n
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
export LANG=vi_VN.UTF-8 LC_ALL=C.UTF-8

step=0
fail() {
  echo "journey: $*" >&2
  [ -n "$app" ] && import -window root "$shots/failed.png" 2>/dev/null || true
  [ -f "$work/app.log" ] && tail -20 "$work/app.log" >&2
  [ -n "${JOURNEY_SHOTS:-}" ] || echo "journey: set JOURNEY_SHOTS=DIR to keep the screenshots" >&2
  exit 1
}
alive() { [ -n "$app" ] && kill -0 "$app" 2>/dev/null; }
shot() { # NAME: a picture of this step, and the program must still run
  step=$((step + 1))
  import -window root "$shots/$(printf %02d $step)-$1.png" 2>/dev/null || true
  alive || fail "the program died at step $step ($1)"
  if grep -qiE 'panic|fatal error|data race' "$work/app.log"; then fail "panic in the log at step $step ($1)"; fi
}
click() { xdotool mousemove "$1" "$2" click 1; sleep 0.5; }
key() { for k in "$@"; do xdotool key "$k"; sleep 0.3; done; sleep 0.4; }
typ() { xdotool type --delay 25 "$1"; sleep 0.3; }
wheel() { xdotool mousemove 950 300; for _ in $(seq "$1"); do xdotool click 5; sleep 0.03; done; sleep 0.5; }

start() { # DATA_DIR HOME: the window, waited for
  HOME=$2 "$bin" --data "$1" >"$work/app.log" 2>&1 & app=$!
  local wid=""
  for _ in $(seq 120); do
    wid=$(xdotool search --onlyvisible --name "Dân vận khéo" 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    alive || fail "the program exited before showing a window"
    sleep 0.25
  done
  [ -n "$wid" ] || fail "no window after 30 s"
  sleep 2.5
}
quit() { # Ctrl+Q, and a clean exit
  key ctrl+q
  for _ in $(seq 40); do alive || break; sleep 0.25; done
  alive && fail "Ctrl+Q did not close the window"
  local rc=0; wait "$app" || rc=$?
  app=""
  [ "$rc" -eq 0 ] || fail "exit code $rc"
  if grep -qiE 'panic|fatal error|data race' "$work/app.log"; then fail "panic in the log"; fi
}

pass=khoa-ky-rat-dai
printf '%s\n' "$pass" >"$work/pass"
printf '%s\n' mat-khau-dai-1 >"$work/pw"
commune=$work/xa home=$work/home
mkdir -p "$home"

# The collecting office exists first (set up from the command line), so that
# the commune's batch is encrypted to it.
"$bin" --data "$work/tinh" init --office-name "Ban Tuyen giao va Dan van Tinh uy Dien Bien" --office-code TUDB \
  --kind tinh --role collector --collector-name "Trung uong" --passphrase-file "$work/pass" >/dev/null
"$bin" --data "$work/tinh" enrollment export "$work/tinh-enrollment.zip" --passphrase-file "$work/pass" >/dev/null

echo "journey: commune set-up"
start "$commune" "$home"
shot setup
click 547 171; typ "UBND xa Muong Phang"
click 547 211; typ "M P!"                       # a code with a space and a "!": refused
click 587 424; typ "Ban Tuyen giao va Dan van Tinh uy Dien Bien"
key Tab; typ "Dang uy xa Muong Phang"
key Tab; typ "Muong Phang"
key Tab; typ "TM. UY BAN NHAN DAN"
key Tab; typ "CHU TICH"
key Tab; typ "Lo Van Thang"
key Tab Tab; typ chutich                       # past the language drop-down
key Tab; typ "Lo Van Thang"
key Tab; typ mat-khau-dai-1
key Tab; typ mat-khau-dai-1
key Tab; typ "$pass"
key Tab; typ "$pass"
key Return                                     # Enter starts, as the button does
sleep 1; shot setup-refused
# The page has scrolled to the first problem: the code.
click 547 100; key ctrl+a; typ MP; key Return
sleep 6; shot login
typ chutich; key Tab; typ mat-khau-dai-1; key Return
sleep 2; shot dashboard

echo "journey: register a model with the mouse"
key ctrl+2 ctrl+n; shot form
typ "Nuoi ong lay mat ban Huoi Sua"
click 677 236; shot field-list; click 677 270  # Lĩnh vực → Kinh tế
click 677 314; shot body-list; click 677 427   # Đơn vị đăng ký → Hội Nông dân (the long list opens upwards)
click 677 392; typ "Lo Van Thang"
key Tab Tab Tab Tab                            # Chức vụ, Điện thoại, then past two multi-line fields
key Tab; typ "Moi ho nuoi 10 dan ong, can bo xa huong dan ky thuat"   # Nội dung
shot form-filled
key ctrl+s; sleep 1.5; shot saved

echo "journey: a month of tallies"
key ctrl+3; sleep 1; shot tallies
click 459 347                                  # Hộ tịch, (3)
for v in 15 10 5 0 15 5 10 0 0 0 0; do typ "$v"; key Tab; done
shot tallies-typed
click 460 569; sleep 1.5; shot tallies-saved   # Lưu nháp

echo "journey: print"
key ctrl+4; sleep 1; shot reports
click 240 426; sleep 4; shot printed           # In

echo "journey: enroll the collecting office and export a batch"
key ctrl+7; sleep 1; shot settings             # Cài đặt
quit
cp "$work/tinh-enrollment.zip" "$home/"
"$bin" --data "$commune" --user chutich --password-file "$work/pw" offices enroll "$home/tinh-enrollment.zip" >/dev/null
start "$commune" "$home"
typ chutich; key Tab; typ mat-khau-dai-1; key Return; sleep 2
key ctrl+5; sleep 1; shot exchange
click 550 328; typ "$pass"
click 602 447; sleep 4; shot exported
quit

echo "journey: what the commune's clicks stored"
cli() { "$bin" --data "$commune" --user chutich --password-file "$work/pw" "$@"; }
cli models export "$work/models.csv" >/dev/null
grep -q "Nuoi ong lay mat ban Huoi Sua" "$work/models.csv" || fail "the model registered in the window is not stored"
grep "Nuoi ong lay mat ban Huoi Sua" "$work/models.csv" | grep -q "Kinh tế" || fail "the model's field picked with the mouse is not stored"
grep "Nuoi ong lay mat ban Huoi Sua" "$work/models.csv" | grep -q "Hội Nông dân" || fail "the model's body picked with the mouse is not stored"
month=$(date +%Y)-M$(date +%m)
cli tallies export "$work/tallies.csv" --period "$month" >/dev/null 2>&1 || true
grep -q "15" "$work/tallies.csv" 2>/dev/null || fail "the month's tallies typed in the window are not stored"
ls "$commune"/outbox/*.zip.age >/dev/null 2>&1 || fail "no batch in the outbox"
ls "$commune"/reports/*.pdf >/dev/null 2>&1 || fail "“In” wrote no PDF in reports/"

echo "journey: the collecting office"
# Its own HOME, as on its own PC: the commune's enrollment file and the
# folder of batches (a USB stick), nothing else.
home2=$work/home2
mkdir -p "$home2/lo"
cp "$commune"/outbox/*.zip.age "$home2/lo/"
"$bin" --data "$commune" --user chutich --password-file "$work/pw" enrollment export "$home2/MP-enrollment.zip" \
  --passphrase-file "$work/pass" >/dev/null
start "$work/tinh" "$home2"
key ctrl+6; shot offices
click 288 75; sleep 1; shot enroll-pick          # Đăng ký đơn vị → the file dialog, in HOME: ↑, lo, the file
click 469 200; click 884 597; sleep 1; shot enroll-confirm   # the file, Mở
click 553 451; sleep 1; shot enrolled             # Đăng ký
key Escape
key ctrl+7; shot inbox
click 428 133; sleep 1; shot folder-pick         # Chọn thư mục → HOME
click 385 200; click 884 597; sleep 2; shot folder-read      # lo/, Mở
click 500 608; typ "$pass"; key Return; sleep 3; shot checked
click 910 608; sleep 3; shot imported            # Nhập
key ctrl+4; sleep 1; shot rollup-form
click 240 426; sleep 4; shot rollup-printed      # In
quit
"$bin" --data "$work/tinh" offices list >"$work/offices.txt"
grep -q "MP" "$work/offices.txt" || fail "the commune enrolled in the window is not listed"
"$bin" --data "$work/tinh" rollup models --period "$(date +%Y)" --format csv --out "$work/rollup.csv" >/dev/null
grep -q "1" "$work/rollup.csv" || fail "the imported model is not in the roll-up"
ls "$work/tinh"/reports/*.pdf >/dev/null 2>&1 || fail "the roll-up's “In” wrote no PDF"
echo "journey: $step steps in the real window, no crash, every click stored what it should"
