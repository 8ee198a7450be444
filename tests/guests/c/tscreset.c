/*
 * tscreset.c - checks that kvmrun --repeat puts the TSC back
 * (tests/sections/repeat.sh).  The run whose --sets line says rax=1 spins
 * for 2^32 cycles after the snapshot point; a later run then reads the
 * clock right after the snapshot point: put back, it is less than 2^32
 * cycles past the snapshot's reading, where a clock that ran on would be
 * past the spin too.  (Only a reset slower than the spin could fool it.)
 *
 * Run:    printf 'rax=1\nrax=0\n' >sets; ./kvmrun --sets sets tests/guests/c/tscreset.elf
 * Expect: "spun", then "clock put back"; status 0.
 */
#include <stdio.h>

#include <kvmrun.h>

#define SPIN (1ULL << 32)

int main(void)
{
	unsigned long long before = kvmrun_ticks(), spin = kvmrun_snapshot();
	unsigned long long after = kvmrun_ticks();

	if (spin) {
		while (kvmrun_ticks() - after < SPIN)
			;
		printf("spun\n");
		return 0;
	}
	if (after - before < SPIN)
		printf("clock put back\n");
	else
		printf("clock ran on: %llu cycles past the snapshot\n", after - before);
	return 0;
}
