# shellcheck shell=bash
# Section "sdk" of tests/run-tests.sh: the C guest SDK's host-side tests.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh sdk" (or "make check TESTS=sdk").

# ---- the C guest SDK on the host ------------------------------------------
# tests/sdk/: the SDK's printf compared with glibc's, its heap on a host
# buffer, its string functions; each binary (built by make check, listed in
# SDK_TESTS) exits 0 only if every comparison held.  The guests themselves
# run in tests/cases/c-*.
for t in ${SDK_TESTS:-build/sdk/test_printf build/sdk/test_malloc build/sdk/test_string}; do
	name=sdk:$(basename "$t")
	if [ ! -x "$t" ]; then
		fail "$name" "no test binary at $t"
	elif "$t" >"$tmp/$name.out" 2>&1; then
		pass "$name"
	else
		fail "$name" "$(tail -5 "$tmp/$name.out")"
	fi
done
