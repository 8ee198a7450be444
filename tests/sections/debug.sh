# shellcheck shell=bash
# Section "debug" of tests/run-tests.sh: --gdb, driven by the real gdb in
# batch mode (gdb -batch -x SCRIPT).  Run it alone with
# "tests/run-tests.sh debug" (or "make check TESTS=debug").
#
# Tests marked via-idt run again with the hidden --gdb-via-idt: kvmrun's own
# IDT stops and steps the guest, as on kvm_pvm hosts, whatever this host is.
#
# Each test starts kvmrun with --gdb on a Unix socket of its own (no port
# to collide with), runs a gdb script against it, and checks what gdb
# printed, what the guest printed and kvmrun's exit status.  Nothing here
# waits for a time the machine's speed decides: gdb's own stops pace it.

gdb_why=""
command -v gdb >/dev/null 2>&1 || gdb_why="gdb is not installed (.ci/need gdb gdb installs it)"

# gdb_run NAME IMAGE [KVMRUN-ARGS...]: kvmrun --gdb on a socket in $tmp with
# IMAGE, and gdb with the script $tmp/NAME.gdb (its first line connects),
# the ELF's symbols loaded; sets $status (kvmrun's) and $gdb_status, and
# leaves gdb's output in $tmp/NAME.gdbout.
gdb_run() {
	local name=$1 image=$2 kp sock
	shift 2
	# gdb reads a name with a colon as HOST:PORT: none in the path.
	sock="$tmp/${name//[^A-Za-z0-9_-]/_}.sock"
	rm -f "$sock"
	timeout -k 5 "$LIMIT" "$KVMRUN" --gdb "unix:$sock" "$@" "$image" \
		</dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" &
	kp=$!
	# The socket exists once kvmrun listens (it is made before the guest).
	for _ in $(seq 1 100); do
		[ -S "$sock" ] && break
		kill -0 "$kp" 2>/dev/null || break
		sleep 0.1
	done
	# gdb reads symbols from an ELF image; a flat one has none to give.
	[ "$(head -c 4 "$image" | od -An -c | tr -d ' ')" = '177ELF' ] || image=
	timeout -k 5 "$LIMIT" gdb -batch -nx -ex "set pagination off" \
		-ex "target remote $sock" -x "$tmp/$name.gdb" ${image:+"$image"} \
		>"$tmp/$name.gdbout" 2>&1
	gdb_status=$?
	wait "$kp"
	status=$?
}

# gdb_has NAME TEXT...: gdb printed each TEXT (fixed strings), or NAME fails.
gdb_has() {
	local name=$1 text
	shift
	for text in "$@"; do
		if ! grep -qF -- "$text" "$tmp/$name.gdbout"; then
			fail "$name" "gdb did not print '$text': $(tail -c 600 "$tmp/$name.gdbout" | tr '\n' '|')"
			return 1
		fi
	done
}

# A C guest: a breakpoint by name, the backtrace through two C frames,
# arguments, r12-r15, segment and control registers, finish, stepi and
# nexti, a variable written (the guest then prints it), monitor commands,
# and continue to the guest's exit status (tests/guests/c/gdbme.c).
for via in "" --gdb-via-idt; do
name=gdb:break-step-registers-memory${via:+:via-idt}
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	cat >"$tmp/$name.gdb" <<'EOF'
break add
continue
bt
info registers r12 r13 r14 r15 rip cs fs_base gs_base cr0 cr3 cr4 efer
print a + b
set var counter = 100
finish
stepi
nexti
step
monitor mode
monitor pt 0x10000
monitor exits
monitor debug
x/2i $pc
delete
continue
EOF
	gdb_run "$name" tests/guests/c/gdbme.elf $via
	if [ "$status" -ne 12 ] || [ "$gdb_status" -ne 0 ]; then
		fail "$name" "kvmrun status $status (12 expected), gdb $gdb_status; gdb: $(tail -c 400 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif ! grep -qx 'total 12 counter 103' "$tmp/$name.out"; then
		fail "$name" "the guest did not see the write: $(cat "$tmp/$name.out")"
	elif gdb_has "$name" "Breakpoint 1, add (a=1, b=1)" \
		"in twice (x=1) at tests/guests/c/gdbme.c" "in main () at tests/guests/c/gdbme.c" \
		"r12 " "r15 " "fs_base " "cr0 " "cr3 " "efer " '$1 = 2' \
		"Value returned is" \
		"long mode (64-bit), ring 3, paging on" "0x10000 -> physical 0x10000" \
		"io_out" "watchpoints: none" "exited with code 014"; then
		pass "$name"
	fi
fi
done

# A "hardware" breakpoint (an int3 too) and a watchpoint on a variable,
# which gdb keeps by stepping the guest (kvmrun has no hardware
# watchpoints yet: README, "Debugging a guest").
for via in "" --gdb-via-idt; do
name=gdb:hbreak-and-watch${via:+:via-idt}
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "set can-use-hw-watchpoints 0" "hbreak twice" "continue" \
		"watch counter" "continue" "delete" "continue" >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/c/gdbme.elf $via
	if [ "$status" -ne 12 ] || ! grep -qx 'total 12 counter 3' "$tmp/$name.out"; then
		fail "$name" "status $status; stdout: $(cat "$tmp/$name.out"); gdb: $(tail -c 400 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif gdb_has "$name" "twice (x=1) at tests/guests/c/gdbme.c" "Old value = 0" \
		"New value = 1" "exited with code 014"; then
		pass "$name"
	fi
fi
done

# A guest that kvmrun moves to ring 0 (it reads CR0): the breakpoint after
# the move stops there, in ring 0 (tests/guests/c/gdbring0.c).
for via in "" --gdb-via-idt; do
name=gdb:break-in-ring0-after-the-move${via:+:via-idt}
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "break marker" "continue" "monitor mode" "print/x \$cs" \
		"finish" "continue" >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/c/gdbring0.elf $via
	if [ "$status" -ne 0 ] || ! grep -qx 'cr0 has PG: 1' "$tmp/$name.out"; then
		fail "$name" "status $status; stdout: $(cat "$tmp/$name.out"); gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif gdb_has "$name" "Breakpoint 1, marker (cr0=" "ring 0" '= 0x8' \
		"Value returned is" "exited normally"; then
		pass "$name"
	fi
fi
done

# A crash stops in gdb with the signal it means, at the faulting line;
# continuing ends the run with 126 (guests/c/exception.c: #DE).
name=gdb:crash-stops-with-sigfpe
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "continue" "info registers rip" "continue" >"$tmp/$name.gdb"
	gdb_run "$name" guests/c/exception.elf
	if [ "$status" -ne 126 ]; then
		fail "$name" "status $status, 126 expected; gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif gdb_has "$name" "received signal SIGFPE" "exited with code 0176"; then
		pass "$name"
	fi
fi

# Ctrl-C: gdb interrupts a guest that spins without an exit.  Once the
# guest has printed "spin: forever" it runs, so gdb has sent its continue;
# the test then sends gdb one SIGINT, as a user's Ctrl-C would.
name=gdb:ctrl-c-interrupts-a-spinning-guest
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	rm -f "$tmp/$name.out"
	printf '%s\n' "continue" "monitor mode" "kill" >"$tmp/$name.gdb"
	( for _ in $(seq 1 600); do
		grep -q 'spin: forever' "$tmp/$name.out" 2>/dev/null && break
		sleep 0.1
	  done
	  # gdb itself, not the timeout(1) that runs it (which would pass
	  # the signal on: a second Ctrl-C means "give up" to gdb).
	  pkill -INT -f -- "^gdb .*-x $tmp/$name.gdb" ) &
	gdb_run "$name" tests/guests/hostile/spin.bin
	wait
	if [ "$status" -ne 137 ]; then
		fail "$name" "status $status, 137 (killed from gdb) expected; gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif gdb_has "$name" "received signal SIGINT" "long mode (64-bit), ring"; then
		pass "$name"
	fi
fi

# Bad --gdb arguments are refused before anything runs.
for args in "--gdb 1234" "--gdb :0" "--gdb :99999" "--gdb nohost:12" "--gdb-wait=no" \
	    "--gdb :1234 --gdb-wait=maybe" "--gdb :1234 --trace insns"; do
	name="gdb:refused:${args// /_}"
	# shellcheck disable=SC2086
	run_kvmrun "$name" /dev/null $args guests/hello.bin
	if check_status "$name" 125; then
		if grep -q -- '--gdb' "$tmp/$name.err"; then pass "$name"
		else fail "$name" "the message does not name --gdb: $(cat "$tmp/$name.err")"; fi
	fi
done

# --core: a crash two C calls deep writes a core that gdb opens, with the
# signal and a backtrace through both frames (tests/guests/c/crash2.c).
name=core:crash-backtrace
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	rm -f "$tmp/$name.core"
	run_kvmrun "$name" /dev/null --core "$tmp/$name.core" tests/guests/c/crash2.elf
	if check_status "$name" 126; then
		timeout -k 5 "$LIMIT" gdb -batch -nx -ex bt -ex "info registers rip" \
			tests/guests/c/crash2.elf "$tmp/$name.core" >"$tmp/$name.gdbout" 2>&1
		if ! grep -qF "core written to $tmp/$name.core" "$tmp/$name.err"; then
			fail "$name" "stderr does not say where the core went: $(cat "$tmp/$name.err")"
		elif gdb_has "$name" "Program terminated with signal SIGFPE" "#0  " \
			"inner (n=42) at tests/guests/c/crash2.c" \
			"outer (n=41) at tests/guests/c/crash2.c" "main () at tests/guests/c/crash2.c"; then
			pass "$name"
		fi
	fi
fi

# No crash, no core; with --core-always there is one, with no signal.
name=core:only-on-a-crash
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	rm -f "$tmp/$name.core" "$tmp/$name.always"
	run_kvmrun "$name" /dev/null --core "$tmp/$name.core" guests/hello.bin
	if check_status "$name" 0; then
		run_kvmrun "$name.always" /dev/null --core "$tmp/$name.always" --core-always \
			guests/hello.bin
		if [ -e "$tmp/$name.core" ]; then
			fail "$name" "a core was written for a clean hlt"
		elif [ "$status" -ne 0 ] || [ "$(head -c 4 "$tmp/$name.always" | od -An -c | tr -d ' ')" != 177ELF ]; then
			fail "$name" "--core-always: status $status, no ELF core"
		else
			pass "$name"
		fi
	fi
fi

# A core that cannot be written is kvmrun's failure, said in one line.
name=core:unwritable
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --core /nonexistent/dir/core tests/guests/c/crash2.elf
	if check_status "$name" 125; then
		if grep -q -- '--core /nonexistent/dir/core: cannot create it' "$tmp/$name.err"; then
			pass "$name"
		else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
	fi
fi
name=core:always-needs-core
run_kvmrun "$name" /dev/null --core-always guests/hello.bin
if check_status "$name" 125; then
	if grep -q -- '--core-always needs --core FILE' "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# stepi goes through every instruction, port I/O included, in the order
# --trace insns gives (its stepper is kvmrun's own, checked elsewhere):
# the first 24 instructions of guests/hello.bin, which polls the UART with
# `in` and writes with `out`.
for via in "" --gdb-via-idt; do
name=gdb:stepi-matches-the-trace${via:+:via-idt}
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	run_kvmrun "$name.trace" /dev/null --trace insns --max-insns 24 guests/hello.bin
	sed -n 's/^insn .* rip=\(0x[0-9a-f]*\) .*/\1/p' "$tmp/$name.trace.err" >"$tmp/$name.want"
	{
		for _ in $(seq 1 23); do echo 'printf "pc=%#lx\n", $pc'; echo stepi; done
		echo 'printf "pc=%#lx\n", $pc'
		echo kill
	} >"$tmp/$name.gdb"
	gdb_run "$name" guests/hello.bin $via
	sed -n 's/^pc=//p' "$tmp/$name.gdbout" >"$tmp/$name.got"
	if [ "$(wc -l <"$tmp/$name.want")" -ne 24 ]; then
		fail "$name" "the trace gave $(wc -l <"$tmp/$name.want") instructions, not 24"
	elif ! grep -Eq 'rip=0x[0-9a-f]+ (66 )?(e[4-7]|e[c-f])( |$)' "$tmp/$name.trace.err"; then
		fail "$name" "no port I/O among the instructions: $(head -c 300 "$tmp/$name.trace.err")"
	elif ! cmp -s "$tmp/$name.want" "$tmp/$name.got"; then
		fail "$name" "stepi went elsewhere: $(diff "$tmp/$name.want" "$tmp/$name.got" | head -6 | tr '\n' ' ')"
	else
		pass "$name"
	fi
fi
done

# detach: the guest runs on to its end, without the breakpoints.
name=gdb:detach-lets-it-run
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "break add" "continue" "detach" >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/c/gdbme.elf --report "$tmp/$name.json"
	if [ "$status" -ne 12 ] || ! grep -qx 'total 12 counter 3' "$tmp/$name.out"; then
		fail "$name" "status $status; stdout: $(cat "$tmp/$name.out")"
	elif check_json "$name" "$tmp/$name.json" end.reason=exit_device end.status=12 &&
	     gdb_has "$name" "Breakpoint 1, add" "(Remote target) detached"; then
		pass "$name"
	fi
fi

# --gdb-wait=no: the guest runs at once; gdb attaches later and stops it
# where it is.  kvmrun says how to connect.
name=gdb:attach-to-a-running-guest
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "monitor mode" "kill" >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/hostile/spin.bin --gdb-wait=no
	if [ "$status" -ne 137 ]; then
		fail "$name" "status $status, 137 expected; gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif ! grep -qF "connect with: gdb -ex 'target remote $tmp/" "$tmp/$name.err" ||
	     grep -q "waits for gdb" "$tmp/$name.err"; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	elif gdb_has "$name" "long mode (64-bit)"; then
		pass "$name"
	fi
fi

# Time stopped in gdb (or waiting for it) does not count against
# --timeout: stopped 4 s under -t 3, the guest still ends by itself (it
# runs for milliseconds).
name=gdb:stopped-time-is-not-run-time
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "break add" "continue" "shell sleep 4" "delete" "continue" >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/c/gdbme.elf -t 3
	if [ "$status" -ne 12 ]; then
		fail "$name" "status $status, 12 expected: $(head -c 300 "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# Stepping never shows the guest TF, nor loses it: every instruction of
# tests/guests/traceflags.bin (pushf, popf, iretq and their look-alikes)
# single-stepped from gdb, and the guest still finds its flags right.
for via in "" --gdb-via-idt; do
name=gdb:stepping-hides-tf${via:+:via-idt}
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	{ for _ in $(seq 1 300); do echo "stepi"; done; echo continue; } >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/traceflags.bin $via
	if [ "$status" -ne 0 ] || ! grep -q 'traceflags ok' "$tmp/$name.out"; then
		fail "$name" "status $status; stdout: $(cat "$tmp/$name.out"); gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi
done

# A hostile client: malformed, oversize, truncated and unknown packets each
# get an error or an empty reply, and the stub still works afterwards
# (tests/tools/gdbclient.py speaks the protocol itself).
name=gdb:hostile-client
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif ! command -v python3 >/dev/null 2>&1; then skip "$name" "python3 is not installed"
else
	sock="$tmp/hostile-client.sock"
	rm -f "$sock"
	timeout -k 5 "$LIMIT" "$KVMRUN" --gdb "unix:$sock" guests/hello.bin \
		</dev/null >"$tmp/$name.out" 2>"$tmp/$name.err" &
	kp=$!
	for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
	timeout -k 5 "$LIMIT" python3 tests/tools/gdbclient.py "$sock" >"$tmp/$name.client" 2>&1
	client_status=$?
	wait "$kp"
	status=$?
	if [ "$client_status" -ne 0 ]; then
		fail "$name" "$(grep -m1 FAIL "$tmp/$name.client" || tail -c 300 "$tmp/$name.client")"
	elif [ "$status" -ne 137 ]; then
		fail "$name" "kvmrun status $status after the client's kill, 137 expected: $(head -c 300 "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# A guest with its own IDT, stepped from gdb: on hardware KVM the steps
# are KVM's own, which need no IDT of kvmrun's, and the guest's own
# handlers still take its ud2 and int3 (tests/guests/tierpin.S, in ring 0
# from the start).  On kvm_pvm the steps go through kvmrun's IDT, which
# such a guest has replaced: not supported there (README).
name=gdb:step-a-guest-with-its-own-idt
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
elif [ -d /sys/module/kvm_pvm ]; then skip "$name" "kvm_pvm: steps need kvmrun's IDT there"
else
	{ for _ in $(seq 1 400); do echo "stepi"; done; echo continue; } >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/tierpin.bin --ring 0
	if [ "$status" -ne 0 ] || [ "$(tr '\n' '|' <"$tmp/$name.out")" != \
	     "at ring 0|own #UD handler|own #BP handler|ok|" ]; then
		fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out"); gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	else
		pass "$name"
	fi
fi

# A guest that starts in real mode and switches itself to protected and
# long mode (the workshop's lesson 3 guest): breakpoints (by linear
# address: gdb's pc is CS base + IP outside 64-bit code) in 32-bit and in
# 64-bit code, a step, the mode at each stop, and its end.
name=gdb:real-mode-to-long-mode
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	cat >"$tmp/$name.gdb" <<'EOF2'
info registers rip cs
monitor mode
break *0x10029
continue
monitor mode
stepi
info registers rip
break *0x1009f
continue
monitor mode
monitor debug
delete
continue
EOF2
	gdb_run "$name" docs/workshop/guests/03-modes.bin --mode real -v
	if ! grep -q "kvmrun: gdb: breakpoints by KVM's single-step to their address .*no hardware watchpoints" "$tmp/$name.err"; then
		fail "$name" "-v does not say how gdb stops the guest: $(grep 'gdb:' "$tmp/$name.err" | tr '\n' '|')"
	elif [ "$status" -ne 0 ] || [ "$(tr '\n' '|' <"$tmp/$name.out")" != "real mode|protected mode|long mode|" ]; then
		fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out"); gdb: $(tail -c 400 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif gdb_has "$name" "rip            0x10000" "real mode (16-bit), ring 0, paging off" \
		"Breakpoint 1, 0x0000000000010029" "protected mode (32-bit), ring 0, paging off" \
		"rip            0x1002d" "Breakpoint 2, 0x000000000001009f" \
		"long mode (64-bit), ring 0, paging on" "breakpoints by stepping to their address" \
		"exited normally"; then
		pass "$name"
	fi
fi

# Breakpoints in a guest that loads its own IDT (which would take gdb's
# int3): from its lidt on they go by KVM's single-step; one after its own
# handler's iretq and one at its hlt stop it (guests/ownidt.S).
for via in "" --gdb-via-idt; do
name=gdb:breakpoints-under-the-guests-own-idt${via:+:via-idt}
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "break *0x10036" "break *0x10042" continue "info registers rip" \
		"monitor debug" continue "info registers rip" delete continue >"$tmp/$name.gdb"
	# shellcheck disable=SC2086
	gdb_run "$name" guests/ownidt.bin $via
	if [ "$status" -ne 0 ] || [ "$(tr '\n' '|' <"$tmp/$name.out")" != \
	     "ownidt: caught #UD at 0x0000000000010034|ownidt: back after iretq|" ]; then
		fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out"); gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"
	elif gdb_has "$name" "Breakpoint 1, 0x0000000000010036" "rip            0x10036" \
		"the guest has its own IDT, which would take an int3" \
		"Breakpoint 2, 0x0000000000010042" "exited normally"; then
		pass "$name"
	fi
fi
done

# Stepping a real-mode guest to a breakpoint it never reaches: a pushf on
# a stack with a segment base must not show KVM's TF, and nothing else in
# memory may change (tests/guests/realpushf.S).
name=gdb:real-mode-pushf-hides-tf
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif [ -n "$gdb_why" ]; then skip "$name" "$gdb_why"
else
	printf '%s\n' "break *0x30000" continue >"$tmp/$name.gdb"
	gdb_run "$name" tests/guests/realpushf.bin --mode real
	if [ "$status" -eq 0 ] && [ "$(cat "$tmp/$name.out")" = "k" ]; then pass "$name"
	else fail "$name" "status $status; stdout: $(tr '\n' '|' <"$tmp/$name.out"); gdb: $(tail -c 300 "$tmp/$name.gdbout" | tr '\n' '|')"; fi
fi
