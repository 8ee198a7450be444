/* SPDX-License-Identifier: MIT */
/*
 * An MMIO register block for experiments: a read-only 64-bit ID at offset
 * 0 and eight 64-bit scratch registers that read back what was written.
 * Accesses of 1, 2, 4 or 8 bytes may hit any byte of a register; bytes
 * outside the registers read as ones and ignore writes.
 */
#include "dev/testdev.h"

#include <string.h>

#include "kvmrun/abi.h"

#define TESTDEV_REGS_END (KVMRUN_TESTDEV_SCRATCH + 8 * KVMRUN_TESTDEV_NSCRATCH)

static int testdev_access(void *dev, struct bus_access *acc)
{
	struct testdev *td = dev;
	uint8_t regs[TESTDEV_REGS_END];
	uint64_t magic = KVMRUN_TESTDEV_MAGIC;
	unsigned i;

	/* A byte image of the registers makes unaligned accesses simple. */
	memcpy(regs, &magic, 8);
	memcpy(regs + KVMRUN_TESTDEV_SCRATCH, td->scratch, sizeof(td->scratch));
	for (i = 0; i < acc->size; i++) {
		uint64_t off = acc->offset + i;

		if (off >= TESTDEV_REGS_END)
			continue;
		if (!acc->write)
			acc->data[i] = regs[off];
		else if (off >= KVMRUN_TESTDEV_SCRATCH)
			regs[off] = acc->data[i];
	}
	if (acc->write)
		memcpy(td->scratch, regs + KVMRUN_TESTDEV_SCRATCH, sizeof(td->scratch));
	return 0;
}

int testdev_register(struct bus *mmio, struct testdev *td, struct error *err)
{
	*td = (struct testdev){ 0 };
	return bus_register(mmio, KVMRUN_TESTDEV_BASE, KVMRUN_TESTDEV_SIZE,
			    "testdev", testdev_access, td, 0, err);
}
