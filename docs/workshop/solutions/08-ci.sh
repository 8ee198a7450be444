#!/bin/sh
# Lesson 8: a CI job around a C guest (docs/workshop/08-c-guests.md).
#
#   sh docs/workshop/solutions/08-ci.sh KVMRUN GUEST [MORE-CASES]
#   sh docs/workshop/solutions/08-ci.sh ./kvmrun docs/workshop/guests/08-wc.elf
#
# MORE-CASES, if given, is a file of more `check` lines (as below), run
# after these (the lesson's exercise 2: solutions/08-more-cases.sh).
# Each test case is an input, a --set and the line the guest must print.
# Every run has a time limit and an output limit, so no guest can hang the
# job; the verdict comes from the status and the report's end.reason (not
# the status alone: a guest may choose 124 itself).  One line per case,
# then a summary; status 0 only if every case passed.
set -u
kvmrun=$1 guest=$2 more=${3:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmrun-ci.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

printf 'the quick brown fox\njumps over\nthe lazy dog\n' >"$tmp/fox.txt"
printf 'no newline at the end' >"$tmp/noeol.txt"
: >"$tmp/empty.txt"

passed=0 failed=0
# check NAME INPUT R15 EXPECTED-STATUS EXPECTED-LAST-LINE
check() {
	name=$1 input=$2 r15=$3 want_status=$4 want=$5
	"$kvmrun" -q -t 30s --max-output 1M --report "$tmp/$name.json" \
		--input "$tmp/$input" --set "r15=$r15" "$guest" >"$tmp/$name.out" 2>"$tmp/$name.err"
	status=$?
	# The report is indented JSON: the first "reason" is end.reason.
	reason=$(sed -n 's/^ *"reason": "\([a-z_]*\)",$/\1/p' "$tmp/$name.json" | head -n 1)
	got=$(tail -n 1 "$tmp/$name.out")
	if [ "$status" = "$want_status" ] && [ "$got" = "$want" ]; then
		echo "ok   $name: status $status ($reason): $got"
		passed=$((passed + 1))
	else
		echo "FAIL $name: status $status ($reason), expected $want_status and \"$want\": $got"
		failed=$((failed + 1))
	fi
}

check fox fox.txt 0 0 "lines 3, words 9, bytes 44"
check fox-long fox.txt 5 0 "words of 5+ bytes: 3"
check noeol noeol.txt 0 0 "lines 0, words 5, bytes 21"
check empty empty.txt 0 1 "lines 0, words 0, bytes 0"
# shellcheck disable=SC1090 # the cases are the caller's
case $more in
'') ;;
*/*) . "$more" ;;
*) . "./$more" ;;	# `.` looks for a bare name in PATH
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
