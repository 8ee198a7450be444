/* SPDX-License-Identifier: MIT */
/*
 * Counting what a run did: exits by kind, and accesses per port and per
 * MMIO address (claimed or not), for the run report and -v.  Pure.
 */
#ifndef KVMRUN_STATS_H
#define KVMRUN_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "observe/unclaimed.h"

enum exit_kind {
	EXIT_IO_IN,
	EXIT_IO_OUT,
	EXIT_MMIO_READ,
	EXIT_MMIO_WRITE,
	EXIT_HLT,               /* a hlt, or an exception in a supervisor stub */
	EXIT_INTR,              /* KVM_RUN interrupted by a signal */
	EXIT_OTHER,             /* shutdown, internal error, ... */
	EXIT_FIRST_TOUCH,       /* RAM KVM did not have yet (memmap.h) */
	EXIT_COALESCED,         /* port writes KVM queued without exiting */
	EXIT_KINDS,
};

#define STATS_ADDRS     256     /* distinct ports/addresses counted */

struct addr_count {
	enum io_space space;
	uint64_t addr;
	uint64_t reads, writes;
	bool used;
};

struct stats {
	uint64_t exits[EXIT_KINDS];
	struct addr_count addrs[STATS_ADDRS];   /* open addressing */
	unsigned nr_addrs;
	uint64_t other_addrs;           /* accesses once the table is full */
};

void stats_init(struct stats *s);
void stats_access(struct stats *s, enum io_space space, uint64_t addr, bool write);

/* The n busiest addresses of a space, most accesses first; returns n found. */
unsigned stats_top(const struct stats *s, enum io_space space,
		   const struct addr_count **out, unsigned n);

const char *stats_exit_kind_name(enum exit_kind kind);

#endif
