# shellcheck shell=bash
# Section "random" of tests/run-tests.sh: random guests and valgrind (scripts of their own).
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh random" (or "make check TESTS=random").

if [ -n "$kvm_why" ]; then
	skip "random-guests" "$kvm_why"
	skip "valgrind" "$kvm_why"
else
	run_suite random-guests env KVMRUN="$KVMRUN" tests/random-guests.sh "${RANDOM_GUESTS:-300}"
	# valgrind and ASan cannot share a process: the sanitizer build skips it.
	if [ "${SANITIZED:-0}" = 1 ]; then
		skip "valgrind" "this is the sanitizer build"
	else
		run_suite valgrind env KVMRUN="$KVMRUN" tests/valgrind.sh
	fi
fi
