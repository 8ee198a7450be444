/*
 * stdinact.c - does what one byte of stdin says, for --repeat: a run that
 * crashes, times out or hits the output limit must leave the next run
 * alone (tests/sections/repeat.sh).
 *
 *   c  prints "crash", divides by zero (#DE: status 126)
 *   t  prints "spin", spins for ever (a time limit ends it: 124)
 *   o  writes 'o' for ever (--max-output ends it: 124)
 *   x  prints "exit 7", exits with 7
 *   anything else, or end of input: prints "ok" and the byte, exits 0
 *
 * Run:    printf 'ctox' | ./kvmrun --repeat 5 -t 1 --max-output 100 tests/guests/c/stdinact.elf
 * Expect: the five outcomes in turn, status 126 (the first that failed).
 */
#include <stdio.h>

int main(void)
{
	volatile int zero = 0;
	int c = getchar();

	switch (c) {
	case 'c':
		printf("crash\n");
		fflush(stdout);
		return 42 / zero;       /* not 1 / zero: gcc computes that without a division */
	case 't':
		printf("spin\n");
		fflush(stdout);
		for (;;)
			__asm__ volatile("");
	case 'o':
		for (;;)
			putchar('o');
	case 'x':
		printf("exit 7\n");
		return 7;
	}
	printf("ok %d\n", c);
	return 0;
}
