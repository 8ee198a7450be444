/*
 * 10-prime.c - lesson 10: set up once, then run many times.
 *
 * The setup, a sieve of Eratosthenes up to a million, runs once: then
 * kvmrun_snapshot() (an out to port 0xf8) tells kvmrun --repeat, --input
 * and --sets to restart every later run right after it, with the sieve
 * already in memory.  Each run then answers its number ("N: prime" or
 * "N: not prime"): the bytes of its --input file, or its line's rax=N
 * under --sets (kvmrun sets RAX at the snapshot point, and
 * kvmrun_snapshot() returns it; 0 without --sets).  With neither, it
 * checks itself in kvm-unit-tests' convention: one "PASS: name" or
 * "FAIL: name" line per check, which kvmrun --tap and --junit turn into
 * test points.
 *
 * Run:    ./kvmrun --repeat 3 docs/workshop/guests/10-prime.elf
 *         ./kvmrun --input DIR docs/workshop/guests/10-prime.elf
 *         ./kvmrun --sets FILE docs/workshop/guests/10-prime.elf
 *         ./kvmrun --tap docs/workshop/guests/10-prime.elf
 * Expect: "sieve: 78498 primes below 1000000" once, then each run's
 *         lines; status 0, or 1 when a check fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvmrun.h>

#define LIMIT 1000000

static unsigned char composite[LIMIT];  /* .bss: zero at the start */

static void sieve(void)
{
	for (long i = 2; i * i < LIMIT; i++)
		if (!composite[i])
			for (long j = i * i; j < LIMIT; j += i)
				composite[j] = 1;
}

static int is_prime(long n)
{
	return n >= 2 && n < LIMIT && !composite[n];
}

static int check(const char *name, int ok)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", name);
	return !ok;
}

int main(void)
{
	size_t len;
	const char *in;
	long count = 0, n;
	int failed = 0;

	sieve();
	for (long i = 0; i < LIMIT; i++)
		count += is_prime(i);
	printf("sieve: %ld primes below %d\n", count, LIMIT);
	n = (long)kvmrun_snapshot();    /* every later run starts here */

	in = kvmrun_input(&len);
	if (in) {
		char num[24];

		memcpy(num, in, len < sizeof(num) ? len : sizeof(num) - 1);
		num[len < sizeof(num) ? len : sizeof(num) - 1] = '\0';
		n = strtol(num, NULL, 10);
	}
	if (in || n) {
		printf("%ld: %s\n", n, is_prime(n) ? "prime" : "not prime");
		return 0;
	}
	failed += check("2 is prime", is_prime(2));
	failed += check("91 is not prime", !is_prime(91));
	failed += check("7919 is prime", is_prime(7919));
	failed += check("78498 primes below a million", count == 78498);
	return failed;
}
