#!/bin/sh
# Lesson 7's reference solution (docs/workshop/07-mmio.md): add the
# random-number device to a copy of kvmrun in build/workshop/07-device/
# and build that copy.  The repository itself is left as it is.
#
#   sh docs/workshop/solutions/07-device/try.sh
#   build/workshop/07-device/kvmrun docs/workshop/guests/07-rng.bin
#
# Building needs no /dev/kvm; running the guest (the second line) does.
# Status 0, or 1 with a line on stderr saying which step failed.
set -eu

root=$(cd "$(dirname "$0")/../../../.." && pwd)
sol=$root/docs/workshop/solutions/07-device
out=build/workshop/07-device

say() { echo "try.sh: $*"; }
die() { say "$*" >&2; exit 1; }

# The files git knows, tracked or new (not the ignored build products),
# and only those that exist: the copy is what a clone of this tree holds.
cd "$root"
rm -rf "$out"
mkdir -p "$out"
git ls-files --cached --others --exclude-standard |
while IFS= read -r f; do
	[ -f "$f" ] && printf '%s\n' "$f"
done >"$out.files"
tar -cf - -T "$out.files" | tar -xf - -C "$out"
rm -f "$out.files"
# Objects of an earlier build (make) come too, with their times, so that
# make compiles again only what the device touches.
if [ -d build/out ]; then
	mkdir -p "$out/build"
	cp -pR build/out "$out/build/"
fi
say "copied the repository to $out"
# The exercise: one device file and its header, then three places that
# name it.  Each edit is checked, so a changed kvmrun fails here, loudly.
cd "$out"
cp "$sol/rng.c" "$sol/rng.h" src/dev/
sed -i 's|^#include "dev/post.h"$|&\n#include "dev/rng.h"|' src/machine.h
sed -i 's|^\t\tstruct post_port post;$|&\n\t\tstruct rng rng;|' src/machine.h
sed -i 's|^\t    testdev_register(&m->dev.mmio, &m->dev.testdev, err) < 0)$|\t    rng_register(\&m->dev.mmio, \&m->dev.rng, err) < 0 \|\|\n&|' \
	src/machine.c
sed -i 's|src/dev/post\.c |&src/dev/rng.c |' Makefile
grep -q '^#include "dev/rng.h"$' src/machine.h || die "could not add the #include to src/machine.h"
grep -q 'struct rng rng;' src/machine.h || die "could not add the field to struct machine_devices"
grep -q 'rng_register(&m->dev.mmio' src/machine.c || die "could not register the device in src/machine.c"
grep -q 'src/dev/rng\.c' Makefile || die "could not list src/dev/rng.c in the Makefile"
say "added src/dev/rng.c and src/dev/rng.h; registered the device in src/machine.c, src/machine.h and the Makefile"

# Build kvmrun alone (not the guests, the SDK or the tests), the plain
# build even inside "make check SANITIZE=1".
make -j2 SANITIZE= ./kvmrun >build.log 2>&1 || { cat build.log >&2; die "make failed (log: $out/build.log)"; }
say "built $out/kvmrun"
say "run the guest with it: $out/kvmrun docs/workshop/guests/07-rng.bin"
