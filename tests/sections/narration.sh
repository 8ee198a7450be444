# shellcheck shell=bash
# Section "narration" of tests/run-tests.sh: what -v tells a learner, and
# when (src/observe/narrate.c, observe.c, outcome.c).  Run it alone with
# "make check TESTS=narration".

# line_of NAME TEXT: the number of the first line of NAME's stderr that
# holds TEXT (a fixed string), or 0.
line_of() {
	grep -nF -m1 -- "$2" "$tmp/$1.err" | cut -d: -f1 | grep . || echo 0
}

# Each table is told with the ioctl that points the CPU at it, in the order
# of the setup: the VM, its memory and slots, the vCPU, CPUID, XCR0, the
# page tables, GDT, TSS and IDT before KVM_SET_SREGS, the entry registers
# before KVM_SET_REGS, the devices, then KVM_RUN.
name=narration:order
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v guests/hello.bin
	order="ioctl KVM_CREATE_VM|guest RAM:|ioctl KVM_SET_USER_MEMORY_REGION|ioctl KVM_CREATE_VCPU|CPUID:|KVM_SET_CPUID2|XCR0 =|ioctl KVM_SET_XCRS|page tables:|GDT at|TSS at|IDT at|mode: 64-bit long mode|ioctl KVM_SET_SREGS|entry: rip=|ioctl KVM_SET_REGS|devices:|ioctl KVM_RUN"
	last=0 bad=""
	IFS='|'
	for text in $order; do
		at=$(line_of "$name" "$text")
		if [ "$at" -le "$last" ]; then bad="$bad [$text at line $at, after line $last]"; fi
		last=$at
	done
	unset IFS
	if check_status "$name" 0; then
		if [ -z "$bad" ]; then pass "$name"
		else fail "$name" "out of order:$bad"; fi
	fi
fi

# GDT entries by their offset in the table and the selector that loads
# them (offset | RPL 3 for the CPL3 ones).
name=narration:gdt-offsets-and-selectors
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v guests/hello.bin
	missing=""
	for text in "+0x08 selector 0x08" "+0x18 selector 0x18" "+0x28 selector 0x2b" \
		    "+0x30 selector 0x33"; do
		grep -qF -- "$text" "$tmp/$name.err" || missing="$missing [$text]"
	done
	if [ -z "$missing" ]; then pass "$name"
	else fail "$name" "lacks$missing: $(grep -F 'GDT' -A6 "$tmp/$name.err" | tr '\n' '|')"; fi
fi

# A guest's own mode switches, GDT and page tables, told at the exit after
# them, and the mode it ended in (the workshop's lesson 3 guest).
name=narration:mode-switches
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v --mode real docs/workshop/guests/03-modes.bin
	missing=""
	for text in "the guest switched from real mode to protected mode" \
		    "the guest loaded its own GDT (lgdt)" \
		    "the guest switched from protected mode to 64-bit long mode" \
		    "the guest set CR3 = 0x70000 (mov to cr3): its own page tables" \
		    "at the end the guest was in 64-bit long mode, paging on, CPL0"; do
		grep -qF -- "$text" "$tmp/$name.err" || missing="$missing [$text]"
	done
	if ! check_status "$name" 0; then :
	elif [ -n "$missing" ]; then fail "$name" "lacks$missing: $(grep -v '^kvmrun:   ' "$tmp/$name.err" | tail -12 | tr '\n' '|')"
	elif [ "$(line_of "$name" "to protected mode")" -gt "$(line_of "$name" "to 64-bit long mode")" ]; then
		fail "$name" "the switches are told out of order"
	else
		pass "$name"
	fi
fi

# The guest's own IDT, told when seen; a real-mode guest's end.
name=narration:own-idt
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v guests/ownidt.bin
	if check_status "$name" 0; then
		if grep -qE 'seen at the exit at rip 0x[0-9a-f]+: the guest loaded its own IDT \(lidt\): base 0x[0-9a-f]+' "$tmp/$name.err"
		then pass "$name"; else fail "$name" "$(grep -v '^kvmrun:   ' "$tmp/$name.err" | tail -6 | tr '\n' '|')"; fi
	fi
fi
name=narration:end-mode-real
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v --mode real --load 0x1000 --set rax=2 --set rbx=2 tests/guests/lwn.bin
	if check_status "$name" 0; then
		if grep -qF "at the end the guest was in real mode, paging off, CPL0" "$tmp/$name.err" &&
		   ! grep -qF "seen at the exit" "$tmp/$name.err"
		then pass "$name"; else fail "$name" "$(tail -4 "$tmp/$name.err" | tr '\n' '|')"; fi
	fi
fi

# The move to ring 0, told when it happens, with the instruction that made
# it: with tiering off ("for good"), or with tiering on (it stays, pinned).
name=narration:ring-move
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null -v guests/switch.bin
	if check_status "$name" 0; then
		if grep -qE 'ring: to ring 0 at rip 0x1006f, for good: its `cli` needs CPL0|the guest stays in ring 0 from rip 0x1006f on: it needs ring 0 for its cli' "$tmp/$name.err"
		then pass "$name"; else fail "$name" "$(grep -i 'ring' "$tmp/$name.err" | tr '\n' '|')"; fi
	fi
fi
