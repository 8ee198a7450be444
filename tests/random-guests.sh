#!/usr/bin/env bash
# random-guests.sh [COUNT] [SEED]: run COUNT images of random bytes (16 to
# 4096 bytes each, made by tests/randimg.c from SEED and their index, so any
# run can be repeated) in kvmrun, each once in the default mode and once
# with --ring 0, with a time limit of 0.2 s, and check that every run ends
# the way the README documents: hlt or the exit device (any status 0-255),
# the time limit (124), or a guest crash (126), with the matching
# "kvmrun: " line on stderr for 124 and 126; never kvmrun's own failure
# (125), a signal, a hang, or a sanitizer report.  The ending is read from
# the run report (--report), which tells an exit-device status apart from
# kvmrun's own.
#
# Prints one summary line per mode, then "random-guests: N passed, N failed";
# exits 0 only if none failed.  On a failure it prints the seed, the index
# and a command that reproduces it.
#
# Environment: KVMRUN (default ./kvmrun), CC (to build tests/randimg.c,
# default cc).  Run from the repository root.
set -u

COUNT=${1:-300}
SEED=${2:-1}
KVMRUN=${KVMRUN:-./kvmrun}
CC=${CC:-cc}
LIMIT=0.2                       # kvmrun's -t for every run
HANG=20                         # seconds after which a run counts as hung

case $COUNT$SEED in
*[!0-9]*) echo "usage: tests/random-guests.sh [COUNT] [SEED]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "random-guests: SKIPPED (no usable /dev/kvm)"
	echo "random-guests: 0 passed, 0 failed"
	exit 0
fi
if ! "$CC" -O2 -std=c11 -o "$tmp/randimg" tests/randimg.c; then
	echo "random-guests: cannot build tests/randimg.c with $CC" >&2
	echo "random-guests: 0 passed, 1 failed"
	exit 1
fi

passed=0 failed=0
declare -A statuses reasons

# report_field FILE KEY: the value of KEY in the report's "end" object.
report_field() {
	awk -v key="\"$2\":" '
		/^  "end": \{/ { inside = 1; next }
		inside && /^  \}/ { exit }
		inside && $1 == key { v = $2; sub(/,$/, "", v); gsub(/"/, "", v); print v; exit }
	' "$1"
}

# check_run MODE IMAGE ARGS...: run IMAGE, judge the ending.  Sets
# $why to the reason it failed, or to "" when the run passed.
check_run() {
	local mode=$1 image=$2 status reason rstatus line
	shift 2
	rm -f "$tmp/report.json"
	timeout -s KILL "$HANG" "$KVMRUN" -t "$LIMIT" "$@" --report "$tmp/report.json" \
		"$image" </dev/null >/dev/null 2>"$tmp/err"
	status=$?
	why=""
	if grep -q -e AddressSanitizer -e 'runtime error' -e LeakSanitizer "$tmp/err"; then
		why="sanitizer report on stderr"
		return
	fi
	if [ ! -s "$tmp/report.json" ]; then
		if [ "$status" -gt 128 ]; then
			why="status $status: killed by signal $((status - 128)) (hung for ${HANG} s if 9), no run report"
		else
			why="status $status and no run report"
		fi
		return
	fi
	reason=$(report_field "$tmp/report.json" reason)
	rstatus=$(report_field "$tmp/report.json" status)
	statuses[$mode:$status]=$(( ${statuses[$mode:$status]:-0} + 1 ))
	reasons[$mode:$reason]=$(( ${reasons[$mode:$reason]:-0} + 1 ))
	if [ "$rstatus" != "$status" ]; then
		why="status $status, but the report says $rstatus"
		return
	fi
	case $reason in
	hlt)            [ "$status" -eq 0 ] || why="hlt with status $status" ;;
	exit_device)    [ "$status" -le 255 ] || why="exit device with status $status" ;;
	timeout)        line="kvmrun: time limit of $LIMIT s reached: " ;;
	guest_error)    line="kvmrun: guest error: " ;;
	exception | triple_fault | kvm_internal_error | entry_failure | unhandled_exit)
	                line="kvmrun: guest crashed: " ;;
	*)              why="undocumented or wrong ending '$reason' (status $status)" ;;
	esac
	[ -n "$why" ] && return
	case $reason in
	hlt | exit_device) return ;;
	timeout) [ "$status" -eq 124 ] || why="time limit with status $status" ;;
	*)       [ "$status" -eq 126 ] || why="crash ($reason) with status $status" ;;
	esac
	[ -n "$why" ] && return
	grep -q "^$line" "$tmp/err" ||
		why="status $status ($reason) without a line '$line...' on stderr"
}

for mode in auto 0; do
	mode_passed=0 mode_failed=0
	start=$(date +%s%N)
	for ((i = 0; i < COUNT; i++)); do
		image=$tmp/img.bin
		"$tmp/randimg" "$SEED" "$i" >"$image"
		if [ "$mode" = auto ]; then check_run "$mode" "$image"
		else check_run "$mode" "$image" --ring 0; fi
		if [ -z "$why" ]; then
			mode_passed=$((mode_passed + 1))
			continue
		fi
		mode_failed=$((mode_failed + 1))
		ring_opt=""; [ "$mode" = 0 ] && ring_opt=" --ring 0"
		printf 'FAIL    random guest seed %s index %s, --ring %s: %s\n' "$SEED" "$i" "$mode" "$why"
		sed 's/^/        | /' "$tmp/err" | head -20
		printf '        reproduce: %s -o /tmp/randimg tests/randimg.c && /tmp/randimg %s %s > /tmp/rg.bin && %s -t %s%s /tmp/rg.bin\n' \
			"$CC" "$SEED" "$i" "$KVMRUN" "$LIMIT" "$ring_opt"
	done
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	seen="" endings=""
	for key in $(printf '%s\n' "${!statuses[@]}" | grep "^$mode:" | sort -t: -k2n); do
		seen="$seen ${key#*:}x${statuses[$key]}"
	done
	for key in $(printf '%s\n' "${!reasons[@]}" | grep "^$mode:" | sort); do
		endings="$endings ${key#*:}x${reasons[$key]}"
	done
	[ -n "$seen" ] || seen=" none"
	[ -n "$endings" ] || endings=" none"
	printf 'random-guests: --ring %s: %d runs, %d passed, %d failed, %d.%01d s; statuses:%s; endings:%s\n' \
		"$mode" "$COUNT" "$mode_passed" "$mode_failed" $((ms / 1000)) $((ms % 1000 / 100)) \
		"$seen" "$endings"
	passed=$((passed + mode_passed)) failed=$((failed + mode_failed))
done

printf 'random-guests: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
