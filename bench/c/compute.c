/* SPDX-License-Identifier: MIT */
/*
 * The compute benchmark in C, built twice from this one file: as a guest
 * with the C guest SDK's defaults (bench/c/guest.c) and for the host
 * (bench/c/native.c), so `make bench` compares what kvmrun adds to plain
 * compiled code.  Three parts: an integer loop, a sieve of Eratosthenes
 * over 16 MiB, and a floating-point series (SSE2 in both builds).
 */
#include <stdint.h>

#include "compute.h"

#define LOOPS   200000000u
#define TERMS   20000000u

uint64_t bench_compute_c(uint8_t *buf, uint32_t size)
{
	uint64_t x = 0, primes = 0;
	double pi = 0.0;
	uint32_t i, j;

	for (i = LOOPS; i; i--)                 /* 1: integer loop */
		x = (x * 3 + 1) ^ i;
	for (i = 0; i < size; i++)              /* 2: sieve */
		buf[i] = i >= 2;
	for (i = 2; (uint64_t)i * i < size; i++)
		if (buf[i])
			for (j = i * i; j < size; j += i)
				buf[j] = 0;
	for (i = 0; i < size; i++)
		primes += buf[i];
	for (i = 0; i < TERMS; i++)             /* 3: Leibniz's series for pi */
		pi += (i & 1 ? -4.0 : 4.0) / (2.0 * i + 1.0);
	return x ^ primes ^ (uint64_t)(pi * 1e9);
}
