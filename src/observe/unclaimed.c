/* SPDX-License-Identifier: MIT */
#include "observe/unclaimed.h"

#include <string.h>

void unclaimed_init(struct unclaimed_log *log)
{
	memset(log, 0, sizeof(*log));
}

bool unclaimed_record(struct unclaimed_log *log, enum io_space space,
		      uint64_t addr, bool write)
{
	struct unclaimed_entry *e;
	unsigned i;

	log->total++;
	for (i = 0; i < log->nr; i++) {
		e = &log->entries[i];
		if (e->space == space && e->addr == addr) {
			*(write ? &e->writes : &e->reads) += 1;
			return false;
		}
	}
	if (log->nr == UNCLAIMED_MAX) {
		log->other_accesses++;
		return false;
	}
	e = &log->entries[log->nr++];
	*e = (struct unclaimed_entry){ .space = space, .addr = addr };
	*(write ? &e->writes : &e->reads) = 1;
	return true;
}

const char *io_space_name(enum io_space space)
{
	return space == IO_SPACE_PORT ? "port" : "MMIO";
}
