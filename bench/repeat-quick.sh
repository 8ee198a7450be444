#!/bin/bash
# bench/repeat-quick.sh: a quick look at --repeat and --input against fresh
# processes, with the figures kvmrun prints (runs/s, reset time, pages copied
# back), for a machine where "make bench" takes too long (a nested VM).
# Run from the repository root after "make" and "make build/bench/hlt.bin".
set -u
cd "$(dirname "$0")/.." || exit 1
K=./kvmrun
echo "== hlt: --repeat 2000"
$K --repeat 2000 build/bench/hlt.bin 2>&1 | tail -1
echo "== hlt: 200 fresh processes"
s=$(date +%s.%N); for i in $(seq 200); do $K build/bench/hlt.bin; done; e=$(date +%s.%N)
echo "fresh: $(awk -v a=$s -v b=$e "BEGIN{printf \"%.0f\", 200/(b-a)}") runs/s"
for n in 0 1 16 256 4096; do
  echo "== dirty $n pages: --repeat 300"
  $K -m 64M --repeat 300 --set rax=$n tests/guests/dirty.bin 2>&1 | tail -1
done
mkdir -p "${TMPDIR:-/tmp}/kvmrun-inputs"; for i in $(seq 1000); do printf 'input %d line\nrest' $i > "${TMPDIR:-/tmp}/kvmrun-inputs"/$(printf %04d $i); done
echo "== C guest over 1000 inputs, one VM"
s=$(date +%s.%N); $K -q --input "${TMPDIR:-/tmp}/kvmrun-inputs" tests/guests/c/inputsum.elf >/dev/null 2>&1; e=$(date +%s.%N)
echo "inputs: $(awk -v a=$s -v b=$e "BEGIN{printf \"%.0f\", 1000/(b-a)}") runs/s"
echo "== C guest, 100 fresh processes"
s=$(date +%s.%N); for f in $(ls "${TMPDIR:-/tmp}/kvmrun-inputs" | head -100); do $K --input "${TMPDIR:-/tmp}/kvmrun-inputs"/$f tests/guests/c/inputsum.elf >/dev/null 2>&1; done; e=$(date +%s.%N)
echo "fresh: $(awk -v a=$s -v b=$e "BEGIN{printf \"%.0f\", 100/(b-a)}") runs/s"
