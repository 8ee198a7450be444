/* SPDX-License-Identifier: MIT */
/*
 * Bookkeeping of guest accesses that no device claims: a count per port or
 * MMIO address, so each one is reported once as it happens and summed up
 * at the end, however often a guest hammers it.  Pure.
 */
#ifndef KVMRUN_UNCLAIMED_H
#define KVMRUN_UNCLAIMED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define UNCLAIMED_MAX   64      /* distinct addresses tracked one by one */

enum io_space { IO_SPACE_PORT, IO_SPACE_MMIO };

struct unclaimed_entry {
	enum io_space space;
	uint64_t addr;
	uint64_t reads, writes;
};

struct unclaimed_log {
	struct unclaimed_entry entries[UNCLAIMED_MAX];
	unsigned nr;
	uint64_t other_accesses;        /* to addresses past the first 64 */
	uint64_t total;
};

void unclaimed_init(struct unclaimed_log *log);

/*
 * Count one access.  Returns true if it is the first to this address (the
 * caller reports it), false if the address was seen before or the table
 * is full (then it is counted in other_accesses).
 */
bool unclaimed_record(struct unclaimed_log *log, enum io_space space,
		      uint64_t addr, bool write);

const char *unclaimed_space_name(enum io_space space);

/* --strict: the first unclaimed access, which ends the run. */
struct strict_hit {
	unsigned size;                  /* 0: none yet */
	enum io_space space;
	uint64_t addr;
	bool write;
	uint64_t value;
};

/* Print the summary of unclaimed accesses, if there were any, to out. */
void unclaimed_print(const struct unclaimed_log *log, FILE *out);

#endif
