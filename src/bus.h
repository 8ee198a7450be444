/* SPDX-License-Identifier: MIT */
/*
 * A bus dispatches guest port-I/O or MMIO accesses to devices by address
 * range.  kvmrun has two: one for ports, one for MMIO.  Pure: devices and
 * the unclaimed-access hook are plain function pointers.
 *
 * Rules (from kvmtool, Firecracker and OpenBSD vmd):
 *  - ranges are non-empty and never overlap; registering one that does fails;
 *  - a read always fills the whole data buffer: an unclaimed byte reads as
 *    0xff (open bus), whatever was in the buffer before;
 *  - a device flagged BUS_BYTE_WIDE is an 8-bit ISA device: a wider access
 *    to it is split into byte accesses to consecutive addresses, each
 *    dispatched on its own (an "outw" to 0x3f8 writes 0x3f8 and 0x3f9).
 */
#ifndef KVMRUN_BUS_H
#define KVMRUN_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define BUS_MAX_DEVICES         32
#define BUS_MAX_ACCESS          8

struct bus_access {
	uint64_t addr;          /* port or guest-physical address */
	uint64_t offset;        /* addr minus the device's base */
	unsigned size;          /* bytes: 1, 2, 4 or 8 */
	bool write;
	uint8_t *data;          /* size bytes, little-endian */
};

/* A device's handler: 0, or a negative errno for a host-side failure. */
typedef int (*bus_handler_fn)(void *dev, struct bus_access *acc);

/* Called for each access no device claims (after a read is filled). */
typedef int (*bus_unclaimed_fn)(void *ctx, const struct bus_access *acc);

enum bus_flags {
	BUS_BYTE_WIDE = 1 << 0,
};

struct bus_device {
	uint64_t base;
	uint64_t len;
	const char *name;
	bus_handler_fn handler;
	void *dev;
	unsigned flags;
};

struct bus {
	const char *name;               /* "port" or "MMIO", for messages */
	struct bus_device devices[BUS_MAX_DEVICES];
	unsigned nr_devices;            /* sorted by base */
	bus_unclaimed_fn unclaimed;
	void *unclaimed_ctx;
};

void bus_init(struct bus *bus, const char *name);

/* Register [base, base+len).  Fails on len 0, wrap-around or overlap. */
int bus_register(struct bus *bus, uint64_t base, uint64_t len,
		 const char *name, bus_handler_fn handler, void *dev,
		 unsigned flags, struct error *err)
	__attribute__((warn_unused_result));

/* The device whose range holds addr, or NULL. */
const struct bus_device *bus_find(const struct bus *bus, uint64_t addr);

/*
 * Dispatch one access of size bytes (1 to BUS_MAX_ACCESS).  Returns 0 or
 * the first negative value a handler or the unclaimed hook returned.
 */
int bus_dispatch(struct bus *bus, uint64_t addr, bool write, uint8_t *data,
		 unsigned size);

/* The access's data as a little-endian number, and the reverse. */
uint64_t bus_get_value(const struct bus_access *acc);
void bus_set_value(struct bus_access *acc, uint64_t value);

#endif
