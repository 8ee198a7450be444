#!/usr/bin/env bash
# kvmrun's test runner: unit tests, golden tests of bad input, golden tests
# of every example guest, and run-ending tests (time limit, signals).
# Tests that need KVM run whenever /dev/kvm is usable and are listed as
# SKIPPED, by name, when it is not.  The last line is "N passed, N failed".
#
# Environment: KVMRUN (the binary, default ./kvmrun), UNIT_TESTS (the unit
# test binary).  Run from the repository root (make check does).
set -u

KVMRUN=${KVMRUN:-./kvmrun}
UNIT_TESTS=${UNIT_TESTS:-build/out/unit-tests}
LIMIT=${TEST_TIMEOUT:-60}         # seconds any one kvmrun run may take
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
	if [ -s "$tmp/$name.err" ] || ! grep -q -- '--timeout SECS' "$tmp/$name.out"; then
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

name=error:unreadable-image
cp guests/hello.bin "$tmp/unreadable.bin" 2>/dev/null && chmod 000 "$tmp/unreadable.bin"
chmod 755 "$tmp"
unprivileged "$(realpath "$KVMRUN")" "$tmp/unreadable.bin" >"$tmp/$name.out" 2>"$tmp/$name.err"
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
unprivileged "$(realpath "$KVMRUN")" --kvm-device "$tmp/kvm-denied" guests/hello.bin \
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
# run with 128 + N, one line on stderr, and the line on stdout.
for sig in INT:130 TERM:143 HUP:129; do
	name=ending:SIG${sig%:*}
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	"$KVMRUN" guests/spin.bin >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
	pid=$!
	for _ in $(seq 100); do
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

printf '\n%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
