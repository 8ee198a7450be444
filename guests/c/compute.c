/*
 * compute.c - a small compute benchmark: integers, memory, floating point.
 *
 * Shows: that compiled C runs at native speed in a kvmrun guest (at ring 3
 * there is no exit until it prints), and the SDK's clock: kvmrun_ticks()
 * (the TSC) and kvmrun_now_ns().  Three parts, each timed:
 *   int    100 million steps of an xorshift/multiply mix
 *   sieve  the primes below 4 million, five times
 *   float  the Leibniz series for pi over 50 million terms, and a sum of
 *          square roots done by Newton's method
 * The checksums are the same on every machine; the ticks are not.
 *
 * Run:    ./kvmrun guests/c/compute.elf
 * Expect: "int    checksum 0x... ticks N", "sieve  283146 primes ...",
 *         "float  pi ~ 3.14159263... ...", then the total in ms; status 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <kvmrun/sdk/kvmrun.h>

#define SIEVE_N	4000000

static unsigned char composite[SIEVE_N];

static uint64_t int_mix(uint64_t steps)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, sum = 0, i;

	for (i = 0; i < steps; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sum += x * 0xff51afd7ed558ccdULL >> 32;
	}
	return sum;
}

static unsigned sieve(void)
{
	unsigned count = 0, i, j;

	for (i = 0; i < SIEVE_N; i++)
		composite[i] = 0;
	for (i = 2; i < SIEVE_N; i++) {
		if (composite[i])
			continue;
		count++;
		for (j = i * 2; j < SIEVE_N; j += i)
			composite[j] = 1;
	}
	return count;
}

static double newton_sqrt(double a)
{
	double x = a > 1 ? a : 1;
	int i;

	for (i = 0; i < 30; i++)
		x = 0.5 * (x + a / x);
	return x;
}

int main(void)
{
	uint64_t t0, t1, t2, t3, ns0 = kvmrun_now_ns(), sum;
	double pi = 0, roots = 0;
	unsigned primes = 0;
	int k;

	t0 = kvmrun_ticks();
	sum = int_mix(100000000);
	t1 = kvmrun_ticks();
	for (k = 0; k < 5; k++)
		primes = sieve();
	t2 = kvmrun_ticks();
	for (k = 0; k < 50000000; k++)
		pi += (k & 1 ? -4.0 : 4.0) / (2 * k + 1);
	for (k = 1; k <= 200000; k++)
		roots += newton_sqrt(k);
	t3 = kvmrun_ticks();

	printf("int    checksum %#018llx  ticks %llu\n", (unsigned long long)sum,
	       (unsigned long long)(t1 - t0));
	printf("sieve  %u primes below %d  ticks %llu\n", primes, SIEVE_N,
	       (unsigned long long)(t2 - t1));
	printf("float  pi ~ %.12f  sum of sqrt(1..200000) %.6f  ticks %llu\n", pi,
	       roots, (unsigned long long)(t3 - t2));
	printf("total  %llu ticks, %.1f ms at %llu kHz\n",
	       (unsigned long long)(t3 - t0), (kvmrun_now_ns() - ns0) / 1e6,
	       (unsigned long long)kvmrun_tsc_khz());
	return 0;
}
