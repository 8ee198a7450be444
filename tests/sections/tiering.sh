# shellcheck shell=bash
# Section "tiering" of tests/run-tests.sh: moving the guest between the
# rings for speed (src/ring3/tier.h).  Run it alone with
# "tests/run-tests.sh tiering" (or "make check TESTS=tiering").
#
# Tiering decides by time on kvm_pvm hosts only; these tests force it on
# any host (--tier-any-host) and force the moves at chosen exits
# (--tier-every N), so that nothing here depends on the machine's speed.
# Each guest must produce exactly what it produces when no move is made
# (--ring 0, --no-tiering), after any number of moves.

# tier_same NAME STDIN ARGS... -- REFERENCE-ARGS...: run with ARGS and with
# REFERENCE-ARGS; the same stdout and status, or NAME fails.
tier_same() {
	local name=$1 in=$2 a=() ref_status
	shift 2
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	run_kvmrun "$name.ref" "$in" "$@"
	ref_status=$status
	run_kvmrun "$name" "$in" "${a[@]}"
	if [ "$status" -ne "$ref_status" ]; then
		fail "$name" "status $status, $ref_status without moves; stderr: $(head -c 400 "$tmp/$name.err")"
		return 1
	fi
	if ! cmp -s "$tmp/$name.ref.out" "$tmp/$name.out"; then
		fail "$name" "stdout differs from the run without moves: $(diff "$tmp/$name.ref.out" "$tmp/$name.out" | head -5 | tr '\n' ' ')"
		return 1
	fi
}

# tier_moved NAME REPORT: the report says tiering was on and the guest
# went back to ring 3 at least once (so moves did happen).
tier_moved() {
	local back
	check_json "$1" "$2" ring.tiering=true ring.stays_in_ring0=null || return 1
	back=$(json_get "$2" ring.to_ring3)
	if [ "${back:-0}" -lt 1 ]; then
		fail "$1" "no move back to ring 3 (ring.to_ring3 = $back)"
		return 1
	fi
}

# Every register, XMM0, CF and RSP survive every kind of exit, with a move
# at every exit, every second and every third (tests/guests/tierregs.S).
for every in 1 2 3; do
	name=tier:registers-every-$every
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	if tier_same "$name" /dev/null --tier-any-host --tier-every "$every" \
		--report "$tmp/$name.json" tests/guests/tierregs.bin -- \
		--ring 0 tests/guests/tierregs.bin; then
		if [ "$status" -ne 0 ] || ! grep -qx ok "$tmp/$name.out"; then
			fail "$name" "status $status; stdout: $(tail -c 200 "$tmp/$name.out")"
		elif tier_moved "$name" "$tmp/$name.json"; then
			pass "$name"
		fi
	fi
done

# Phases of computing and bursts of port I/O, stdin reads, MMIO and bulk
# writes (tests/guests/c/tierphases.c), against --ring 0 and --no-tiering.
printf 'abcdefghij' >"$tmp/tier-stdin"
for args in "--tier-every 1" "--tier-every 5" "--tier-every 7" ""; do
	name="tier:phases-${args:+every-${args#--tier-every }}"
	name=${name%-}
	[ -z "$args" ] && name=tier:phases-by-time
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	# shellcheck disable=SC2086
	if tier_same "$name" "$tmp/tier-stdin" --tier-any-host $args \
		--report "$tmp/$name.json" tests/guests/c/tierphases.elf -- \
		--ring 0 tests/guests/c/tierphases.elf &&
	   tier_same "$name.no-tiering" "$tmp/tier-stdin" --no-tiering \
		tests/guests/c/tierphases.elf -- --ring 0 tests/guests/c/tierphases.elf; then
		if [ "$(grep -c '^phase ' "$tmp/$name.out")" -ne 10 ] ||
		   ! grep -qx 'read 106, checked' "$tmp/$name.out"; then
			fail "$name" "stdout: $(head -c 300 "$tmp/$name.out")"
		elif [ -z "$args" ]; then
			# By time: whether it moved depends on speed; only that
			# tiering was on is certain.
			check_json "$name" "$tmp/$name.json" ring.tiering=true && pass "$name"
		elif tier_moved "$name" "$tmp/$name.json"; then
			pass "$name"
		fi
	fi
done

# A guest that loads its own IDT while kvmrun has it at CPL0 for speed
# stays there: its own handlers take its exceptions (tests/guests/tierpin.S).
name=tier:own-idt-stays-in-ring0
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif tier_same "$name" /dev/null --tier-any-host --tier-every 1 \
	--report "$tmp/$name.json" tests/guests/tierpin.bin -- \
	--ring 0 tests/guests/tierpin.bin; then
	if [ "$status" -ne 0 ] || [ "$(tr '\n' '|' <"$tmp/$name.out")" != \
	     "at ring 0|own #UD handler|own #BP handler|ok|" ]; then
		fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out")"
	elif check_json "$name" "$tmp/$name.json" ring.tiering=true \
		"ring.stays_in_ring0=loaded its own IDT" ring.end=0 ring.to_ring3=0; then
		pass "$name"
	fi
fi

# -v tells each move and why; --trace exits marks them.
name=tier:narrated-and-traced
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v --trace exits --trace-file "$tmp/$name.trace" \
		--tier-any-host --tier-every 2 tests/guests/tierregs.bin
	if check_status "$name" 0; then
		if ! grep -q '^kvmrun: tiering: on, switching rings every 2 exits' "$tmp/$name.err"; then
			fail "$name" "-v does not say tiering is on: $(grep tiering "$tmp/$name.err")"
		elif ! grep -q '^kvmrun: tier: to ring [03] at rip 0x[0-9a-f]* (exit 2): exit 2 (--tier-every 2)' "$tmp/$name.err"; then
			fail "$name" "-v does not tell the move at exit 2: $(grep 'tier:' "$tmp/$name.err" | head -3)"
		elif ! grep -q '^kvmrun: tier: further moves are only counted' "$tmp/$name.err"; then
			fail "$name" "-v does not say it stops telling moves"
		elif ! grep -q '^note  tier: to ring [03] at rip' "$tmp/$name.trace"; then
			fail "$name" "the trace has no move: $(grep -c note "$tmp/$name.trace") notes"
		else
			pass "$name"
		fi
	fi
fi

# Off, and why: the default is on only on kvm_pvm hosts.
name=tier:default-by-host
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --report "$tmp/$name.json" guests/hello.bin
	if check_status "$name" 0; then
		if [ -d /sys/module/kvm_pvm ]; then
			check_json "$name" "$tmp/$name.json" ring.tiering=true ring.tiering_off=null &&
				pass "$name"
		else
			check_json "$name" "$tmp/$name.json" ring.tiering=false \
				"ring.tiering_off=this host's KVM is not kvm_pvm: both rings run natively" &&
				pass "$name"
		fi
	fi
fi
name=tier:off-with-no-tiering
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --no-tiering --report "$tmp/$name.json" guests/hello.bin
	check_status "$name" 0 && check_json "$name" "$tmp/$name.json" ring.tiering=false \
		ring.tiering_off=--no-tiering ring.to_ring0_for_speed=0 && pass "$name"
fi

# Options that contradict each other are refused before anything runs.
name=tier:options-need-ring-auto
run_kvmrun "$name" /dev/null --ring 0 --tier-every 2 guests/hello.bin
if check_status "$name" 125; then
	if grep -q 'tiering options need --ring auto' "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
