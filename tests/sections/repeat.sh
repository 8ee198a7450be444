# shellcheck shell=bash
# Section "repeat" of tests/run-tests.sh: --repeat N, the same image run N
# times in one VM, reset to its snapshot between runs
# (src/speedups/snapshot.h).  Run it alone with "tests/run-tests.sh
# repeat" (or "make check TESTS=repeat").

# Every run starts from the same state: the guest prints a checksum of its
# memory, registers, IDTR and UART registers, then spoils all of them
# (tests/guests/c/scribble.c).  Four runs, four equal lines, equal to a
# fresh run's.
name=repeat:identical-state
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name.fresh" /dev/null tests/guests/c/scribble.elf
	run_kvmrun "$name" /dev/null --repeat 4 tests/guests/c/scribble.elf
	if [ "$status" -ne 0 ]; then
		fail "$name" "status $status: $(tail -c 300 "$tmp/$name.err")"
	elif [ "$(grep -c '^state ' "$tmp/$name.out")" -ne 4 ] ||
	     [ "$(sort -u "$tmp/$name.out")" != "$(cat "$tmp/$name.fresh.out")" ]; then
		fail "$name" "runs: $(tr '\n' '|' <"$tmp/$name.out") fresh: $(cat "$tmp/$name.fresh.out")"
	elif ! grep -q '^kvmrun: 4 of 4 runs, 0 not ending with status 0' "$tmp/$name.err"; then
		fail "$name" "no totals: $(tail -2 "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# A crash, a time limit and an output limit in runs 1-3 leave runs 4 and 5
# alone; each is said on stderr, and the status is the first that was not
# 0 (tests/guests/c/stdinact.c reads what to do from stdin).
name=repeat:bad-runs-leave-the-next-alone
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'ctox' >"$tmp/$name.in"
	run_kvmrun "$name" "$tmp/$name.in" --repeat 5 -t 1 --max-output 100 \
		tests/guests/c/stdinact.elf
	{ printf 'crash\nspin\n'; head -c 100 /dev/zero | tr '\0' o; printf 'exit 7\nok -1\n'; } \
		>"$tmp/$name.want"
	if [ "$status" -ne 126 ]; then
		fail "$name" "status $status, 126 expected: $(grep '^kvmrun: run' "$tmp/$name.err" | tr '\n' '|')"
	elif ! cmp -s "$tmp/$name.want" "$tmp/$name.out"; then
		fail "$name" "stdout: $(head -c 300 "$tmp/$name.out" | tr '\n' '|')"
	elif ! grep -q '^kvmrun: run 1 of 5: exception, status 126' "$tmp/$name.err" ||
	     ! grep -q '^kvmrun: run 2 of 5: timeout, status 124' "$tmp/$name.err" ||
	     ! grep -q '^kvmrun: run 3 of 5: max_output, status 124' "$tmp/$name.err" ||
	     ! grep -q '^kvmrun: run 4 of 5: exit_device, status 7' "$tmp/$name.err" ||
	     ! grep -q '^kvmrun: 5 of 5 runs, 4 not ending with status 0' "$tmp/$name.err"; then
		fail "$name" "stderr: $(grep '^kvmrun: [r0-9]' "$tmp/$name.err" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi

# Repeated runs print exactly what as many fresh runs print, and end the
# same, over example guests of every kind.
for g in guests/hello.bin guests/bytes.bin guests/console.bin guests/bootinfo.bin \
	 guests/c/hello.elf guests/c/primes.elf guests/c/malloc.elf guests/c/bootinfo.elf; do
	n=${g#guests/}
	name=repeat:same-as-fresh:${n//\//-}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	: >"$tmp/$name.want"
	fresh=0
	for _ in 1 2 3; do
		run_kvmrun "$name.one" /dev/null "$g"
		fresh=$status
		cat "$tmp/$name.one.out" >>"$tmp/$name.want"
	done
	run_kvmrun "$name" /dev/null --repeat 3 "$g"
	if [ "$status" -ne "$fresh" ]; then
		fail "$name" "status $status, $fresh fresh"
	elif ! cmp -s "$tmp/$name.want" "$tmp/$name.out"; then
		fail "$name" "output differs from three fresh runs: $(cmp "$tmp/$name.want" "$tmp/$name.out" 2>&1)"
	else
		pass "$name"
	fi
done

# The guest's snapshot point (port 0xf8, kvmrun_snapshot()): the setup
# before it runs once, every run starts after it, and what a run changes
# after it is undone (tests/guests/c/setuponce.c).
name=repeat:snapshot-point-from-the-guest
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'abc' >"$tmp/$name.in"
	run_kvmrun "$name" "$tmp/$name.in" --repeat 3 tests/guests/c/setuponce.elf
	printf 'setup\nrun %s: setups 1, runs 1, table 499500\n' a >"$tmp/$name.want"
	printf 'run %s: setups 1, runs 1, table 499500\n' b c >>"$tmp/$name.want"
	if [ "$status" -ne 0 ] || ! cmp -s "$tmp/$name.want" "$tmp/$name.out"; then
		fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out")"
	else
		pass "$name"
	fi
fi
# Without --repeat the port does nothing: the guest runs as usual.
name=repeat:snapshot-point-alone
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null tests/guests/c/setuponce.elf
	if [ "$status" -ne 0 ] || [ "$(tr '\n' '|' <"$tmp/$name.out")" != \
	     "setup|run $(printf '\377'): setups 1, runs 1, table 499500|" ]; then
		fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out")"
	else
		pass "$name"
	fi
fi

# --strict ends a run at an unclaimed access; the next run is not ended
# by the same hit again (each run's ending is its own).
name=repeat:strict-per-run
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name.one" /dev/null --strict guests/mmio.bin
	run_kvmrun "$name" /dev/null --repeat 3 --strict guests/mmio.bin
	if [ "$(cat "$tmp/$name.one.out" "$tmp/$name.one.out" "$tmp/$name.one.out")" != "$(cat "$tmp/$name.out")" ]; then
		fail "$name" "a run was cut short: $(tr '\n' '|' <"$tmp/$name.out")"
	elif [ "$(grep -c '^kvmrun: run [12] of 3: strict_unclaimed_access' "$tmp/$name.err")" -ne 2 ] ||
	   ! grep -q '^kvmrun: 3 of 3 runs, 3 not ending with status 0' "$tmp/$name.err"; then
		fail "$name" "stderr: $(grep '^kvmrun: [r0-9]' "$tmp/$name.err" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi

# The report: the totals and each run's ending, in order.
name=repeat:report
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'ctox' >"$tmp/$name.in"
	run_kvmrun "$name" "$tmp/$name.in" --repeat 5 -t 1 --max-output 100 \
		--report "$tmp/$name.json" tests/guests/c/stdinact.elf
	check_json "$name" "$tmp/$name.json" repeat.runs=5 repeat.results.0.reason=exception \
		repeat.results.0.status=126 repeat.results.1.reason=timeout \
		repeat.results.2.reason=max_output repeat.results.3.status=7 \
		repeat.results.4.reason=exit_device repeat.results.4.status=0 \
		end.status=126 && pass "$name"
fi

# --input: one run per file (a directory's files in name order), each
# with its own bytes where the boot info says (tests/guests/c/inputsum.c).
name=repeat:inputs
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	mkdir -p "$tmp/$name.d"
	printf 'abc\nrest' >"$tmp/$name.d/a"
	: >"$tmp/$name.d/b"
	head -c 300 /dev/zero | tr '\0' x >"$tmp/$name.d/c"
	run_kvmrun "$name" /dev/null --input "$tmp/$name.d" tests/guests/c/inputsum.elf
	printf '%s\n' "input 8 bytes, sum 750, first line: abc" \
		"input 0 bytes, sum 0, first line: " \
		"input 300 bytes, sum 36000, first line: $(head -c 300 /dev/zero | tr '\0' x)" \
		>"$tmp/$name.want"
	if [ "$status" -ne 8 ] || ! cmp -s "$tmp/$name.want" "$tmp/$name.out"; then
		fail "$name" "status $status; stdout: $(head -c 200 "$tmp/$name.out" | tr '\n' '|')"
	elif ! grep -q "^kvmrun: run 1 of 3 (input $tmp/$name.d/a): exit_device, status 8" "$tmp/$name.err"; then
		fail "$name" "stderr: $(grep '^kvmrun: [r0-9]' "$tmp/$name.err" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi
name=repeat:input-missing
run_kvmrun "$name" /dev/null --input "$tmp/no-such-input" guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- "--input $tmp/no-such-input: No such file" "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

name=repeat:refused-with-gdb
run_kvmrun "$name" /dev/null --repeat 2 --gdb :1234 guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- '--repeat does not go with --gdb' "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# --sets FILE: one run a line, each with its own registers (comments and
# blank lines are not runs); the first run that does not end with 0 sets
# kvmrun's status.
name=repeat:sets-per-run
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf '# status of each run\nrax=3\n\n  rax=0 \nRAX=5 rbx=1\n' >"$tmp/$name.sets"
	run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" --report "$tmp/$name.json" \
		tests/guests/exitval.bin
	if check_status "$name" 3; then
		check_json "$name" "$tmp/$name.json" repeat.runs=3 repeat.results.0.status=3 \
			repeat.results.1.status=0 repeat.results.2.status=5 && pass "$name"
	fi
fi

# At the guest's snapshot point: kvmrun_snapshot() returns the run's rax,
# in the first run too.
name=repeat:sets-at-the-snapshot-point
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'rax=7 r12=70\nrax=8 r12=80\nrax=9 r12=90\n' >"$tmp/$name.sets"
	run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" tests/guests/c/snapsets.elf
	printf 'setup\nrun value 7 r12 70\nrun value 8 r12 80\nrun value 9 r12 90\n' >"$tmp/$name.want"
	if check_status "$name" 0; then
		if cmp -s "$tmp/$name.want" "$tmp/$name.out"; then pass "$name"
		else fail "$name" "stdout: $(head -c 200 "$tmp/$name.out" | tr '\n' '|')"; fi
	fi
fi

# A reset copies back the pages the run before it changed: tests/guests/
# dirty.S writes RAX pages; the page tables' accessed and dirty bits and
# the stack may add a few.  The last run has no reset after it.
name=repeat:dirty-pages
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'rax=1\nrax=16\nrax=256\nrax=0\nrax=2\n' >"$tmp/$name.sets"
	run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" --report "$tmp/$name.json" \
		tests/guests/dirty.bin
	got=
	for i in 0 1 2 3; do
		got="$got $(json_get "$tmp/$name.json" "repeat.results.$i.dirty_pages")"
	done
	# shellcheck disable=SC2086
	set -- $got
	if ! check_status "$name" 0; then :
	elif [ $# -ne 4 ] || [ "$1" -lt 1 ] || [ "$1" -gt 9 ] || [ "$2" -lt 16 ] ||
	     [ "$2" -gt 24 ] || [ "$3" -lt 256 ] || [ "$3" -gt 264 ] || [ "$4" -gt 8 ]; then
		fail "$name" "dirty pages reset after runs of 1, 16, 256, 0 pages: $got"
	else
		check_json "$name" "$tmp/$name.json" repeat.results.4.dirty_pages=null \
			repeat.dirty_pages.max="$3" && pass "$name"
	fi
fi

# --sets refusals, before any VM: a bad line (named by its number), fewer
# lines than --input files, no runs at all, and with --repeat.
name=repeat:sets-bad-line
printf 'rax=1\nfoo=2\n' >"$tmp/$name.sets"
run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- "--sets $tmp/$name.sets, line 2: 'foo=2': unknown register" "$tmp/$name.err"
	then pass "$name"; else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
name=repeat:sets-count-against-inputs
printf 'a' >"$tmp/$name.in1"
printf 'rax=1\nrax=2\n' >"$tmp/$name.sets"
run_kvmrun "$name" /dev/null --input "$tmp/$name.in1" --sets "$tmp/$name.sets" guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- "2 runs, but --input gives 1 file (" "$tmp/$name.err"
	then pass "$name"; else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
name=repeat:sets-empty
printf '# nothing\n\n' >"$tmp/$name.sets"
run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- "no runs in it" "$tmp/$name.err"
	then pass "$name"; else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
name=repeat:sets-refused-with-repeat
run_kvmrun "$name" /dev/null --repeat 2 --sets /dev/null guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- "--sets runs one image once per line" "$tmp/$name.err"
	then pass "$name"; else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# The TSC as the guest reads it is put back too (tests/guests/c/tscreset.c).
name=repeat:tsc-put-back
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'rax=1\nrax=0\n' >"$tmp/$name.sets"
	run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" tests/guests/c/tscreset.elf
	if check_status "$name" 0; then
		if [ "$(cat "$tmp/$name.out")" = "$(printf 'spun\nclock put back')" ]; then pass "$name"
		else fail "$name" "stdout: $(head -c 200 "$tmp/$name.out" | tr '\n' '|')"; fi
	fi
fi

# --sets with a C guest that has no snapshot point: each run's line is in
# the registers it starts with (kvmrun_entry_regs()).
name=repeat:sets-c-entry-registers
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	printf 'rax=1 r15=0xa\nrax=2 r9=-1 r15=0xb\n' >"$tmp/$name.sets"
	run_kvmrun "$name" /dev/null --sets "$tmp/$name.sets" tests/guests/c/entryregs.elf
	printf '%s\n' "rax 1 rdi boot-info r9 0 r15 a" "rax 2 rdi boot-info r9 ffffffffffffffff r15 b" \
		>"$tmp/$name.want"
	if check_status "$name" 0; then
		if cmp -s "$tmp/$name.want" "$tmp/$name.out"; then pass "$name"
		else fail "$name" "stdout: $(tr '\n' '|' <"$tmp/$name.out")"; fi
	fi
fi
