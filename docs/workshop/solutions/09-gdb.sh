#!/bin/sh
# Lesson 9: drive gdb against kvmrun's --gdb in batch mode, as
# tests/sections/debug.sh does (docs/workshop/09-debugging.md).
#
#   sh docs/workshop/solutions/09-gdb.sh KVMRUN IMAGE GDB-SCRIPT [KVMRUN-OPTIONS...]
#   CTRL_C=1 sh docs/workshop/solutions/09-gdb.sh ...
#
# kvmrun serves gdb on a Unix socket of its own (no port to collide with)
# and holds the guest before its first instruction until gdb attaches;
# gdb runs GDB-SCRIPT with the ELF's symbols (a flat image has none: gdb
# then gets no file, as it could not read one).  Printed: what gdb said
# (its version banner and the "Reading symbols" chatter left out), what
# the guest printed, and kvmrun's exit status.  With CTRL_C=1, gdb gets
# one SIGINT, as a Ctrl-C at its prompt sends, once the guest has printed
# something (so it runs, and gdb waits in the script's `continue`).
set -u
kvmrun=$1 image=$2 script=$3
shift 3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmrun-gdb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sock=$tmp/gdb.sock

"$kvmrun" --gdb "unix:$sock" "$@" "$image" </dev/null >"$tmp/guest.out" 2>"$tmp/kvmrun.err" &
pid=$!
# The socket exists once kvmrun listens, before the guest runs.
i=0
while ! [ -S "$sock" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
elf=$image
[ "$(head -c 4 "$image" | od -An -c | tr -d ' ')" = '177ELF' ] || elf=
waiter=
if [ "${CTRL_C:-}" = 1 ]; then
	(
		i=0
		while ! [ -s "$tmp/guest.out" ] && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -s "$tmp/gdb.pid" ] && kill -INT "$(cat "$tmp/gdb.pid")"
	) &
	waiter=$!
fi
# gdb in the foreground (a background job of a script ignores SIGINT),
# its process id in gdb.pid: the inner sh writes its own, then becomes gdb.
# shellcheck disable=SC2016 # $$ and $1 are the inner sh's
timeout 120 sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$tmp/gdb.pid" \
	gdb -batch -nx -ex "set pagination off" -ex "set confirm off" \
	-ex "target remote $sock" -x "$script" ${elf:+"$elf"} >"$tmp/gdb.out" 2>&1
[ -z "$waiter" ] || wait "$waiter"
wait "$pid"
status=$?
echo "--- gdb:"
grep -v -e '^Reading symbols' -e '^warning: No executable has been specified' \
	-e '^determining executable automatically' \
	"$tmp/gdb.out"
echo "--- the guest printed:"
cat "$tmp/guest.out"
echo "--- kvmrun: exit status $status"
