#!/usr/bin/env bash
# Runs every fuzz target of the repository (each `func FuzzXxx(f *testing.F)`
# in a _test.go file), one after the other, each for DURATION.
#
# Usage: scripts/fuzz.sh [DURATION] [PATTERN]     (run from the repository root)
#   DURATION  go test -fuzztime value: 5s, 2m, 10000x … (default 5s; CI uses a
#             few seconds, `make fuzz` longer)
#   PATTERN   only targets whose package path or name matches this grep -E pattern
# Exit 1 if any target finds a failure; the failing input is saved by go test
# under the package's testdata/fuzz/<Target>/ so that it becomes a regression
# case — commit it with the fix.
set -euo pipefail

dur=${1:-5s}
pattern=${2:-.}
cd "$(git rev-parse --show-toplevel 2>/dev/null || pwd)"

mapfile -t targets < <(grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . |
	grep -v '/vendor/' |
	sed -E 's#^\./(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#; s#^\./[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#. \1#' |
	sort -u | grep -E -- "$pattern" || true)

if [ ${#targets[@]} -eq 0 ]; then
	echo "no fuzz targets found" >&2
	exit 1
fi
echo "${#targets[@]} fuzz targets, ${dur} each"
failed=()
for t in "${targets[@]}"; do
	pkg=${t% *}
	name=${t#* }
	echo "== ./$pkg $name"
	for try in 1 2; do
		if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$dur" "./$pkg" 2>&1); then
			echo "$out"
			break
		fi
		echo "$out"
		# Go's fuzzing coordinator can stop on its own deadline while a
		# worker is still in a slow input ("context deadline exceeded",
		# no failing input written): that is not a finding, so the target
		# runs once more; anything else is a failure at once.
		if [ $try = 1 ] && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
			echo "(the fuzzing run stopped on its own deadline; running $name again)"
			continue
		fi
		failed+=("./$pkg $name")
		break
	done
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz failures:" >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "all ${#targets[@]} fuzz targets ran ${dur} without a failure"
