#!/bin/sh
# Lesson 9: build the lesson's C guests for gdb (docs/workshop/09-debugging.md).
#
#   sh docs/workshop/solutions/09-build.sh
#
# `make` builds C guests with -O2 and no debug information; gdb steps
# lines and prints variables best with -O0 -g.  The same SDK flags
# (make -s sdk-cflags), then those two: the later -O0 wins.  The ELFs go
# to build/workshop/.
set -eu
cd "$(dirname "$0")/../../.."
flags=$(make -s sdk-cflags)
mkdir -p build/workshop
for g in 09-debug 09-crash; do
	# shellcheck disable=SC2086 # $flags is a list of words
	gcc $flags -O0 -g -nostdlib -static -no-pie -Wl,--build-id=none \
		-T guests/sdk/guest-c.ld -o "build/workshop/$g.elf" \
		build/sdk/crt0.o "docs/workshop/guests/$g.c" build/sdk/libkvmrun.a
	echo "built build/workshop/$g.elf"
done
