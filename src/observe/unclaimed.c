/* SPDX-License-Identifier: MIT */
#include "observe/unclaimed.h"

#include <stdio.h>

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

const char *unclaimed_space_name(enum io_space space)
{
	return space == IO_SPACE_PORT ? "port" : "MMIO";
}

void unclaimed_print(const struct unclaimed_log *log, FILE *out)
{
	unsigned i;

	if (!log->total)
		return;
	fprintf(out, "kvmrun: unclaimed accesses: %llu in all\n",
		(unsigned long long)log->total);
	for (i = 0; i < log->nr; i++) {
		const struct unclaimed_entry *e = &log->entries[i];

		fprintf(out, "kvmrun:   %s %#llx: %llu read%s, %llu write%s\n",
			unclaimed_space_name(e->space), (unsigned long long)e->addr,
			(unsigned long long)e->reads, e->reads == 1 ? "" : "s",
			(unsigned long long)e->writes, e->writes == 1 ? "" : "s");
	}
	if (log->other_accesses)
		fprintf(out, "kvmrun:   %llu more to other addresses\n",
			(unsigned long long)log->other_accesses);
}
