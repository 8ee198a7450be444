/* SPDX-License-Identifier: MIT */
/* The MMIO test device: an ID and scratch registers. */
#ifndef KVMRUN_DEV_TESTDEV_H
#define KVMRUN_DEV_TESTDEV_H

#include <stdint.h>

#include "bus.h"
#include "error.h"

struct testdev {
	uint64_t scratch[8];
};

int testdev_register(struct bus *mmio, struct testdev *td, struct error *err)
	__attribute__((warn_unused_result));

#endif
