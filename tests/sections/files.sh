# shellcheck shell=bash
# Section "files" of tests/run-tests.sh: files that are not what they seem, and -V.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh files" (or "make check TESTS=files").

# ---- files that are not what they seem: none may block or be read whole ---
# A FIFO as the image, the report, the trace or a dump file: refused at
# once (a FIFO image is not a regular file; an output FIFO with no reader
# would block open() for ever).  Bounded by timeout(1): a hang fails.
mkfifo "$tmp/fifo"
fifo_case() {
	local name=$1 want=$2
	shift 2
	timeout -k 2 10 "$KVMRUN" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	status=$?
	if check_status "$name" 125; then
		if [ "$(cat "$tmp/$name.err")" = "$want" ]; then pass "$name"
		else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
	fi
}
fifo_case fifo:image "kvmrun: image $tmp/fifo is a FIFO, not a regular file (to read an image from a pipe, give it on standard input: kvmrun -)" "$tmp/fifo"
fifo_case fifo:report "kvmrun: --report: $tmp/fifo is a FIFO with no reader: start the reader first" --report "$tmp/fifo" guests/hello.bin
fifo_case fifo:trace "kvmrun: --trace-file: $tmp/fifo is a FIFO with no reader: start the reader first" --trace exits --trace-file "$tmp/fifo" guests/hello.bin
fifo_case fifo:dump "kvmrun: --dump-mem: $tmp/fifo is a FIFO with no reader: start the reader first" --dump-mem "0x10000:16:$tmp/fifo" guests/hello.bin

# The image from standard input (kvmrun -): loaded like a file, its format
# checked like a file's.  With a KVM device that is missing, the run fails
# only after the image was accepted.
name=stdin-image:loaded
"$KVMRUN" --kvm-device /nonexistent/kvm - <guests/hello.bin >"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if check_status "$name" 125; then
	if grep -q "^kvmrun: /nonexistent/kvm not found" "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
name=stdin-image:refused
"$KVMRUN" - <build/fixtures/i386.elf >"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if check_status "$name" 125; then
	if grep -q "^kvmrun: image (standard input) is an ELF 32-bit executable for i386" "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
name=stdin-image:too-large
head -c 2000000 /dev/zero | "$KVMRUN" --mem 1M - >"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if check_status "$name" 125; then
	if grep -qx "kvmrun: image (standard input) does not fit in RAM at 0x10000 (more than the 983040 bytes of RAM from there; use --mem)" "$tmp/$name.err"; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
# A writer that never finishes: SIGTERM still ends kvmrun, with a line.
name=stdin-image:signal-while-reading
exec 7<>"$tmp/fifo"             # a FIFO held open: reads wait, never EOF
"$KVMRUN" - <"$tmp/fifo" >"$tmp/$name.out" 2>"$tmp/$name.err" &
pid=$!
sleep 0.2
kill -TERM $pid
wait $pid
status=$?
exec 7<&-
if check_status "$name" 143; then
	if [ "$(cat "$tmp/$name.err")" = "kvmrun: killed by SIGTERM while reading the image from standard input" ]; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# Usage, help and version: no KVM needed.
name=cli:no-arguments
"$KVMRUN" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
status=$?
if check_status "$name" 125; then
	if [ -s "$tmp/$name.out" ] || ! head -n 1 "$tmp/$name.err" | grep -q '^usage: kvmrun '; then
		fail "$name" "usage not on stderr alone"
	else pass "$name"; fi
fi
name=cli:help
"$KVMRUN" --help >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
status=$?
if check_status "$name" 0; then
	if [ -s "$tmp/$name.err" ] || ! grep -q -- '--timeout TIME' "$tmp/$name.out"; then
		fail "$name" "help not on stdout"
	else pass "$name"; fi
fi
name=cli:version
"$KVMRUN" -V >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
status=$?
if check_status "$name" 0; then
	if ! grep -qE '^kvmrun [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/$name.out"; then
		fail "$name" "version line: $(cat "$tmp/$name.out")"
	else pass "$name"; fi
fi
