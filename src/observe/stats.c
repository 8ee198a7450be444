/* SPDX-License-Identifier: MIT */
#include "observe/stats.h"

#include <string.h>

void stats_init(struct stats *s)
{
	memset(s, 0, sizeof(*s));
}

static unsigned hash(enum io_space space, uint64_t addr)
{
	uint64_t h = (addr ^ ((uint64_t)space << 63)) * 0x9e3779b97f4a7c15ULL;

	return (unsigned)(h >> 56) % STATS_ADDRS;
}

void stats_access(struct stats *s, enum io_space space, uint64_t addr, bool write)
{
	unsigned i = hash(space, addr), probes;

	for (probes = 0; probes < STATS_ADDRS; probes++, i = (i + 1) % STATS_ADDRS) {
		struct addr_count *a = &s->addrs[i];

		if (!a->used) {
			/* Keep a few slots free so that lookups stay short. */
			if (s->nr_addrs >= STATS_ADDRS * 3 / 4)
				break;
			*a = (struct addr_count){ .space = space, .addr = addr, .used = true };
			s->nr_addrs++;
		} else if (a->space != space || a->addr != addr) {
			continue;
		}
		*(write ? &a->writes : &a->reads) += 1;
		return;
	}
	s->other_addrs++;
}

unsigned stats_top(const struct stats *s, enum io_space space,
		   const struct addr_count **out, unsigned n)
{
	unsigned i, j, found = 0;

	for (i = 0; i < STATS_ADDRS; i++) {
		const struct addr_count *a = &s->addrs[i];
		uint64_t total = a->reads + a->writes;

		if (!a->used || a->space != space)
			continue;
		/* Insertion into the sorted top n; ties by address, so the
		 * order does not depend on the hash. */
		for (j = found; j > 0; j--) {
			const struct addr_count *b = out[j - 1];
			uint64_t bt = b->reads + b->writes;

			if (bt > total || (bt == total && b->addr < a->addr))
				break;
			if (j < n)
				out[j] = b;
		}
		if (j < n) {
			out[j] = a;
			if (found < n)
				found++;
		}
	}
	return found;
}

const char *stats_exit_kind_name(enum exit_kind kind)
{
	static const char *const names[EXIT_KINDS] = {
		[EXIT_IO_IN] = "io_in", [EXIT_IO_OUT] = "io_out",
		[EXIT_MMIO_READ] = "mmio_read", [EXIT_MMIO_WRITE] = "mmio_write",
		[EXIT_HLT] = "hlt", [EXIT_INTR] = "signal", [EXIT_OTHER] = "other", [EXIT_FIRST_TOUCH] = "first_touch",
		[EXIT_COALESCED] = "coalesced",
	};

	return (unsigned)kind < EXIT_KINDS ? names[kind] : "?";
}
