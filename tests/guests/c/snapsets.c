/*
 * snapsets.c - reads its run's value at the snapshot point, for kvmrun
 * --repeat with --sets (tests/sections/repeat.sh): kvmrun_snapshot()
 * returns RAX as kvmrun left it there, the rax=VALUE of the run's line,
 * and kvmrun_entry_regs() has the line's other registers.
 *
 * Run:    printf 'rax=7 r12=70\nrax=8 r12=80\n' >sets; ./kvmrun --sets sets tests/guests/c/snapsets.elf
 * Expect: "setup" once, then "run value 7 r12 70" and "run value 8 r12 80";
 *         status 0.
 */
#include <stdio.h>

#include <kvmrun.h>

int main(void)
{
	printf("setup\n");
	unsigned long long v = kvmrun_snapshot();

	printf("run value %llu r12 %llu\n", v,
	       (unsigned long long)kvmrun_entry_regs()->r12);
	return 0;
}
