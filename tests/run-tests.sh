#!/usr/bin/env bash
# kvmrun's test runner: unit tests, golden tests of bad input, golden tests
# of every example guest, and run-ending tests (time limit, signals).
# Tests that need KVM run whenever /dev/kvm is usable and are listed as
# SKIPPED, by name, when it is not.  The last line is "N passed, N failed".
#
# Environment: KVMRUN (the binary, default ./kvmrun), UNIT_TESTS (the unit
# test binary), JSONLINT (the strict JSON validator built from
# tests/jsonlint.c, for the run report).  Run from the repository root (make
# check does).
set -u

KVMRUN=${KVMRUN:-./kvmrun}
UNIT_TESTS=${UNIT_TESTS:-build/out/unit-tests}
JSONLINT=${JSONLINT:-build/out/jsonlint}
CACHETOOL=${CACHETOOL:-build/out/cachetool}
LIMIT=${TEST_TIMEOUT:-60}         # seconds any one kvmrun run may take
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The CPUID cache (README) of these runs lives and dies with them.
export KVMRUN_CACHE_DIR="$tmp/cache"

pass() { passed=$((passed + 1)); printf 'ok      %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL    %s: %s\n' "$1" "$2"; }
skip() { skipped=$((skipped + 1)); printf 'SKIPPED %s (%s)\n' "$1" "$2"; }

# ---- unit tests ------------------------------------------------------------
if [ -x "$UNIT_TESTS" ]; then
	"$UNIT_TESTS" >"$tmp/unit.out" 2>&1
	unit_status=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)   pass "unit: ${line#ok }" ;;
		"FAIL "*) fail "unit: ${line#FAIL }" "assertion failed" ;;
		esac
	done <"$tmp/unit.out"
	if [ $unit_status -ne 0 ] && ! grep -q '^FAIL ' "$tmp/unit.out"; then
		fail "unit" "the unit test binary exited with $unit_status"
		cat "$tmp/unit.out"
	fi
else
	fail "unit" "no unit test binary at $UNIT_TESTS"
fi

# ---- is KVM usable? --------------------------------------------------------
kvm_why=""
if [ ! -e /dev/kvm ]; then
	kvm_why="no /dev/kvm"
elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	kvm_why="no read/write permission on /dev/kvm"
fi
if [ -n "$kvm_why" ]; then
	printf '\n*** KVM IS NOT USABLE HERE (%s): TESTS THAT RUN GUESTS ARE SKIPPED ***\n\n' "$kvm_why"
fi

# run_kvmrun NAME STDIN ARGS...: run with a time limit; sets $status and
# leaves stdout and stderr in $tmp/NAME.out and $tmp/NAME.err.
run_kvmrun() {
	local name=$1 in=$2
	shift 2
	timeout -k 5 "$LIMIT" "$KVMRUN" "$@" <"$in" >"$tmp/$name.out" 2>"$tmp/$name.err"
	status=$?
}

# check_status NAME EXPECTED: compare $status, report.
check_status() {
	if [ "$status" -ne "$2" ]; then
		fail "$1" "exit status $status, expected $2; stderr: $(head -c 600 "$tmp/$1.err")"
		return 1
	fi
}

# ---- bad input: exact stderr, empty stdout, status ---------------------------
# tests/errors/NAME.args: arguments; NAME.stderr: the exact expected stderr;
# NAME.status: expected status.  None of these needs KVM, except that the
# image must be refused before /dev/kvm is even opened.
for args in tests/errors/*.args; do
	name=error:$(basename "$args" .args)
	base=${args%.args}
	# shellcheck disable=SC2046  # word splitting of the argument line is wanted
	run_kvmrun "$name" /dev/null $(cat "$args")
	check_status "$name" "$(cat "$base.status")" || continue
	if [ -s "$tmp/$name.out" ]; then
		fail "$name" "unexpected stdout: $(head -c 200 "$tmp/$name.out")"
	elif ! diff -u "$base.stderr" "$tmp/$name.err" >"$tmp/$name.diff"; then
		fail "$name" "stderr differs:"; cat "$tmp/$name.diff"
	else
		pass "$name"
	fi
done

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
"$KVMRUN" - <build/fixtures/multiboot-elf32 >"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if check_status "$name" 125; then
	if grep -q "^kvmrun: image (standard input) is a multiboot kernel" "$tmp/$name.err"; then pass "$name"
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

# make install and uninstall, staged under DESTDIR: the binary, the guest
# ABI header (which a C guest can include) and the man page made from the
# README (rendered without warnings when man is installed).
name=install:staged
dest=$tmp/dest
if ! env -u MAKEFLAGS -u MAKELEVEL make -s install SANITIZE= DESTDIR="$dest" PREFIX=/opt/kr >"$tmp/$name.out" 2>&1; then
	fail "$name" "make install failed: $(tail -5 "$tmp/$name.out")"
elif [ ! -x "$dest/opt/kr/bin/kvmrun" ] || ! "$dest/opt/kr/bin/kvmrun" -V | grep -q '^kvmrun '; then
	fail "$name" "no working $dest/opt/kr/bin/kvmrun"
elif ! printf '#include <kvmrun/abi.h>\nint main(void) { return KVMRUN_PORT_EXIT != 0xf4; }\n' |
	${CC:-cc} -std=c11 -I"$dest/opt/kr/include" -x c -o "$tmp/abi-test" - 2>"$tmp/$name.err"; then
	fail "$name" "the installed abi.h does not compile: $(head -3 "$tmp/$name.err")"
elif ! grep -q '^\.SH EXIT STATUS' "$dest/opt/kr/share/man/man1/kvmrun.1" ||
     ! grep -q '^\.SH THE GUEST CONTRACT' "$dest/opt/kr/share/man/man1/kvmrun.1" ||
     ! grep -q 'quiet' "$dest/opt/kr/share/man/man1/kvmrun.1"; then
	fail "$name" "the man page lacks the README's sections"
elif command -v man >/dev/null &&
     { MANWIDTH=80 man --warnings -l "$dest/opt/kr/share/man/man1/kvmrun.1" 2>&1 >/dev/null | grep . >"$tmp/$name.warn"; }; then
	fail "$name" "man warns: $(head -3 "$tmp/$name.warn")"
elif ! env -u MAKEFLAGS -u MAKELEVEL make -s uninstall SANITIZE= DESTDIR="$dest" PREFIX=/opt/kr >/dev/null 2>&1 ||
     [ -n "$(find "$dest" -type f)" ]; then
	fail "$name" "make uninstall left: $(find "$dest" -type f)"
else
	pass "$name"
fi

# Permission problems cannot be staged as root (root reads anything), so
# run kvmrun as an unprivileged user there.
unprivileged() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
	else
		return 99
	fi
}

# The unprivileged user may not be able to reach this checkout (CI clones
# it anywhere): give it its own copies of kvmrun and a guest in $tmp.
chmod 755 "$tmp"
cp "$KVMRUN" "$tmp/kvmrun" && chmod 755 "$tmp/kvmrun"
cp guests/hello.bin "$tmp/hello.bin" && chmod 644 "$tmp/hello.bin"

name=error:unreadable-image
cp guests/hello.bin "$tmp/unreadable.bin" 2>/dev/null && chmod 000 "$tmp/unreadable.bin"
unprivileged "$tmp/kvmrun" "$tmp/unreadable.bin" >"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if [ $status -eq 99 ]; then
	skip "$name" "cannot drop privileges"
elif check_status "$name" 125; then
	expect="kvmrun: cannot open image $tmp/unreadable.bin: Permission denied"
	if [ "$(cat "$tmp/$name.err")" = "$expect" ]; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

name=error:kvm-permission
: >"$tmp/kvm-denied" && chmod 000 "$tmp/kvm-denied"
unprivileged "$tmp/kvmrun" --kvm-device "$tmp/kvm-denied" "$tmp/hello.bin" \
	>"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if [ $status -eq 99 ]; then
	skip "$name" "cannot drop privileges"
elif check_status "$name" 125; then
	if grep -q "^kvmrun: $tmp/kvm-denied: permission denied: add your user to the kvm group" "$tmp/$name.err" &&
	   [ "$(wc -l <"$tmp/$name.err")" -eq 1 ]; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

# missing_requirements FILE: print what FILE requires that is missing.
missing_requirements() {
	local req out=""
	[ -f "$1" ] || return 0
	while IFS= read -r req; do
		case $req in
		cpuflag:*) grep -qw "${req#cpuflag:}" /proc/cpuinfo || out="$out $req" ;;
		module:*)  [ -d "/sys/module/${req#module:}" ] || out="$out $req" ;;
		"") ;;
		*) out="$out $req(unknown)" ;;
		esac
	done <"$1"
	printf '%s' "$out"
}

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

# ---- run endings: signals ------------------------------------------------
# The spin guest prints a line and loops forever.  Each signal must end the
# run with 128 + N, one line on stderr, and the line on stdout: every
# catchable signal that would end a program (here a sample, and a real-time
# one), not just the usual three.
for sig in INT:130 TERM:143 HUP:129 QUIT:131 USR1:138 USR2:140 \
	   RTMIN+2:$((128 + $(kill -l RTMIN) + 2)); do
	name=ending:SIG${sig%:*}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	"$KVMRUN" guests/spin.bin >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
	pid=$!
	for _ in $(seq 600); do
		[ -s "$tmp/$name.out" ] && break
		sleep 0.05
	done
	kill "-${sig%:*}" $pid
	wait $pid
	status=$?
	check_status "$name" "${sig#*:}" || continue
	if [ "$(cat "$tmp/$name.out")" != spinning ]; then
		fail "$name" "guest output lost: '$(cat "$tmp/$name.out")'"
	elif ! grep -q "^kvmrun: killed by SIG${sig%:*}: guest stopped at rip 0x" "$tmp/$name.err"; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	else
		pass "$name"
	fi
done

# A closed stdout ends the run as SIGPIPE would, and says so.
name=ending:stdout-closed
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	{ timeout -k 5 "$LIMIT" "$KVMRUN" guests/yes.bin 2>"$tmp/$name.err"; echo $? >"$tmp/$name.status"; } |
		head -n 3 >"$tmp/$name.out"
	status=$(cat "$tmp/$name.status")
	if ! check_status "$name" 141; then :
	elif [ "$(tr -d '\n' <"$tmp/$name.out")" != yyy ]; then
		fail "$name" "stdout: $(cat "$tmp/$name.out")"
	elif ! grep -q "^kvmrun: standard output was closed: guest stopped at rip 0x" "$tmp/$name.err"; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	else
		pass "$name"
	fi
fi

# ---- run report: helpers -------------------------------------------------
# json_get FILE PATH: the value at PATH in the JSON file (see tests/jsonlint.c).
json_get() {
	"$JSONLINT" "$1" "$2" 2>/dev/null
}

# check_json NAME FILE [PATH=VALUE]...: FILE is valid JSON and each PATH
# holds VALUE (strings decoded; null, numbers, true and false as written);
# else report NAME as failed and return 1.
check_json() {
	local name=$1 file=$2 pair path want got
	shift 2
	if [ ! -x "$JSONLINT" ]; then
		fail "$name" "no JSON validator at $JSONLINT"
		return 1
	fi
	if [ ! -s "$file" ]; then
		fail "$name" "no report written to $file"
		return 1
	fi
	if ! "$JSONLINT" "$file" >/dev/null 2>"$tmp/jsonlint.err"; then
		fail "$name" "report is not valid JSON: $(cat "$tmp/jsonlint.err")"
		return 1
	fi
	for pair in "$@"; do
		path=${pair%%=*} want=${pair#*=}
		got=$("$JSONLINT" "$file" "$path" 2>&1)
		if [ "$got" != "$want" ]; then
			fail "$name" "$path is '$got', expected '$want'"
			return 1
		fi
	done
}

# reason_matches REASON STATUS: REASON is a documented end.reason
# (docs/report.md) and STATUS is the exit status it comes with.
reason_matches() {
	case $1 in
	hlt) [ "$2" -eq 0 ] ;;
	exit_device) [ "$2" -ge 0 ] && [ "$2" -le 255 ] ;;
	timeout | max_exits | max_insns | max_output) [ "$2" -eq 124 ] ;;
	signal) [ "$2" -eq 129 ] || [ "$2" -eq 130 ] || [ "$2" -eq 143 ] ;;
	output_closed) [ "$2" -eq 141 ] ;;
	setup_failed | host_error) [ "$2" -eq 125 ] ;;
	triple_fault | kvm_internal_error | entry_failure | strict_unclaimed_access | \
	unhandled_exit | exception | privileged_instruction | guest_error | ring_move_failed)
		[ "$2" -eq 126 ] ;;
	*) return 1 ;;
	esac
}

# check_message NAME FILE ERR: end.message is null only for an ending that
# prints nothing (hlt, exit device), and otherwise is what stderr (ERR) says.
check_message() {
	local name=$1 file=$2 err=$3 reason message
	reason=$(json_get "$file" end.reason)
	message=$(json_get "$file" end.message)
	if [ "$message" = null ]; then
		case $reason in
		hlt | exit_device) return 0 ;;
		esac
		fail "$name" "end.message is null for a '$reason' ending"
		return 1
	fi
	if ! grep -qF -- "$message" "$err"; then
		fail "$name" "end.message '$message' is not on stderr: $(head -c 300 "$err")"
		return 1
	fi
}

# stderr_lacks BASE ERR: the fixed strings of BASE.stderr (a tests/cases
# case) that ERR lacks, as " [string]..."; nothing if it has them all.
stderr_lacks() {
	local pat missing=""
	if [ -f "$1.stderr" ]; then
		while IFS= read -r pat; do
			[ -z "$pat" ] && continue
			grep -qF -- "$pat" "$2" || missing="$missing [$pat]"
		done <"$1.stderr"
	fi
	printf '%s' "$missing"
}

# Host details -v prints that differ from run to run: file descriptors
# (a --report file takes one) and host addresses.
normalize_stderr() {
	sed -E 's/\(fd [0-9]+\)/(fd N)/g; s/memory at 0x[0-9a-f]+/memory at ADDR/g' "$1"
}

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
		--set rax=0x1122334455667788 guests/regdump.bin
	report_ending "$name" 0 hlt "options.set=[array 2]" options.set.0.reg=r15 \
		options.set.0.value=0xfedcba9876543210 options.set.1.reg=rax \
		options.set.1.value=0x1122334455667788 registers.r15=0xfedcba9876543210 \
		registers.rdi=0x7800
fi

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
# has_tick_exit FILE: an exit of kind "signal" (the 50 ms output-flush timer
# interrupted the guest): a run that was slow, not a wrong trace.
has_tick_exit() {
	grep -qE '^exit +[0-9]+ +signal |"kind":"signal"' "$1"
}
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
	for _ in 1 2 3; do
		# shellcheck disable=SC2046
		run_kvmrun "$name" /dev/null $(cat "$args") --trace-file "$tmp/$name.trace"
		has_tick_exit "$tmp/$name.trace" || break
	done
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
	for _ in 1 2 3; do
		run_kvmrun "$name" /dev/null --trace exits guests/traceme.bin
		has_tick_exit "$tmp/$name.err" || break
	done
	if check_status "$name" 0; then
		if ! same_trace tests/traces/traceme-exits.trace "$tmp/$name.err"; then
			fail "$name" "stderr is not the trace: $(head -c 400 "$tmp/$name.err")"
		elif ! cmp -s tests/traces/traceme-exits.stdout "$tmp/$name.out"; then
			fail "$name" "stdout: $(cat "$tmp/$name.out")"
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

# ---- --set and --dump-mem --------------------------------------------------
# guests/regdump.bin stores its 16 entry registers (rax ... r15) at
# 0x20000, writes the bytes 0 ... 255 at 0x20080 and prints the registers;
# tests/cases/regdump*.stdout check the printed values.

# le64 VALUE...: each VALUE as 8 little-endian bytes.
le64() {
	local v i
	for v in "$@"; do
		for i in 0 1 2 3 4 5 6 7; do
			# shellcheck disable=SC2059
			printf "\\$(printf '%03o' $(((v >> (8 * i)) & 0xff)))"
		done
	done
}

# Later --set options win; rsp and rdi can be set like the others.
name=set:rsp-rdi-repeated
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --set rsp=0x8000 --set rdi=0 --set rax=1 \
		--set rax=0x2a --ring 0 guests/regdump.bin
	if check_status "$name" 0; then
		if grep -qx 'rax=0x000000000000002a' "$tmp/$name.out" &&
		   grep -qx 'rdi=0x0000000000000000' "$tmp/$name.out" &&
		   grep -qx 'rsp=0x0000000000008000' "$tmp/$name.out" &&
		   grep -qx 'r15=0x0000000000000000' "$tmp/$name.out"; then pass "$name"
		else fail "$name" "stdout: $(tr '\n' ' ' <"$tmp/$name.out")"; fi
	fi
fi

# Raw dumps: the image as loaded is the image file, wherever it is loaded.
for load in 0x10000 0x200000; do
	name=dump-mem:image-at-$load
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	size=$(stat -c %s guests/hello.bin)
	rm -f "$tmp/$name.raw"
	run_kvmrun "$name" /dev/null --load "$load" --dump-mem "$load:$size:$tmp/$name.raw" guests/hello.bin
	if check_status "$name" 0; then
		if ! cmp guests/hello.bin "$tmp/$name.raw" >"$tmp/$name.cmp" 2>&1; then
			fail "$name" "$(cat "$tmp/$name.cmp")"
		elif [ -s "$tmp/$name.err" ]; then
			fail "$name" "a raw dump printed on stderr: $(cat "$tmp/$name.err")"
		else pass "$name"; fi
	fi
done

# Memory the guest wrote, several dumps in one run: the pattern, and the
# registers it stored (the --set values, little-endian, and the defaults).
name=dump-mem:guest-writes
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	rm -f "$tmp/$name.pattern" "$tmp/$name.regs"
	run_kvmrun "$name" /dev/null --set rax=0x1122334455667788 --set r15=0xfedcba9876543210 \
		--dump-mem "0x20080:256:$tmp/$name.pattern" --dump-mem "0x20000:0x80:$tmp/$name.regs" \
		guests/regdump.bin
	for i in $(seq 0 255); do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "$i")"
	done >"$tmp/$name.pattern-expected"
	le64 0x1122334455667788 0 0 0 0 0x7800 0x10000 0 0 0 0 0 0 0 0 0xfedcba9876543210 \
		>"$tmp/$name.regs-expected"
	sed -e 's/^rax=.*/rax=0x1122334455667788/' -e 's/^r15=.*/r15=0xfedcba9876543210/' \
		tests/cases/regdump.stdout >"$tmp/$name.stdout-expected"
	if ! check_status "$name" 0; then :
	elif ! cmp -s "$tmp/$name.pattern-expected" "$tmp/$name.pattern"; then
		fail "$name" "the pattern dump differs: $(od -An -tx1 "$tmp/$name.pattern" | head -3)"
	elif ! cmp -s "$tmp/$name.regs-expected" "$tmp/$name.regs"; then
		fail "$name" "the register dump differs: $(od -An -tx1 "$tmp/$name.regs" | head -8)"
	elif ! cmp -s "$tmp/$name.stdout-expected" "$tmp/$name.out"; then
		fail "$name" "stdout: $(tr '\n' ' ' <"$tmp/$name.out")"
	else
		pass "$name"
	fi
fi

# The hex dump on stderr, after the run: a header line, then 16 bytes a
# line with the address, hex and printable characters.
name=dump-mem:hex
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --dump-mem 0x200a0:40 guests/regdump.bin
	cat >"$tmp/$name.expected" <<'HEX'
kvmrun: guest memory at 0x200a0, 40 bytes:
  00000000000200a0  20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f  | !"#$%&'()*+,-./|
  00000000000200b0  30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f  |0123456789:;<=>?|
  00000000000200c0  40 41 42 43 44 45 46 47                          |@ABCDEFG|
HEX
	if ! check_status "$name" 0; then :
	elif ! cmp -s tests/cases/regdump.stdout "$tmp/$name.out"; then
		fail "$name" "--dump-mem changed stdout"
	elif ! diff -u "$tmp/$name.expected" "$tmp/$name.err" >"$tmp/$name.diff"; then
		fail "$name" "hex dump differs:"; cat "$tmp/$name.diff"
	else
		pass "$name"
	fi
fi

# A range that is not all RAM is refused before the run (the guest prints
# nothing): here the hole below 4 GiB when RAM is larger than 3 GiB (the
# ends of RAM are golden cases in tests/errors/).
name=dump-mem:mmio-hole
run_kvmrun "$name" /dev/null --mem 4G --dump-mem 0xc0000000:16 guests/hello.bin
if check_status "$name" 125; then
	if [ -s "$tmp/$name.out" ] || [ "$(wc -l <"$tmp/$name.err")" -ne 1 ] ||
	   ! grep -q '^kvmrun: --dump-mem 0xc0000000:16 is not inside guest RAM' "$tmp/$name.err"; then
		fail "$name" "stdout: '$(cat "$tmp/$name.out")', stderr: $(cat "$tmp/$name.err")"
	else pass "$name"; fi
fi

# A dump file that cannot be created: the guest ran (its output is there),
# kvmrun says why in one line and exits with 125.
# A dump file that cannot be created is said before the run, like a bad
# --report path: one line, status 125, and the guest never runs.
name=dump-mem:unwritable-file
run_kvmrun "$name" /dev/null --dump-mem 0x10000:16:/nonexistent/dir/d.raw guests/exit.bin
if check_status "$name" 125; then
	if [ -s "$tmp/$name.out" ]; then
		fail "$name" "the guest ran: $(cat "$tmp/$name.out")"
	elif [ "$(cat "$tmp/$name.err")" != "kvmrun: --dump-mem: cannot create /nonexistent/dir/d.raw: No such file or directory" ]; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	else pass "$name"; fi
fi

# A dump file that fails when written (a full device): the guest ran (its
# output is there), kvmrun says why in one line and exits with 125.
name=dump-mem:write-fails
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --dump-mem 0x10000:16:/dev/full guests/exit.bin
	if check_status "$name" 125; then
		if ! cmp -s tests/cases/exit.stdout "$tmp/$name.out"; then
			fail "$name" "guest output lost: $(cat "$tmp/$name.out")"
		elif ! grep -q "^kvmrun: --dump-mem: cannot write /dev/full: No space left on device" "$tmp/$name.err"; then
			fail "$name" "stderr: $(cat "$tmp/$name.err")"
		else pass "$name"; fi
	fi
fi

# ---- the CPUID cache --------------------------------------------------------
# guests/cpuid.bin prints what cpuid tells it; in ring 0 that is KVM's
# answer, so a run with the cache must print exactly what a run without it
# prints.  cache_run NAME DIR NOTE [ARGS...]: run it with KVMRUN_CACHE_DIR
# = DIR; status 0, stdout as without the cache, -v's cache line with NOTE.
cache_run() {
	local name=$1 dir=$2 note=$3
	shift 3
	KVMRUN_CACHE_DIR=$dir timeout -k 5 "$LIMIT" "$KVMRUN" -v --ring 0 "$@" \
		guests/cpuid.bin </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
	status=$?
	check_status "$name" 0 || return 1
	if ! cmp -s "$tmp/cpuid-reference.out" "$tmp/$name.out"; then
		fail "$name" "the guest saw another CPUID:"
		diff "$tmp/cpuid-reference.out" "$tmp/$name.out" | head -10
		return 1
	fi
	if ! grep -qF -- "$note" "$tmp/$name.err"; then
		fail "$name" "stderr lacks [$note]: $(grep -i 'cpuid cache' "$tmp/$name.err")"
		return 1
	fi
}

# mode_of FILE: its permission bits in octal.
mode_of() { stat -c %a "$1"; }

if [ -n "$kvm_why" ]; then
	skip "cpuid-cache" "$kvm_why"
else
	cdir=$tmp/cpuid-cache
	cfile=$cdir/cpuid
	name=cpuid-cache:reference
	KVMRUN_CACHE_DIR=$cdir "$KVMRUN" --no-cpuid-cache --ring 0 guests/cpuid.bin \
		</dev/null >"$tmp/cpuid-reference.out" 2>"$tmp/$name.err"
	status=$?
	if check_status "$name" 0; then
		if ! grep -q '^cpuid: vendor ' "$tmp/cpuid-reference.out" ||
		   [ "$(wc -l <"$tmp/cpuid-reference.out")" -ne 5 ]; then
			fail "$name" "stdout: $(cat "$tmp/cpuid-reference.out")"
		elif [ -e "$cdir" ]; then
			fail "$name" "--no-cpuid-cache created $cdir"
		else pass "$name"; fi
	fi

	name=cpuid-cache:first-run-writes
	if cache_run "$name" "$cdir" "CPUID cache $cfile: not used: none yet; saved for the next runs this boot"; then
		if [ "$(mode_of "$cfile")" != 600 ] || [ "$(mode_of "$cdir")" != 700 ]; then
			fail "$name" "modes: file $(mode_of "$cfile"), directory $(mode_of "$cdir")"
		else pass "$name"; fi
	fi

	name=cpuid-cache:second-run-reads
	cp "$cfile" "$tmp/cpuid-cache.saved"
	if cache_run "$name" "$cdir" "CPUID cache $cfile: used: an earlier run wrote it this boot" \
		--report "$tmp/$name.json"; then
		if ! grep -q 'ioctl KVM_SET_CPUID2:' "$tmp/$name.err" ||
		   grep -q 'ioctl KVM_GET_SUPPORTED_CPUID' "$tmp/$name.err"; then
			fail "$name" "KVM was asked anyway: $(grep 'CPUID2' "$tmp/$name.err")"
		elif ! cmp -s "$cfile" "$tmp/cpuid-cache.saved"; then
			fail "$name" "a run that used the cache rewrote it"
		elif check_json "$name" "$tmp/$name.json" cpuid.source=cache \
			options.cpuid_cache=true; then
			pass "$name"
		fi
	fi

	name=cpuid-cache:off
	if cache_run "$name" "$cdir" "the CPUID cache is off" --no-cpuid-cache \
		--report "$tmp/$name.json"; then
		check_json "$name" "$tmp/$name.json" cpuid.source=kvm \
			options.cpuid_cache=false && pass "$name"
	fi
	name=cpuid-cache:off-by-environment
	cache_run "$name" "" "the CPUID cache is off" && pass "$name"

	# A damaged file is not used, and is replaced by a good one.
	name=cpuid-cache:damaged
	size=$(stat -c %s "$cfile")
	printf '\377' | dd of="$cfile" bs=1 seek=$((size - 5)) conv=notrunc 2>/dev/null
	if cache_run "$name" "$cdir" "not used: damaged: wrong checksum; saved for the next runs"; then
		cache_run "$name" "$cdir" "used: an earlier run wrote it" && pass "$name"
	fi
	name=cpuid-cache:truncated
	head -c 100 "$tmp/cpuid-cache.saved" >"$cfile"
	cache_run "$name" "$cdir" "not used: damaged: wrong size; saved for the next runs" &&
		pass "$name"
	name=cpuid-cache:not-a-cache
	echo "hello" >"$cfile"
	cache_run "$name" "$cdir" "not used: damaged: wrong size" && pass "$name"

	# Not plainly the user's own: not used, and replaced (mode 0600).
	name=cpuid-cache:writable-by-others
	chmod 666 "$cfile"
	if cache_run "$name" "$cdir" "not used: writable by others; saved for the next runs"; then
		if [ "$(mode_of "$cfile")" != 600 ]; then
			fail "$name" "mode $(mode_of "$cfile") after the rewrite"
		else pass "$name"; fi
	fi
	name=cpuid-cache:symlink
	mv "$cfile" "$tmp/cpuid-cache.elsewhere"
	ln -s "$tmp/cpuid-cache.elsewhere" "$cfile"
	if cache_run "$name" "$cdir" "not used: it is a symbolic link; saved for the next runs"; then
		if [ -L "$cfile" ]; then fail "$name" "the link is still there"
		else pass "$name"; fi
	fi
	name=cpuid-cache:owned-by-another-user
	if [ "$(id -u)" -ne 0 ]; then
		skip "$name" "only root can give a file away"
	else
		chown 65534 "$cfile"
		cache_run "$name" "$cdir" "not used: owned by another user; saved for the next runs" &&
			pass "$name"
	fi

	# Another device node for the same KVM (as a reload of the KVM module
	# makes): the cache was written for the other one.
	name=cpuid-cache:another-device-node
	if [ "$(id -u)" -ne 0 ]; then
		skip "$name" "mknod needs root"
	elif ! mknod "$tmp/kvm-node" c "$((0x$(stat -c %t /dev/kvm)))" "$((0x$(stat -c %T /dev/kvm)))" 2>/dev/null; then
		skip "$name" "cannot make a device node in $tmp"
	elif cache_run "$name" "$cdir" "not used: written for another KVM device node" \
		--kvm-device "$tmp/kvm-node"; then
		cache_run "$name" "$cdir" "not used: written for another KVM device node" && pass "$name"
	fi

	# Intact files that say what KVM will not take, or what no x86-64 KVM
	# says: not used, KVM asked, and the file replaced by KVM's answer.
	name=cpuid-cache:implausible
	cp "$tmp/cpuid-cache.saved" "$cfile"
	if ! "$CACHETOOL" "$cfile" 0x80000001 0 edx 0 0x20000000 2>"$tmp/$name.tool"; then
		fail "$name" "cachetool: $(cat "$tmp/$name.tool")"
	elif cache_run "$name" "$cdir" "not used: implausible: it lacks leaf 0, 1, 0x80000000 or long mode; saved for the next runs"; then
		# KVM's answer replaced it (not byte for byte the old one: leaf
		# 1 holds the APIC ID of whichever CPU answered).
		cache_run "$name" "$cdir" "used: an earlier run wrote it" && pass "$name"
	fi
	# AMX state in leaf 0xd: KVM_SET_CPUID2 refuses it (EPERM) unless the
	# process asked for it (arch_prctl ARCH_REQ_XCOMP_GUEST_PERM).
	name=cpuid-cache:refused-by-kvm
	cp "$tmp/cpuid-cache.saved" "$cfile"
	if ! "$CACHETOOL" "$cfile" 0xd 0 eax 0x60000 0 2>"$tmp/$name.tool"; then
		fail "$name" "cachetool: $(cat "$tmp/$name.tool")"
	elif KVMRUN_CACHE_DIR=$cdir "$KVMRUN" -v --ring 0 guests/cpuid.bin </dev/null 2>&1 >/dev/null |
		grep -q 'CPUID cache .*: used:'; then
		skip "$name" "KVM here takes AMX state in leaf 0xd without asking"
	elif cp "$tmp/cpuid-cache.saved" "$cfile" &&
		"$CACHETOOL" "$cfile" 0xd 0 eax 0x60000 0 &&
		cache_run "$name" "$cdir" "not used: with its leaves, KVM_SET_CPUID2 failed: Operation not permitted; saved for the next runs"; then
		cache_run "$name" "$cdir" "used: an earlier run wrote it" && pass "$name"
	fi

	# A cache that cannot be written never fails the run.
	name=cpuid-cache:unwritable
	cache_run "$name" /proc/kvmrun-cache-test "not saved: cannot create /proc/kvmrun-cache-test" &&
		pass "$name"
fi

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

# ---- random guests and valgrind: scripts of their own ----------------------
# Each ends with "WHAT: N passed, N failed"; their counts join ours.
run_suite() {
	local name=$1 out last p f
	shift
	out=$tmp/$name.suite
	"$@" >"$out" 2>&1
	local status=$?
	grep -E '^(FAIL|SKIPPED)' "$out" | head -40
	last=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
	if [ -z "$last" ]; then
		fail "$name" "no summary line (status $status)"; tail -20 "$out"
		return
	fi
	p=$(echo "$last" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$last" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "$name" "exited with $status"
	fi
	grep -E '^SKIPPED' "$out" >/dev/null && skipped=$((skipped + 1))
	printf '%s\n' "$last"
}
if [ -n "$kvm_why" ]; then
	skip "random-guests" "$kvm_why"
	skip "valgrind" "$kvm_why"
else
	run_suite random-guests env KVMRUN="$KVMRUN" tests/random-guests.sh "${RANDOM_GUESTS:-300}"
	# valgrind and ASan cannot share a process: the sanitizer build skips it.
	if [ "${SANITIZED:-0}" = 1 ]; then
		skip "valgrind" "this is the sanitizer build"
	else
		run_suite valgrind env KVMRUN="$KVMRUN" tests/valgrind.sh
	fi
fi

printf '\n%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
