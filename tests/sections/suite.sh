# shellcheck shell=bash
# Section "suite" of tests/run-tests.sh: several images as a test suite,
# TAP and JUnit (src/suite.h).  Run it alone with "tests/run-tests.sh
# suite" (or "make check TESTS=suite").  TAP is read by Debian's prove
# and JUnit by xmllint, not by kvmrun's own code.

prove_why="" xmllint_why=""
command -v prove >/dev/null 2>&1 || prove_why="prove is not installed (Debian's perl)"
command -v xmllint >/dev/null 2>&1 || xmllint_why="xmllint is not installed (.ci/need xmllint libxml2-utils)"

# The suite the tests share: a pass, a guest-chosen failure, a skip (77), a
# crash, a time limit, then a pass again (a bad run leaves the next alone),
# and a guest with three checks of its own (one fails).
suite_images="guests/hello.bin tests/guests/exitval.bin guests/c/exception.elf
	tests/guests/hostile/spin.bin guests/c/hello.elf tests/guests/c/checks.elf"

# The expected TAP test points, in order: "ok" or "not ok", and SKIP.
suite_want="ok 1 - guests/hello.bin
not ok 2 - tests/guests/exitval.bin
not ok 3 - guests/c/exception.elf
not ok 4 - tests/guests/hostile/spin.bin
ok 5 - guests/c/hello.elf
ok 6 - tests/guests/c/checks.elf
ok 7 - tests/guests/c/checks.elf: adds
not ok 8 - tests/guests/c/checks.elf: compares
ok 9 - tests/guests/c/checks.elf: vectors # SKIP"

for jobs in 1 3; do
	name=suite:tap-j$jobs
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	# shellcheck disable=SC2086
	run_kvmrun "$name" /dev/null --tap -j "$jobs" -t 1 --set rax=3 $suite_images
	got=$(grep -E '^(not )?ok ' "$tmp/$name.out")
	if [ "$status" -ne 1 ]; then
		fail "$name" "status $status, 1 expected (failures); stderr: $(tail -c 300 "$tmp/$name.err")"
	elif [ "$got" != "$suite_want" ]; then
		fail "$name" "test points: $(echo "$got" | tr '\n' '|')"
	elif ! grep -qx '1\.\.9' "$tmp/$name.out" || ! head -1 "$tmp/$name.out" | grep -qx 'TAP version 13'; then
		fail "$name" "no TAP header or plan: $(head -c 200 "$tmp/$name.out")"
	elif ! grep -Eq '^# exit status 124: (kvmrun: )?time limit of 1 s reached' "$tmp/$name.out" ||
	     ! grep -Eq '^# exit status 126: (kvmrun: )?guest crashed: \\#DE' "$tmp/$name.out"; then
		fail "$name" "the failures do not say why: $(grep '^#' "$tmp/$name.out" | tr '\n' '|')"
	elif ! grep -qx 'kvmrun: 6 runs: 3 passed, 3 failed, 0 skipped; checks: 1 passed, 1 failed, 1 skipped' "$tmp/$name.err"; then
		fail "$name" "summary: $(tail -1 "$tmp/$name.err")"
	else
		pass "$name"
	fi
done

# Debian's prove reads the TAP: no parse errors, 9 tests, 2-4 and 8 failed.
name=suite:tap-read-by-prove
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$prove_why" ]; then skip "$name" "$prove_why"
else
	cp "$tmp/suite:tap-j1.out" "$tmp/suite.tap" 2>/dev/null
	prove -v --exec cat "$tmp/suite.tap" >"$tmp/$name.prove" 2>&1
	if grep -q 'Parse errors' "$tmp/$name.prove"; then
		fail "$name" "$(grep -A3 'Parse errors' "$tmp/$name.prove" | tr '\n' '|')"
	elif ! grep -q 'Failed tests:  2-4, 8' "$tmp/$name.prove" ||
	     ! grep -q 'Tests=9' "$tmp/$name.prove"; then
		fail "$name" "prove: $(tail -6 "$tmp/$name.prove" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi

# JUnit: well-formed XML (xmllint), the counts, a failure with its message
# and type, the skipped check, the guest's output.
name=suite:junit
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$xmllint_why" ]; then skip "$name" "$xmllint_why"
else
	# shellcheck disable=SC2086
	run_kvmrun "$name" /dev/null --junit "$tmp/$name.xml" -t 1 --set rax=77 $suite_images
	x() { xmllint --xpath "$1" "$tmp/$name.xml" 2>/dev/null; }
	if ! xmllint --noout "$tmp/$name.xml" 2>"$tmp/$name.lint"; then
		fail "$name" "not well-formed: $(head -c 300 "$tmp/$name.lint")"
	elif [ "$(x 'string(/testsuites/@tests)')" != 9 ] ||
	     [ "$(x 'string(/testsuites/testsuite/@failures)')" != 3 ] ||
	     [ "$(x 'string(/testsuites/testsuite/@skipped)')" != 2 ]; then
		fail "$name" "counts: tests $(x 'string(/testsuites/@tests)') failures $(x 'string(/testsuites/testsuite/@failures)') skipped $(x 'string(/testsuites/testsuite/@skipped)')"
	elif [ "$(x 'string(//testcase[@name="guests/c/exception.elf"]/failure/@type)')" != exception ] ||
	     ! x 'string(//testcase[@name="tests/guests/hostile/spin.bin"]/failure/@message)' | grep -q 'exit status 124'; then
		fail "$name" "failures: $(x '//failure/@type' | tr '\n' ' ')"
	elif ! x 'string(//testcase[@name="guests/hello.bin"]/system-out)' | grep -q 'Hello'; then
		fail "$name" "hello's output is not in system-out"
	elif [ "$(x 'count(//testcase[@name="tests/guests/exitval.bin"]/skipped)')" != 1 ]; then
		fail "$name" "exit status 77 is not a skip"
	elif [ "$status" -ne 1 ]; then
		fail "$name" "status $status, 1 expected"
	else
		pass "$name"
	fi
fi

# All pass: status 0; without --tap each run's output goes to stdout in
# order, and a line per run to stderr.
name=suite:all-pass
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -j 2 guests/hello.bin guests/c/hello.elf guests/hello.bin
	if [ "$status" -ne 0 ]; then
		fail "$name" "status $status: $(tail -c 300 "$tmp/$name.err")"
	elif [ "$(grep -c '^kvmrun: ok ' "$tmp/$name.err")" -ne 3 ] ||
	     ! grep -qx 'kvmrun: 3 runs: 3 passed, 0 failed, 0 skipped' "$tmp/$name.err"; then
		fail "$name" "stderr: $(tr '\n' '|' <"$tmp/$name.err")"
	elif [ "$(./kvmrun guests/hello.bin 2>/dev/null; ./kvmrun guests/c/hello.elf 2>/dev/null; ./kvmrun guests/hello.bin 2>/dev/null)" != "$(cat "$tmp/$name.out")" ]; then
		fail "$name" "stdout is not the three runs' outputs in order"
	else
		pass "$name"
	fi
fi

# A missing image is kvmrun's error, not the guest's: <error> in JUnit,
# "not ok" in TAP, and the other images still run.  A '#' in a name is
# escaped, so TAP readers do not take it for a directive.
name=suite:missing-image-and-hash
if [ -n "$xmllint_why" ]; then skip "$name" "$xmllint_why"
else
	run_kvmrun "$name" /dev/null --tap --junit "$tmp/$name.xml" "$tmp/no#such.bin" \
		"$tmp/missing.bin"
	if [ "$status" -ne 1 ] || ! grep -q '^not ok 1 - .*no\\#such.bin$' "$tmp/$name.out" ||
	   ! grep -q '^not ok 2 - ' "$tmp/$name.out" || ! grep -qx '1\.\.2' "$tmp/$name.out"; then
		fail "$name" "status $status; TAP: $(tr '\n' '|' <"$tmp/$name.out")"
	elif ! xmllint --noout "$tmp/$name.xml" ||
	     [ "$(xmllint --xpath 'string(/testsuites/@errors)' "$tmp/$name.xml")" != 2 ]; then
		fail "$name" "JUnit errors: $(xmllint --xpath 'string(/testsuites/@errors)' "$tmp/$name.xml")"
	else
		pass "$name"
	fi
fi

# An unwritable --junit file is refused before anything runs.
name=suite:junit-unwritable
run_kvmrun "$name" /dev/null --junit /nonexistent/dir/j.xml guests/hello.bin
if check_status "$name" 125; then
	if grep -q 'junit /nonexistent/dir/j.xml: cannot create it' "$tmp/$name.err" &&
	   ! grep -q ': [0-9][0-9]* runs\?:' "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# Ctrl-C (SIGINT) to the suite: the run in progress gets it and ends, is
# reported, no further run starts, and the suite ends with 128+2.
name=suite:interrupted
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	timeout -k 5 "$LIMIT" "$KVMRUN" --tap tests/guests/hostile/spin.bin guests/hello.bin \
		guests/hello.bin </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" &
	sp=$!
	sleep 2
	kill -INT "$sp"
	wait "$sp"
	status=$?
	if [ "$status" -ne 130 ]; then
		fail "$name" "status $status, 130 expected; stderr: $(tail -c 300 "$tmp/$name.err")"
	elif [ "$(grep -c '^not ok 1 - tests/guests/hostile/spin.bin' "$tmp/$name.out")" -ne 1 ] ||
	     ! grep -qx '1\.\.1' "$tmp/$name.out" || ! grep -q '2 not run' "$tmp/$name.err"; then
		fail "$name" "TAP: $(tr '\n' '|' <"$tmp/$name.out"); stderr: $(tail -1 "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# --list FILE: the images given first, then the file's, in order; blank
# lines and comments skipped.  (Whether each passes depends on KVM; the
# names and their order do not.)
name=suite:list
printf '# the suite\nguests/hello.bin\n\n  guests/exit.bin  \n' >"$tmp/$name.list"
run_kvmrun "$name" /dev/null --tap --list "$tmp/$name.list" guests/c/hello.elf
if [ "$(sed -n 's/^\(not \)\{0,1\}ok [0-9]* - //p' "$tmp/$name.out" | tr '\n' ' ')" != \
     "guests/c/hello.elf guests/hello.bin guests/exit.bin " ]; then
	fail "$name" "TAP: $(tr '\n' '|' <"$tmp/$name.out")"
else
	pass "$name"
fi
name=suite:list-missing
run_kvmrun "$name" /dev/null --list "$tmp/no-such.list"
if check_status "$name" 125; then
	if grep -q -- "--list $tmp/no-such.list: No such file" "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# Options that name one file per run do not go with a suite.
name=suite:refused:report
run_kvmrun "$name" /dev/null --report "$tmp/r.json" guests/hello.bin guests/hello.bin
if check_status "$name" 125; then
	if grep -q 'not with several images' "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
