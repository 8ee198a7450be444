# shellcheck shell=bash
# Section "output" of tests/run-tests.sh: output under pressure: slow readers, limits, signals.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh output" (or "make check TESTS=output").

# ---- output under pressure: slow readers, limits, signals -----------------
# tests/guests/emit.bin writes RAX bytes of 64-byte lines (RBX: bulk-write
# chunk, 0: one out per byte).  None of these checks how fast anything is:
# a run that must end by time is bounded by timeout(1) far beyond its
# limit, and only what holds at any speed is asserted.
LINE63=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk
emit_expected() { yes "$LINE63" | head -c "$1"; }

# A reader that sleeps while the guest halts: every byte arrives, and the
# run is reported as the guest's own ending, not a time limit.
name=output:slow-reader
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	{ timeout -k 5 "$LIMIT" "$KVMRUN" -t 0.3 --report "$tmp/$name.json" \
		--set rax=65541 --set rbx=4096 tests/guests/emit.bin 2>"$tmp/$name.err"
	  echo $? >"$tmp/$name.status"; } | { sleep 2.5; cat >"$tmp/$name.out"; }
	status=$(cat "$tmp/$name.status")
	if ! check_status "$name" 0; then :
	elif ! cmp -s <(emit_expected 65541) "$tmp/$name.out"; then
		fail "$name" "stdout has $(wc -c <"$tmp/$name.out") bytes, or other bytes, not the 65541 written"
	elif check_json "$name" "$tmp/$name.json" end.reason=hlt output.bytes=65541 \
		output.unwritten=0 output.drain_timed_out=false; then
		pass "$name"
	fi
fi

# stdout blocked for good (a reader that never reads): SIGTERM still ends
# the run, promptly, with the signal's status and a count of what was not
# written; a signal must never be swallowed while kvmrun waits for stdout.
name=output:signal-while-blocked
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	mkfifo "$tmp/$name.fifo"
	exec 8<>"$tmp/$name.fifo"       # read end held open, never read
	timeout -k 5 30 "$KVMRUN" --report "$tmp/$name.json" --set rax=1048576 \
		--set rbx=65536 tests/guests/emit.bin >"$tmp/$name.fifo" 2>"$tmp/$name.err" &
	pid=$!
	sleep 0.5
	kill -TERM $pid 2>/dev/null
	wait $pid
	status=$?
	exec 8<&-
	if check_status "$name" 143 &&
	   check_json "$name" "$tmp/$name.json" end.reason=signal end.signal=TERM; then
		if grep -q "^kvmrun: killed by SIGTERM" "$tmp/$name.err"; then pass "$name"
		else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
	fi
fi

# kvmrun's own writes never hold it either: a trace file nobody reads (a
# FIFO held open) with a time limit, and a trace to a stderr nobody reads
# with SIGTERM, end as the limit and the signal say, and a trace loss is
# counted.  Bounded by timeout(1) far beyond the limit.
name=output:trace-nobody-reads
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	mkfifo "$tmp/$name.fifo"
	exec 8<>"$tmp/$name.fifo"
	timeout -k 5 30 "$KVMRUN" -t 1 --trace exits --trace-file "$tmp/$name.fifo" \
		guests/yes.bin >/dev/null 2>"$tmp/$name.err" </dev/null
	status=$?
	exec 8<&-
	if ! check_status "$name" 124; then :
	elif ! grep -q "^kvmrun: --trace-file $tmp/$name.fifo: [0-9]* bytes of the trace were not written (it stayed blocked)" "$tmp/$name.err"; then
		fail "$name" "stderr: $(head -3 "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi
name=output:stderr-nobody-reads
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	mkfifo "$tmp/$name.fifo"
	exec 8<>"$tmp/$name.fifo"
	timeout -k 5 30 "$KVMRUN" --trace exits guests/yes.bin >/dev/null 2>"$tmp/$name.fifo" </dev/null &
	pid=$!
	sleep 0.5
	kill -TERM $pid 2>/dev/null
	wait $pid
	status=$?
	exec 8<&-
	check_status "$name" 143 && pass "$name"
fi

# A file size limit (ulimit -f, in KiB blocks): exactly that much output,
# then SIGXFSZ's ending.
name=ending:SIGXFSZ
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	( ulimit -f 4; exec "$KVMRUN" --set rax=100000 --set rbx=4096 tests/guests/emit.bin ) \
		>"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	status=$?
	if ! check_status "$name" 153; then :
	elif ! cmp -s <(emit_expected 4096) "$tmp/$name.out"; then
		fail "$name" "stdout: $(wc -c <"$tmp/$name.out") bytes, expected the first 4096"
	elif ! grep -q "^kvmrun: killed by SIGXFSZ (file size limit exceeded)" "$tmp/$name.err"; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# A trace file that cannot be written: status 125 and a line saying so;
# the guest's output is all there.
name=trace:unwritable-file
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --trace exits --trace-file /dev/full guests/hello.bin
	if ! check_status "$name" 125; then :
	elif ! cmp -s tests/cases/hello.stdout "$tmp/$name.out"; then
		fail "$name" "guest output lost: $(cat "$tmp/$name.out")"
	elif ! grep -q "/dev/full.*No space left on device" "$tmp/$name.err"; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# stdout and stderr into one file: kvmrun's lines come after the guest
# output written before them, and start lines of their own (mmio.bin is
# in the middle of a line when it touches the unclaimed address): every
# guest byte is there, in order, and no kvmrun line is cut.
name=output:merged-log
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	timeout -k 5 "$LIMIT" "$KVMRUN" guests/mmio.bin >"$tmp/$name.log" 2>&1 </dev/null
	status=$?
	if ! check_status "$name" 0; then :
	elif grep -n '.kvmrun: ' "$tmp/$name.log" >"$tmp/$name.bad"; then
		fail "$name" "a kvmrun line inside a guest line: $(head -2 "$tmp/$name.bad")"
	elif ! cmp -s <(grep -v '^kvmrun: ' "$tmp/$name.log" | tr -d '\n') \
		      <(tr -d '\n' <tests/cases/mmio.stdout); then
		fail "$name" "the guest's bytes differ from tests/cases/mmio.stdout"
	elif ! grep -A1 '^mmio: unclaimed 0xc0001000 reads all ones: $' "$tmp/$name.log" |
	     grep -q '^kvmrun: unclaimed MMIO write: address 0xc0001000'; then
		fail "$name" "the note is not where the access happened: $(cat "$tmp/$name.log")"
	else
		pass "$name"
	fi
fi

# One large bulk write to a regular file goes out in chunks of at most
# 1 MiB, between which kvmrun looks at the time limit and signals (seen
# with strace: the writes, and a sigtimedwait between them).
name=output:bulk-write-chunks
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
elif ! command -v strace >/dev/null; then skip "$name" "strace is not installed"
else
	strace -f -qq -e trace=write,rt_sigtimedwait -o "$tmp/$name.strace" \
		"$KVMRUN" --set rax=20971520 --set rbx=20971520 tests/guests/emit.bin \
		>"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	status=$?
	big=$(awk '/write\(/ { n = $NF; if (n + 0 > 1048576) print }' "$tmp/$name.strace" | head -3)
	waits=$(grep -c 'rt_sigtimedwait' "$tmp/$name.strace")
	if ! check_status "$name" 0; then :
	elif [ "$(wc -c <"$tmp/$name.out")" -ne 20971520 ]; then
		fail "$name" "stdout has $(wc -c <"$tmp/$name.out") bytes, not 20971520"
	elif [ -n "$big" ]; then
		fail "$name" "a write of more than 1 MiB: $big"
	elif [ "$waits" -lt 19 ]; then
		fail "$name" "only $waits looks at pending signals between 20 chunks"
	else
		pass "$name"
	fi
fi

# A terminal nobody reads (a pty whose other end is never read): the time
# limit still ends the run.  And stdout already non-blocking (EAGAIN): kvmrun
# waits for the reader instead of failing, and every byte arrives.
if [ -n "$kvm_why" ]; then
	skip "output:terminal-nobody-reads" "$kvm_why"
	skip "output:nonblocking-stdout" "$kvm_why"
elif ! command -v python3 >/dev/null; then
	skip "output:terminal-nobody-reads" "python3 is not installed"
	skip "output:nonblocking-stdout" "python3 is not installed"
else
	name=output:terminal-nobody-reads
	python3 - "$KVMRUN" >"$tmp/$name.out" 2>&1 <<'PY'
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1], "-t", "1", "--set", "rax=10000000", "--set", "rbx=0",
                      "tests/guests/emit.bin"], stdout=slave, stderr=subprocess.PIPE,
                     stdin=subprocess.DEVNULL)
os.close(slave)
try:
    err = p.communicate(timeout=30)[1].decode()
except subprocess.TimeoutExpired:
    p.kill()
    print("hung: no ending within 30 s")
    sys.exit(1)
print(p.returncode, err.strip().splitlines()[0] if err.strip() else "")
PY
	if grep -q '^124 kvmrun: time limit of 1 s reached' "$tmp/$name.out"; then pass "$name"
	else fail "$name" "$(cat "$tmp/$name.out")"; fi

	name=output:nonblocking-stdout
	python3 - "$KVMRUN" >"$tmp/$name.out" 2>&1 <<'PY'
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen([sys.argv[1], "--set", "rax=300000", "--set", "rbx=4096",
                      "tests/guests/emit.bin"], stdout=w, stderr=subprocess.PIPE,
                     stdin=subprocess.DEVNULL)
os.close(w)
time.sleep(0.5)                 # let the pipe fill: kvmrun must wait, not fail
data = b""
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    data += chunk
err = p.communicate(timeout=30)[1].decode()
print(p.returncode, len(data), err.strip())
PY
	if [ "$(cat "$tmp/$name.out")" = "0 300000 " ] || [ "$(cat "$tmp/$name.out")" = "0 300000" ]; then
		pass "$name"
	else
		fail "$name" "$(cat "$tmp/$name.out")"
	fi
fi
