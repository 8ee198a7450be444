/* SPDX-License-Identifier: MIT */
/* Unit tests for stats.c: per-address counts and the busiest list. */
#include <string.h>

#include "observe/stats.h"
#include "test.h"

TEST(stats_counts_and_top)
{
	struct stats s;
	const struct addr_count *top[3];
	unsigned i, n;

	stats_init(&s);
	for (i = 0; i < 5; i++)
		stats_access(&s, IO_SPACE_PORT, 0x3f8, true);
	for (i = 0; i < 7; i++)
		stats_access(&s, IO_SPACE_PORT, 0x3fd, false);
	stats_access(&s, IO_SPACE_PORT, 0xf4, true);
	stats_access(&s, IO_SPACE_MMIO, 0x3f8, false);  /* another space */
	stats_access(&s, IO_SPACE_PORT, 0x80, true);
	n = stats_top(&s, IO_SPACE_PORT, top, 3);
	TEST_EQ(n, 3);
	TEST_EQ(top[0]->addr, 0x3fd);
	TEST_EQ(top[0]->reads, 7);
	TEST_EQ(top[1]->addr, 0x3f8);
	TEST_EQ(top[1]->writes, 5);
	TEST_EQ(top[2]->addr, 0x80);            /* ties: lower address first */
	n = stats_top(&s, IO_SPACE_MMIO, top, 3);
	TEST_EQ(n, 1);
	TEST_EQ(top[0]->reads, 1);
}

TEST(stats_table_full)
{
	struct stats s;
	uint64_t a;

	stats_init(&s);
	for (a = 0; a < 1000; a++)
		stats_access(&s, IO_SPACE_MMIO, a * 4096, true);
	TEST_CHECK(s.nr_addrs <= STATS_ADDRS);
	TEST_EQ(s.nr_addrs + s.other_addrs, 1000);
	/* A counted address still counts once the table is full. */
	stats_access(&s, IO_SPACE_MMIO, 0, true);
	{
		const struct addr_count *top[1];

		TEST_EQ(stats_top(&s, IO_SPACE_MMIO, top, 1), 1);
		TEST_EQ(top[0]->writes, 2);
		TEST_EQ(top[0]->addr, 0);
	}
}

TEST(stats_exit_kind_names)
{
	TEST_CHECK(strcmp(stats_exit_kind_name(EXIT_IO_OUT), "io_out") == 0);
	TEST_CHECK(strcmp(stats_exit_kind_name(EXIT_COALESCED), "coalesced") == 0);
	TEST_CHECK(strcmp(stats_exit_kind_name(EXIT_KINDS), "?") == 0);
}

const struct test tests_stats[] = {
	TEST_ENTRY(stats_counts_and_top),
	TEST_ENTRY(stats_table_full),
	TEST_ENTRY(stats_exit_kind_names),
	TEST_END,
};
