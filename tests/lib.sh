# shellcheck shell=bash
# The test runner's library, sourced by tests/run-tests.sh before its
# sections (tests/sections/*.sh): the settings, the counters and the
# helpers every section uses.
#
# Environment: KVMRUN (the binary, default ./kvmrun), UNIT_TESTS (the unit
# test binary), JSONLINT (the strict JSON validator built from
# tests/jsonlint.c, for the run report), CACHETOOL (tests/cachetool.c),
# TEST_TIMEOUT (seconds any one kvmrun run may take).

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
