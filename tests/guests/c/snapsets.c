/*
 * snapsets.c - reads its run's value at the snapshot point, for kvmrun
 * --repeat with --sets (tests/sections/repeat.sh): kvmrun_snapshot()
 * returns RAX as kvmrun left it there, the rax=VALUE of the run's line.
 *
 * Run:    printf 'rax=7\nrax=8\n' >sets; ./kvmrun --sets sets tests/guests/c/snapsets.elf
 * Expect: "setup" once, then "run value 7" and "run value 8"; status 0.
 */
#include <stdio.h>

#include <kvmrun.h>

int main(void)
{
	printf("setup\n");
	unsigned long long v = kvmrun_snapshot();

	printf("run value %llu\n", v);
	return 0;
}
