# shellcheck shell=bash
# Section "traces" of tests/run-tests.sh: --trace: exact expected files.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh traces" (or "make check TESTS=traces").

# ---- traces: exact expected files -----------------------------------------
# tests/traces/NAME.args: arguments, with --trace (and --trace-format) but
# not --trace-file; NAME.trace: the exact trace; NAME.stdout and NAME.status:
# what the guest prints and how it ends, which tracing must not change (the
# same run without the trace options is checked against them too).
#
# The files were recorded on kvm_pvm.  Where an exit line's RIP is taken
# from, KVM_GET_REGS at the exit, depends on the host's KVM: for an `out`,
# kvm_pvm (like older kernels) has already moved RIP past the instruction,
# current hardware KVM has not.  Elsewhere the rip of exit lines is left
# out of the comparison; instruction lines are compared whole everywhere.
strip_exit_rips() {
	sed -E '/^exit |"type":"exit"/ s/ rip=0x[0-9a-f]+|,"rip":"0x[0-9a-f]+"//' "$1"
}
same_trace() {
	if [ -d /sys/module/kvm_pvm ]; then
		cmp -s "$1" "$2"
	else
		cmp -s <(strip_exit_rips "$1") <(strip_exit_rips "$2")
	fi
}
# kvmrun's own 50 ms output tick interrupts a slow guest, but is never
# traced (only an interruption that ends the run is): so each trace is
# compared once, whatever the host's speed.
for args in tests/traces/*.args; do
	name=trace:$(basename "$args" .args)
	base=${args%.args}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	want=$(cat "$base.status")
	untraced=$(awk '{ for (i = 1; i <= NF; i++) {
		if ($i == "--trace" || $i == "--trace-format") { i++; continue }
		printf "%s ", $i } }' "$args")
	# shellcheck disable=SC2086
	run_kvmrun "$name:untraced" /dev/null $untraced
	check_status "$name:untraced" "$want" || continue
	if ! cmp -s "$base.stdout" "$tmp/$name:untraced.out"; then
		fail "$name" "stdout without the trace differs from $base.stdout"
		continue
	fi
	# shellcheck disable=SC2046
	run_kvmrun "$name" /dev/null $(cat "$args") --trace-file "$tmp/$name.trace"
	check_status "$name" "$want" || continue
	if ! cmp -s "$base.stdout" "$tmp/$name.out"; then
		fail "$name" "tracing changed stdout:"
		diff -u "$base.stdout" "$tmp/$name.out" | head -20
	elif ! grep -q -- insns "$args" && ! cmp -s "$tmp/$name:untraced.err" "$tmp/$name.err"; then
		# (Not with insns: there the registers kvmrun prints at a crash
		# still have RFLAGS.TF, the trace's single-step flag, set.)
		fail "$name" "tracing to a file changed stderr:"
		diff -u "$tmp/$name:untraced.err" "$tmp/$name.err" | head -20
	elif ! same_trace "$base.trace" "$tmp/$name.trace"; then
		fail "$name" "trace differs:"
		diff -u "$base.trace" "$tmp/$name.trace" | head -40
	else
		bad=""
		if grep -q -- '--trace-format jsonl' "$args"; then
			while IFS= read -r line; do
				printf '%s\n' "$line" >"$tmp/line.json"
				"$JSONLINT" "$tmp/line.json" >/dev/null 2>&1 || { bad=$line; break; }
			done <"$tmp/$name.trace"
		fi
		if [ -n "$bad" ]; then fail "$name" "not a JSON line: $bad"
		else pass "$name"; fi
	fi
done

# Without --trace-file the trace goes to stderr, the same lines.
name=trace:to-stderr
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --trace exits tests/guests/traceme.bin
	if check_status "$name" 0; then
		if ! same_trace tests/traces/traceme-exits.trace "$tmp/$name.err"; then
			fail "$name" "stderr is not the trace: $(head -c 400 "$tmp/$name.err")"
		elif ! cmp -s tests/traces/traceme-exits.stdout "$tmp/$name.out"; then
			fail "$name" "stdout: $(cat "$tmp/$name.out")"
		else pass "$name"; fi
	fi
fi

# kvmrun's own tick is not traced: spin prints a line, then only computes
# until the time limit ends it.  Its trace has its nine `out`s and then one
# interruption, the one that ended it, however many ticks came before
# (which depends on the host's speed).
name=trace:no-tick-exits
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -t 300ms --trace exits --trace-file "$tmp/$name.trace" \
		guests/spin.bin
	if check_status "$name" 124; then
		if [ "$(grep -c '^exit  [0-9]* *signal ' "$tmp/$name.trace")" != 1 ] ||
		   [ "$(grep -c '^exit  [0-9]* *io_out ' "$tmp/$name.trace")" != 9 ] ||
		   ! tail -n 1 "$tmp/$name.trace" |
		     grep -qE '^exit  [0-9]+ +signal .*\(KVM_RUN interrupted by a signal\)$'; then
			fail "$name" "trace: $(head -c 600 "$tmp/$name.trace")"
		else pass "$name"; fi
	fi
fi

# Coalesced console writes (after the first 256 byte writes) are marked in
# the exit trace, in order with the rest: the data of the trace's output
# lines, in trace order, is exactly what reached stdout.  When the limit
# is reached the byte that went over it is traced but not written.
name=trace:coalesced
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --max-output 2000 --trace exits \
		--trace-file "$tmp/$name.trace" guests/yes.bin
	n_coalesced=$(grep -c '^exit  -    coalesced  port=0xe9 ' "$tmp/$name.trace")
	grep -E '^exit  ([0-9]+ +io_out|-    coalesced) ' "$tmp/$name.trace" |
		sed -E 's/.* data=([0-9a-f]{2}).*/\\x\1/' | head -n 2000 | tr -d '\n' >"$tmp/$name.hex"
	# shellcheck disable=SC2059
	printf "$(cat "$tmp/$name.hex")" >"$tmp/$name.data"
	if ! check_status "$name" 124; then :
	elif [ "$n_coalesced" -lt 1 ]; then
		fail "$name" "no coalesced writes in the trace"
	elif [ "$(grep -n -m 1 coalesced "$tmp/$name.trace" | cut -d : -f 1)" -le 256 ]; then
		fail "$name" "a coalesced write before the first 256 exits: $(grep -n -m 1 coalesced "$tmp/$name.trace")"
	elif ! cmp -s "$tmp/$name.out" "$tmp/$name.data"; then
		fail "$name" "the trace's output bytes are not stdout"
	else
		pass "$name"
	fi
fi

# The guest loads its own IDT: the trace goes on by KVM's single-step (it
# says so), through the lidt, the ud2 its own handler catches, the handler
# from its first exit on, its iretq and the guest's hlt.
name=trace:own-idt-goes-on
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --trace insns guests/ownidt.bin
	missing=""
	for rip in 0x1002d 0x10034 0x10068 0x10061 0x10036 0x10042; do
		grep -qE "^insn +[0-9]+ +ring 0 rip=$rip " "$tmp/$name.err" || missing="$missing $rip"
	done
	if ! check_status "$name" 0; then :
	elif [ "$(tr '\n' '|' <"$tmp/$name.out")" != "ownidt: caught #UD at 0x0000000000010034|ownidt: back after iretq|" ]; then
		fail "$name" "stdout: $(tr '\n' '|' <"$tmp/$name.out")"
	elif ! grep -q "^note  the guest loads its own IDT: the trace goes on with KVM's single-step" "$tmp/$name.err"; then
		fail "$name" "no note: $(grep '^note' "$tmp/$name.err" | tr '\n' '|')"
	elif [ -n "$missing" ]; then
		fail "$name" "not traced:$missing: $(grep -A4 '^note' "$tmp/$name.err" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi
