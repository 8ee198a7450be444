/*
 * primes.c - a sieve of Eratosthenes over the first million numbers.
 *
 * Shows: plain C that runs natively at ring 3 (no exits while it counts),
 * a 1 MB array in .bss (zeroed by kvmrun for an ELF, by crt0 for a flat
 * image), and the result printed at the end.
 *
 * Run:    ./kvmrun guests/c/primes.elf
 * Expect: "primes below 1000000: 78498, the last one 999983"; status 0.
 */
#include <stdio.h>

#define LIMIT	1000000

static unsigned char composite[LIMIT];

int main(void)
{
	unsigned count = 0, last = 0, i, j;

	for (i = 2; i < LIMIT; i++) {
		if (composite[i])
			continue;
		count++;
		last = i;
		for (j = i * 2; j < LIMIT; j += i)
			composite[j] = 1;
	}
	printf("primes below %d: %u, the last one %u\n", LIMIT, count, last);
	return 0;
}
