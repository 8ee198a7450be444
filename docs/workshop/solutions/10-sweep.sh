#!/bin/sh
# Lesson 10, exercise 2: a parameter sweep (docs/workshop/10-many-runs.md).
#
#   sh docs/workshop/solutions/10-sweep.sh KVMRUN GUEST N
#   sh docs/workshop/solutions/10-sweep.sh ./kvmrun docs/workshop/guests/10-prime.elf 100
#
# How many primes are there below N?  One run of GUEST per number
# from 1 to N-1, each its own line of a --sets file (rax=K), in one VM:
# the sieve runs once, before the snapshot point.  -q leaves out kvmrun's
# line of totals, so only the guest's lines reach grep, which counts the
# runs that said "prime".
set -eu
kvmrun=$1 guest=$2 n=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmrun-sweep.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
seq 1 $((n - 1)) | sed 's/^/rax=/' >"$tmp/sets"
"$kvmrun" -q --sets "$tmp/sets" "$guest" >"$tmp/out"
grep -c ': prime$' "$tmp/out"
