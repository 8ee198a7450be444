# shellcheck shell=bash
# Section "signals" of tests/run-tests.sh: run endings by signal.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh signals" (or "make check TESTS=signals").

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
