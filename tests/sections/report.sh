# shellcheck shell=bash
# Section "report" of tests/run-tests.sh: the JSON run report.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh report" (or "make check TESTS=report").

# --report never reads a refused image: /dev/zero ends at once, a 4 GiB
# sparse file is refused without being read (both bounded by timeout(1)),
# and their reports have no size or hash.
truncate -s 4G "$tmp/sparse.bin"
for spec in dev-zero:/dev/zero sparse-4g:$tmp/sparse.bin; do
	name=report:refused-image-${spec%%:*}
	timeout -k 2 10 "$KVMRUN" --report "$tmp/$name.json" "${spec#*:}" >/dev/null 2>"$tmp/$name.err" </dev/null
	status=$?
	if check_status "$name" 125 &&
	   check_json "$name" "$tmp/$name.json" end.reason=setup_failed image.sha256=null image.size=null; then
		pass "$name"
	fi
done
rm -f "$tmp/sparse.bin"

# ---- run report: every example guest --------------------------------------
# Each tests/cases case once more with --report FILE: its status, stdout and
# stderr must not change, and the report must be valid JSON that agrees with
# the run: format 1, the image's path, size and SHA-256, the options, the
# status, and a documented end.reason that goes with that status.
version=$("$KVMRUN" -V 2>/dev/null | sed 's/^kvmrun //')
for args in tests/cases/*.args; do
	case_name=$(basename "$args" .args)
	name=report:$case_name
	base=${args%.args}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	lacking=$(missing_requirements "$base.requires")
	if [ -n "$lacking" ]; then skip "$name" "this machine lacks$lacking"; continue; fi
	in=/dev/null
	[ -f "$base.stdin" ] && in=$base.stdin
	want=$(cat "$base.status")
	# Only cases that passed above: a failed one is reported once.
	if [ ! -f "$tmp/guest:$case_name.out" ] || ! cmp -s "$base.stdout" "$tmp/guest:$case_name.out" ||
	   [ -n "$(stderr_lacks "$base" "$tmp/guest:$case_name.err")" ]; then
		skip "$name" "guest:$case_name failed"
		continue
	fi
	image=$(awk '{ print $NF }' "$args")
	ring=$(sed -n 's/.*--ring \([^ ]*\).*/\1/p' "$args")
	# shellcheck disable=SC2046
	run_kvmrun "$name" "$in" --report "$tmp/$name.json" $(cat "$args")
	check_status "$name" "$want" || continue
	if ! cmp -s "$base.stdout" "$tmp/$name.out"; then
		fail "$name" "stdout differs with --report:"
		diff -u "$base.stdout" "$tmp/$name.out" | head -20
		continue
	fi
	check_json "$name" "$tmp/$name.json" format=1 kvmrun="$version" \
		image.path="$image" image.size="$(stat -c %s "$image")" \
		image.sha256="$(sha256sum "$image" | cut -d ' ' -f 1)" \
		options.ring="${ring:-auto}" end.status="$want" || continue
	reason=$(json_get "$tmp/$name.json" end.reason)
	# stderr: the same as without --report, unless the ending came at a
	# moment set by the clock or by counts the 50 ms flush timer adds to
	# (time and exit limits): then it passes the case's own checks.
	case $reason in
	timeout | signal | output_closed | max_exits | max_insns | max_output)
		missing=$(stderr_lacks "$base" "$tmp/$name.err")
		if [ -n "$missing" ]; then
			fail "$name" "stderr lacks:$missing"
			continue
		fi ;;
	*)
		if [ -f "$tmp/guest:$case_name.err" ] &&
		   ! diff -u <(normalize_stderr "$tmp/guest:$case_name.err") \
			     <(normalize_stderr "$tmp/$name.err") >"$tmp/$name.diff"; then
			fail "$name" "stderr differs with --report:"
			head -20 "$tmp/$name.diff"
			continue
		fi ;;
	esac
	if ! reason_matches "$reason" "$want"; then
		fail "$name" "end.reason '$reason' is not a documented reason for status $want"
		continue
	fi
	check_message "$name" "$tmp/$name.json" "$tmp/$name.err" || continue
	if [ "$(json_get "$tmp/$name.json" registers)" != "{object}" ] ||
	   [ "$(json_get "$tmp/$name.json" end.kvm_exit)" = null ]; then
		fail "$name" "a run that started has registers and end.kvm_exit"
		continue
	fi
	pass "$name"
done

# ---- run report: the endings tests/cases does not cover -------------------
# report_ending NAME STATUS REASON [PATH=VALUE]...: $status is STATUS and
# $tmp/NAME.json says REASON, STATUS and each PATH=VALUE.
report_ending() {
	local name=$1 want=$2 reason=$3
	shift 3
	check_status "$name" "$want" || return 1
	check_json "$name" "$tmp/$name.json" format=1 end.status="$want" \
		end.reason="$reason" "$@" || return 1
	check_message "$name" "$tmp/$name.json" "$tmp/$name.err" || return 1
	pass "$name"
}

# Setup failures need no KVM: the report is still written, with everything
# the run would have filled in null.
name=report:end-setup-missing-image
run_kvmrun "$name" /dev/null --report "$tmp/$name.json" guests/no-such-image.bin
report_ending "$name" 125 setup_failed image.path=guests/no-such-image.bin \
	image.size=null image.sha256=null end.kvm_exit=null end.exception=null \
	registers=null exits=null output=null instructions_traced=null
name=report:end-setup-kvm-missing
run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --kvm-device /nonexistent/kvm guests/hello.bin
report_ending "$name" 125 setup_failed registers=null ring=null \
	image.sha256="$(sha256sum guests/hello.bin | cut -d ' ' -f 1)"
# The image's format and the start mode (loaded before KVM is opened).
name=report:image-format-elf64
run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --kvm-device /nonexistent/kvm \
	build/fixtures/hello-elf.elf
report_ending "$name" 125 setup_failed image.format=elf64 options.mode=long \
	image.size="$(stat -c %s build/fixtures/hello-elf.elf)" \
	image.sha256="$(sha256sum build/fixtures/hello-elf.elf | cut -d ' ' -f 1)"
name=report:mode-real
run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --kvm-device /nonexistent/kvm \
	--mode real --load 0x1000 tests/guests/lwn.bin
report_ending "$name" 125 setup_failed image.format=flat image.size=12 options.mode=real \
	options.load=0x1000
name=report:end-setup-dump-mem-outside-ram
run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --dump-mem 0x4000000:16 guests/hello.bin
report_ending "$name" 125 setup_failed registers=null options.mem=67108864

for sig in INT:130 TERM:143 HUP:129; do
	name=report:end-SIG${sig%:*}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	"$KVMRUN" --report "$tmp/$name.json" guests/spin.bin >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
	pid=$!
	for _ in $(seq 100); do
		[ -s "$tmp/$name.out" ] && break
		sleep 0.05
	done
	kill "-${sig%:*}" $pid
	wait $pid
	status=$?
	report_ending "$name" "${sig#*:}" signal end.signal="${sig%:*}" \
		end.exit_value=null end.exception=null output.bytes=9 \
		end.message="$(head -n 1 "$tmp/$name.err")"
done

name=report:end-stdout-closed
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	{ timeout -k 5 "$LIMIT" "$KVMRUN" --report "$tmp/$name.json" guests/yes.bin \
		2>"$tmp/$name.err"; echo $? >"$tmp/$name.status"; } | head -n 3 >/dev/null
	status=$(cat "$tmp/$name.status")
	report_ending "$name" 141 output_closed end.signal=null
fi

name=report:end-time-limit
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" -t 0.3 guests/spin.bin
	report_ending "$name" 124 timeout options.timeout_s=0.3 output.bytes=9
fi

# A limit's report says which limit, and the counts agree with it: hello's
# first five exits are in, out 'H', in, out 'e', in.
name=report:end-max-exits
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --max-exits 5 guests/hello.bin
	report_ending "$name" 124 max_exits options.max_exits=5 exits.total=5 \
		exits.by_kind.io_in=3 exits.by_kind.io_out=2 output.bytes=2 \
		top_ports.0.port=0x3fd top_ports.0.reads=3 top_ports.1.port=0x3f8 \
		top_ports.1.writes=2 "top_mmio=[array 0]"
fi
name=report:end-max-insns
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --trace insns \
		--trace-file "$tmp/$name.trace" --max-insns 10 guests/hello.bin
	if report_ending "$name" 124 max_insns options.max_insns=10 \
		instructions_traced=10 registers.rip=0x1001d; then
		name=trace:max-insns-lines
		if [ "$(grep -c '^insn ' "$tmp/report:end-max-insns.trace")" -eq 10 ]; then pass "$name"
		else fail "$name" "$(grep -c '^insn ' "$tmp/report:end-max-insns.trace") instructions traced, expected 10"; fi
	fi
fi
name=report:end-max-output
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --max-output 100 guests/yes.bin
	report_ending "$name" 124 max_output options.max_output=100 output.bytes=100
fi

# An exception, in each ring: the vector, its names, the decoded error code,
# CR2 and where it happened.
for spec in auto:3:0x6:user 0:0:0x2:supervisor; do
	IFS=: read -r ring cpl code mode <<<"$spec"
	name=report:end-exception-pf-ring$ring
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --ring "$ring" guests/fault-pf-write.bin
	report_ending "$name" 126 exception end.kvm_exit=KVM_EXIT_HLT \
		end.exception.vector=14 end.exception.mnemonic="#PF" \
		end.exception.name="page fault" end.exception.error_code="$code" \
		end.exception.error="write, $mode mode, page not present" \
		end.exception.cr2=0x200000008 registers.cr2=0x200000008 \
		end.exception.rip=0x1001b registers.rip=0x1001b \
		end.exception.ring="$cpl" end.exception.code=48894308f466baf803ac84c07403eeeb
done
name=report:end-exception-ud
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" guests/fault-ud.bin
	report_ending "$name" 126 exception end.exception.vector=6 \
		end.exception.mnemonic="#UD" end.exception.error_code=null \
		end.exception.error=null end.exception.cr2=null
fi

# --ring 3 and an instruction that needs ring 0: the report names it.
name=report:end-privileged-ring3
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --ring 3 guests/privileged.bin
	report_ending "$name" 126 privileged_instruction end.exception.instruction=lidt \
		end.exception.vector=13 end.exception.mnemonic="#GP" \
		end.exception.rip=0x10013 ring.start=3 ring.end=3 ring.moved_to_ring0_at=null
fi
# --ring auto: the same instruction moves the guest to ring 0, and the report says where.
name=report:ring-move
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" guests/privileged.bin
	report_ending "$name" 0 hlt ring.start=3 ring.end=0 ring.moved_to_ring0_at=0x10013 \
		end.exception=null end.message=null options.ring=auto
fi

# --report - writes the report to stderr: for a guest that ends with hlt, stderr is the report alone.
name=report:to-stderr
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report - guests/hello.bin
	cp "$tmp/$name.err" "$tmp/$name.json"
	report_ending "$name" 0 hlt image.path=guests/hello.bin
fi

# --set values appear in the report's options, in order, and in the registers.
name=report:set
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" --set r15=0xfedcba9876543210 \
		--set rax=0x1122334455667788 tests/guests/regdump.bin
	report_ending "$name" 0 hlt "options.set=[array 2]" options.set.0.reg=r15 \
		options.set.0.value=0xfedcba9876543210 options.set.1.reg=rax \
		options.set.1.value=0x1122334455667788 registers.r15=0xfedcba9876543210 \
		registers.rdi=0x7800
fi
