#!/usr/bin/env bash
# Run kvmrun under valgrind on the example guests and every kind of ending:
# no memory errors, no leaks, no file descriptor left open that kvmrun
# opened itself.  Skipped, loudly, when valgrind is not installed.
# Prints "ok"/"FAIL" lines and ends with "valgrind: N passed, N failed".
set -u
KVMRUN=${KVMRUN:-./kvmrun}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

if ! command -v valgrind >/dev/null; then
	echo "SKIPPED valgrind: valgrind is not installed (apt-get install valgrind)"
	echo "valgrind: 0 passed, 0 failed"
	exit 0
fi

# check NAME EXPECTED-STATUS STDIN ARGS...
check() {
	local name=$1 want=$2 in=$3 log
	shift 3
	log=$tmp/$name.log
	timeout -k 5 120 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--track-fds=yes --error-exitcode=99 --log-file="$log" \
		"$KVMRUN" "$@" <"$in" >"$tmp/$name.out" 2>"$tmp/$name.err"
	local status=$?
	# fds kvmrun opened and did not close: those not inherited, past 0-2.
	local leaked
	leaked=$(awk '/Open file descriptor [0-9]+:/ { fd = $0; getline; if ($0 !~ /inherited/) print fd }' "$log" |
		grep -vE 'descriptor [012]:' || true)
	if [ "$status" -ne "$want" ]; then
		failed=$((failed + 1)); echo "FAIL    valgrind:$name: status $status, expected $want"; sed 's/^/    /' "$log" | head -20
	elif grep -qE 'Invalid|uninitialised|definitely lost: [1-9]|indirectly lost: [1-9]' "$log"; then
		failed=$((failed + 1)); echo "FAIL    valgrind:$name: memory errors"; sed 's/^/    /' "$log" | head -30
	elif [ -n "$leaked" ]; then
		failed=$((failed + 1)); echo "FAIL    valgrind:$name: file descriptors left open: $leaked"
	else
		passed=$((passed + 1)); echo "ok      valgrind:$name"
	fi
}

check hello 0 /dev/null guests/hello.bin
check exit 42 /dev/null guests/exit.bin
check console 0 tests/cases/console.stdin guests/console.bin
check bulkwrite 0 /dev/null guests/bulkwrite.bin
check exception 126 /dev/null guests/fault-pf-write.bin
check triplefault 126 /dev/null guests/triplefault.bin
check timeout 124 /dev/null -t 0.3 guests/spin.bin
check untouched 126 /dev/null --mem 128M guests/untouched.bin
check report-trace 0 /dev/null --report "$tmp/r.json" --trace exits,insns \
	--trace-file "$tmp/t.txt" --max-insns 100000 guests/hello.bin
check dump-mem 0 /dev/null --dump-mem 0x10000:64:"$tmp/d.bin" --dump-mem 0x10000:32 guests/hello.bin
check verbose-regs 0 /dev/null -v --regs --ring 0 guests/hello.bin
check setup-failure 125 /dev/null --report "$tmp/r2.json" guests/no-such-image.bin

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
