# shellcheck shell=bash
# Section "errors" of tests/run-tests.sh: bad input: exact stderr, empty stdout, status.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh errors" (or "make check TESTS=errors").

# ---- bad input: exact stderr, empty stdout, status ---------------------------
# tests/errors/NAME.args: arguments; NAME.stderr: the exact expected stderr;
# NAME.status: expected status.  None of these needs KVM, except that the
# image must be refused before /dev/kvm is even opened.
for args in tests/errors/*.args; do
	name=error:$(basename "$args" .args)
	base=${args%.args}
	# shellcheck disable=SC2046  # word splitting of the argument line is wanted
	run_kvmrun "$name" /dev/null $(cat "$args")
	check_status "$name" "$(cat "$base.status")" || continue
	if [ -s "$tmp/$name.out" ]; then
		fail "$name" "unexpected stdout: $(head -c 200 "$tmp/$name.out")"
	elif ! diff -u "$base.stderr" "$tmp/$name.err" >"$tmp/$name.diff"; then
		fail "$name" "stderr differs:"; cat "$tmp/$name.diff"
	else
		pass "$name"
	fi
done
