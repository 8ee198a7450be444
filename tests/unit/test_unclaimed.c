/* SPDX-License-Identifier: MIT */
/* Unit tests for unclaimed.c: counting accesses no device claims. */
#include "observe/unclaimed.h"
#include "test.h"

TEST(unclaimed_first_access_only)
{
	struct unclaimed_log log;

	unclaimed_init(&log);
	TEST_CHECK(unclaimed_record(&log, IO_SPACE_PORT, 0x60, false));
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_PORT, 0x60, false));
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_PORT, 0x60, true));
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_PORT, 0x60, false));
	TEST_EQ(log.nr, 1);
	TEST_EQ(log.total, 4);
	TEST_EQ(log.other_accesses, 0);
}

TEST(unclaimed_reads_and_writes_counted_apart)
{
	struct unclaimed_log log;
	unsigned i;

	unclaimed_init(&log);
	/* First access a write: the entry starts with writes = 1. */
	TEST_CHECK(unclaimed_record(&log, IO_SPACE_MMIO, 0xe0000000, true));
	for (i = 0; i < 5; i++)
		unclaimed_record(&log, IO_SPACE_MMIO, 0xe0000000, false);
	unclaimed_record(&log, IO_SPACE_MMIO, 0xe0000000, true);
	TEST_REQUIRE(log.nr == 1);
	TEST_EQ(log.entries[0].space, IO_SPACE_MMIO);
	TEST_EQ(log.entries[0].addr, 0xe0000000);
	TEST_EQ(log.entries[0].reads, 5);
	TEST_EQ(log.entries[0].writes, 2);
	TEST_EQ(log.total, 7);
}

TEST(unclaimed_port_and_mmio_are_distinct)
{
	struct unclaimed_log log;

	unclaimed_init(&log);
	TEST_CHECK(unclaimed_record(&log, IO_SPACE_PORT, 0x80, true));
	TEST_CHECK(unclaimed_record(&log, IO_SPACE_MMIO, 0x80, true));
	TEST_CHECK(unclaimed_record(&log, IO_SPACE_PORT, 0x81, true));
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_MMIO, 0x80, false));
	TEST_REQUIRE(log.nr == 3);
	TEST_EQ(log.entries[0].writes, 1);      /* port 0x80 */
	TEST_EQ(log.entries[0].reads, 0);
	TEST_EQ(log.entries[1].space, IO_SPACE_MMIO);
	TEST_EQ(log.entries[1].reads, 1);       /* MMIO 0x80 */
}

TEST(unclaimed_table_full)
{
	struct unclaimed_log log;
	unsigned i;

	unclaimed_init(&log);
	for (i = 0; i < UNCLAIMED_MAX; i++)
		TEST_CHECK_MSG(unclaimed_record(&log, IO_SPACE_PORT, 0x100 + i, false),
			       "address %u", i);
	TEST_EQ(log.nr, UNCLAIMED_MAX);
	TEST_EQ(log.other_accesses, 0);

	/* The 65th distinct address is not tracked: counted in bulk. */
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_PORT, 0x100 + UNCLAIMED_MAX, false));
	TEST_EQ(log.nr, UNCLAIMED_MAX);
	TEST_EQ(log.other_accesses, 1);
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_PORT, 0x100 + UNCLAIMED_MAX, true));
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_MMIO, 0x100, true));
	TEST_EQ(log.other_accesses, 3);

	/* A tracked address is still counted in its own entry. */
	TEST_CHECK(!unclaimed_record(&log, IO_SPACE_PORT, 0x100, true));
	TEST_EQ(log.entries[0].writes, 1);
	TEST_EQ(log.entries[0].reads, 1);
	TEST_EQ(log.other_accesses, 3);
	TEST_EQ(log.total, UNCLAIMED_MAX + 4);
}

TEST(unclaimed_init_resets)
{
	struct unclaimed_log log;

	unclaimed_init(&log);
	unclaimed_record(&log, IO_SPACE_PORT, 0x60, false);
	unclaimed_init(&log);
	TEST_EQ(log.nr, 0);
	TEST_EQ(log.total, 0);
	TEST_CHECK(unclaimed_record(&log, IO_SPACE_PORT, 0x60, false));
}

TEST(unclaimed_space_names)
{
	TEST_STREQ(unclaimed_space_name(IO_SPACE_PORT), "port");
	TEST_STREQ(unclaimed_space_name(IO_SPACE_MMIO), "MMIO");
}

const struct test tests_unclaimed[] = {
	TEST_ENTRY(unclaimed_first_access_only),
	TEST_ENTRY(unclaimed_reads_and_writes_counted_apart),
	TEST_ENTRY(unclaimed_port_and_mmio_are_distinct),
	TEST_ENTRY(unclaimed_table_full),
	TEST_ENTRY(unclaimed_init_resets),
	TEST_ENTRY(unclaimed_space_names),
	TEST_END,
};
