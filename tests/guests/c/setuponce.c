/*
 * setuponce.c - does its setup once, then takes the snapshot point, for
 * kvmrun --repeat (tests/sections/repeat.sh): every run after the first
 * starts at kvmrun_snapshot()'s return, with the table already built.
 *
 * The setup fills a table and counts in `setups` how often it ran; each run
 * then reads a byte of stdin, bumps `runs` (which the reset must undo),
 * and prints what it saw.
 *
 * Run:    printf 'abc' | ./kvmrun --repeat 3 tests/guests/c/setuponce.elf
 * Expect: "setup" once, then "run a: setups 1, runs 1, table 499500", and
 *         the same for b and c; status 0.
 */
#include <stdio.h>

#include <kvmrun.h>

static unsigned table[1000];
static unsigned setups, runs;

int main(void)
{
	unsigned long sum = 0;
	int c;

	for (unsigned i = 0; i < 1000; i++)
		table[i] = i;
	setups++;
	printf("setup\n");
	kvmrun_snapshot();

	runs++;
	for (unsigned i = 0; i < 1000; i++)
		sum += table[i];
	c = getchar();
	printf("run %c: setups %u, runs %u, table %lu\n", c, setups, runs, sum);
	return 0;
}
