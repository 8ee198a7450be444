/* SPDX-License-Identifier: MIT */
/*
 * A random-number register at RNG_MMIO_BASE: every read, of any size, gets
 * the low bytes of a fresh 64-bit number; writes are dropped.  The numbers
 * come from xorshift64* (Vigna, "An experimental exploration of Marsaglia's
 * xorshift generators, scrambled", 2016), seeded from getrandom(2): good
 * enough for a guest's experiments, not for keys.  Its state is device
 * state, so --repeat puts it back and every run sees the same numbers.
 */
#include "dev/rng.h"

#include <sys/random.h>
#include <time.h>

static uint64_t rng_next(struct rng *rng)
{
	uint64_t x = rng->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static int rng_access(void *dev, struct bus_access *acc)
{
	if (!acc->write)
		bus_set_value(acc, rng_next(dev));
	return 0;
}

int rng_register(struct bus *mmio, struct rng *rng, struct error *err)
{
	uint64_t seed = 0;

	/* No entropy is no reason to fail a run: fall back to the clock. */
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL);
	rng->state = seed ? seed : 1;
	return bus_register(mmio, RNG_MMIO_BASE, RNG_MMIO_SIZE, "rng", rng_access, rng,
			    0, err);
}
