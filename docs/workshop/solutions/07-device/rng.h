/* SPDX-License-Identifier: MIT */
/* A random-number register on the MMIO bus (docs/workshop/07-mmio.md). */
#ifndef KVMRUN_DEV_RNG_H
#define KVMRUN_DEV_RNG_H

#include <stdint.h>

#include "bus.h"
#include "error.h"

#define RNG_MMIO_BASE   0xd0001000ULL   /* after the test device's page */
#define RNG_MMIO_SIZE   8               /* one 64-bit register */

struct rng {
	uint64_t state;         /* xorshift64*: never 0 */
};

int rng_register(struct bus *mmio, struct rng *rng, struct error *err)
	__attribute__((warn_unused_result));

#endif
