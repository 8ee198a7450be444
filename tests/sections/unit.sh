# shellcheck shell=bash
# Section "unit" of tests/run-tests.sh: unit tests: the C unit-test binary.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh unit" (or "make check TESTS=unit").

# ---- unit tests ------------------------------------------------------------
if [ -x "$UNIT_TESTS" ]; then
	"$UNIT_TESTS" >"$tmp/unit.out" 2>&1
	unit_status=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)   pass "unit: ${line#ok }" ;;
		"FAIL "*) fail "unit: ${line#FAIL }" "assertion failed" ;;
		esac
	done <"$tmp/unit.out"
	if [ $unit_status -ne 0 ] && ! grep -q '^FAIL ' "$tmp/unit.out"; then
		fail "unit" "the unit test binary exited with $unit_status"
		cat "$tmp/unit.out"
	fi
else
	fail "unit" "no unit test binary at $UNIT_TESTS"
fi
