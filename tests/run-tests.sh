#!/usr/bin/env bash
# kvmrun's test runner: unit tests, golden tests of bad input, golden tests
# of every example guest, the run report, traces, run endings (time limit,
# signals, slow readers), the CPUID cache, random guests.
#
#   tests/run-tests.sh [SECTION...]     (make check [TESTS="SECTION..."])
#
# Each section is a file in tests/sections/, run in the order below when
# none is named.  Tests that need KVM run whenever /dev/kvm is usable and
# are listed as SKIPPED, by name, when it is not.  The last line is
# "N passed, N failed, N skipped".  Run from the repository root (make
# check does).
set -u

all_sections="unit sdk errors files install access guests narration signals report traces tiering debug suite repeat
              state cache output random workshop"

cd "$(dirname "$0")/.." || exit 2
for section in ${*:-$all_sections}; do
	if [ ! -f "tests/sections/$section.sh" ]; then
		echo "run-tests: no section '$section' (sections:" $all_sections")" >&2
		exit 2
	fi
done
. tests/lib.sh
for section in ${*:-$all_sections}; do
	. "tests/sections/$section.sh"
done

printf '\n%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
