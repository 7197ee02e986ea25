#!/usr/bin/env bash
# Crash harness: runs the real danvan saving records in a loop, kills it with
# SIGKILL at a random moment, then checks that every id it reported saved is
# stored and that PRAGMA integrity_check says ok. Repeats KILLS times.
#
# Usage: scripts/killtest.sh [BINARY] [KILLS]   (either order; run from the repository root)
#   BINARY  the danvan to test (default: $DANVAN_BIN, else one built with go build)
#   KILLS   how many kills (default 200)
#   KEEP=1  keep the work folder for inspection
# Exit 0 when every run lost nothing; 1 at the first loss or damage.
set -euo pipefail

kills=200
bin=${DANVAN_BIN:-}
for arg in "$@"; do
	case $arg in
	'' | *[!0-9]*) bin=$arg ;;
	*) kills=$arg ;;
	esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/danvan-killtest.XXXXXX")
cleanup() { if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "work folder: $work"; fi; }
trap cleanup EXIT

if [ -z "$bin" ]; then
	echo "building danvan…"
	go build -o "$work/danvan" .
	bin=$work/danvan
fi

data=$work/data
printf 'mat-khau-lanh-dao\n' >"$work/pw.txt"
"$bin" --data "$data" --lang en init --office-name "UBND xã Suối Hoa" --office-code SH --kind xa \
	--role commune --collector-name "Ban Dân vận" --head-user chutich --password-file "$work/pw.txt" >/dev/null
export DANVAN_USER=chutich DANVAN_PASSWORD_FILE=$work/pw.txt

ids=$work/ids.txt
: >"$ids"
for i in $(seq 1 "$kills"); do
	out=$work/out.txt
	"$bin" --data "$data" --lang en dev stress-save --count 100000000 >"$out" 2>"$work/err.txt" &
	pid=$!
	# Every fourth kill lands anywhere in start-up (open, integrity check,
	# migrations, login); the others 0–800 ms after the first save, so that
	# most land in the middle of commits.
	if [ $((RANDOM % 4)) -eq 0 ]; then
		sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.02 + (r % 1000) / 1000 }')"
	else
		for _ in $(seq 1 300); do
			[ -s "$out" ] && break
			sleep 0.05
		done
		sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", (r % 800) / 1000 }')"
	fi
	kill -KILL "$pid"
	if wait "$pid" 2>/dev/null; then
		echo "kill $i: danvan ended before it was killed:" >&2
		cat "$work/err.txt" >&2
		exit 1
	fi
	# Only complete lines were reported: the kill may cut the last one short.
	if [ -s "$out" ] && [ -n "$(tail -c 1 "$out")" ]; then
		sed '$d' "$out" >>"$ids"
	else
		cat "$out" >>"$ids"
	fi
	if ! "$bin" --data "$data" --lang en dev stress-check --ids "$ids" >"$work/check.txt" 2>&1; then
		echo "kill $i: LOST DATA OR DAMAGE" >&2
		cat "$work/check.txt" >&2
		KEEP=1
		exit 1
	fi
	printf '\rkill %d/%d: %s' "$i" "$kills" "$(tail -n 1 "$work/check.txt")"
done
echo
echo "$kills/$kills kills: $(wc -l <"$ids") records reported saved, none lost, integrity_check ok after every kill"
