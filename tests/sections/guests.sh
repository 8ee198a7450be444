# shellcheck shell=bash
# Section "guests" of tests/run-tests.sh: example and test guests: exact stdout and status.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh guests" (or "make check TESTS=guests").

# ---- example guests: exact stdout and status -----------------------------
# tests/cases/NAME.args: arguments; NAME.stdout: exact stdout; NAME.status;
# optional NAME.stdin (else /dev/null); optional NAME.stderr: fixed strings
# that must each appear in stderr; optional NAME.stderr-lines: how many
# lines stderr must have; optional NAME.requires: lines "cpuflag:FLAG" (in
# /proc/cpuinfo) or "module:NAME" (in /sys/module) that this machine must
# have, else the case is skipped with the reason.
for args in tests/cases/*.args; do
	name=guest:$(basename "$args" .args)
	base=${args%.args}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	lacking=$(missing_requirements "$base.requires")
	if [ -n "$lacking" ]; then skip "$name" "this machine lacks$lacking"; continue; fi
	in=/dev/null
	[ -f "$base.stdin" ] && in=$base.stdin
	# shellcheck disable=SC2046
	run_kvmrun "$name" "$in" $(cat "$args")
	check_status "$name" "$(cat "$base.status")" || continue
	if ! cmp -s "$base.stdout" "$tmp/$name.out"; then
		fail "$name" "stdout differs:"
		diff -u "$base.stdout" "$tmp/$name.out" | head -40
		continue
	fi
	missing=""
	if [ -f "$base.stderr" ]; then
		while IFS= read -r pat; do
			[ -z "$pat" ] && continue
			grep -qF -- "$pat" "$tmp/$name.err" || missing="$missing [$pat]"
		done <"$base.stderr"
	fi
	if [ -n "$missing" ]; then
		fail "$name" "stderr lacks:$missing; stderr was: $(cat "$tmp/$name.err")"
	elif [ -f "$base.stderr-lines" ] &&
	     [ "$(wc -l <"$tmp/$name.err")" -ne "$(cat "$base.stderr-lines")" ]; then
		fail "$name" "stderr has $(wc -l <"$tmp/$name.err") lines, expected $(cat "$base.stderr-lines"): $(cat "$tmp/$name.err")"
	else
		pass "$name"
	fi
done
