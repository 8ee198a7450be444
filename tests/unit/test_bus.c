/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for bus.c: registration (the overlap matrix, after
 * Firecracker's bus tests), lookup, and dispatch with its rules: reads are
 * always filled, unclaimed bytes read as 0xff, byte-wide devices see
 * wider accesses split into bytes.
 */
#include <errno.h>
#include <string.h>

#include "bus.h"
#include "test.h"

/* ---- a recording device and unclaimed hook ---------------------------- */

#define MAX_CALLS 16

struct call {
	uint64_t addr, offset;
	unsigned size;
	bool write;
	uint8_t data[BUS_MAX_ACCESS];   /* what was written, or read back */
};

struct recorder {
	struct call calls[MAX_CALLS];
	unsigned nr;
	int ret;                        /* what the handler returns */
};

/* A fake device: registers regs[] read back byte by byte; records calls. */
struct fake_dev {
	struct recorder rec;
	uint8_t regs[32];
	bool no_fill;                   /* reads leave the buffer alone */
};

static void record(struct recorder *r, const struct bus_access *acc)
{
	struct call *c;

	if (r->nr == MAX_CALLS)
		return;
	c = &r->calls[r->nr++];
	c->addr = acc->addr;
	c->offset = acc->offset;
	c->size = acc->size;
	c->write = acc->write;
	memcpy(c->data, acc->data, acc->size < BUS_MAX_ACCESS ? acc->size : BUS_MAX_ACCESS);
}

static int fake_handler(void *dev, struct bus_access *acc)
{
	struct fake_dev *d = dev;
	unsigned i;

	for (i = 0; i < acc->size; i++) {
		uint64_t off = acc->offset + i;

		if (off >= sizeof(d->regs))
			continue;
		if (acc->write)
			d->regs[off] = acc->data[i];
		else if (!d->no_fill)
			acc->data[i] = d->regs[off];
	}
	record(&d->rec, acc);
	return d->rec.ret;
}

static int unclaimed_hook(void *ctx, const struct bus_access *acc)
{
	struct recorder *r = ctx;

	record(r, acc);
	return r->ret;
}

static void fake_init(struct fake_dev *d)
{
	unsigned i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < sizeof(d->regs); i++)
		d->regs[i] = (uint8_t)(0xa0 + i);
}

/* A bus with the hook attached. */
static void bus_setup(struct bus *bus, struct recorder *unclaimed)
{
	bus_init(bus, "port");
	memset(unclaimed, 0, sizeof(*unclaimed));
	bus->unclaimed = unclaimed_hook;
	bus->unclaimed_ctx = unclaimed;
}

static int reg(struct bus *bus, uint64_t base, uint64_t len, struct fake_dev *d,
	       unsigned flags, struct error *err)
{
	return bus_register(bus, base, len, "fake", fake_handler, d, flags, err);
}

/* ---- registration --------------------------------------------------- */

TEST(bus_register_overlap_matrix)
{
	/* Against an existing device at [0x100, 0x110). */
	static const struct {
		const char *what;
		uint64_t base, len;
		bool ok;
	} rows[] = {
		{ "identical",          0x100, 0x10, false },
		{ "contained",          0x104, 0x4,  false },
		{ "first byte",         0x100, 0x1,  false },
		{ "last byte",          0x10f, 0x1,  false },
		{ "containing",         0x0f0, 0x40, false },
		{ "left edge",          0x0f8, 0x10, false },
		{ "right edge",         0x10f, 0x10, false },
		{ "adjacent left",      0x0f0, 0x10, true },
		{ "adjacent right",     0x110, 0x10, true },
		{ "far away",           0x400, 0x8,  true },
	};
	struct fake_dev d;
	unsigned i;

	fake_init(&d);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct bus bus;
		struct error err = { "" };
		int r;

		bus_init(&bus, "port");
		TEST_REQUIRE(reg(&bus, 0x100, 0x10, &d, 0, &err) == 0);
		r = bus_register(&bus, rows[i].base, rows[i].len, "new",
				 fake_handler, &d, 0, &err);
		TEST_CHECK_MSG((r == 0) == rows[i].ok, "%s", rows[i].what);
		TEST_CHECK_MSG(bus.nr_devices == (rows[i].ok ? 2u : 1u), "%s",
			       rows[i].what);
		if (!rows[i].ok) {
			TEST_CONTAINS(err.msg, "overlaps fake");
			TEST_CONTAINS(err.msg, "new");
		}
	}
}

TEST(bus_register_rejects_empty_and_wrapping)
{
	struct bus bus;
	struct fake_dev d;
	struct error err = { "" };

	fake_init(&d);
	bus_init(&bus, "MMIO");
	TEST_EQ(reg(&bus, 0x100, 0, &d, 0, &err), -1);
	TEST_CONTAINS(err.msg, "empty");
	TEST_CONTAINS(err.msg, "MMIO");
	TEST_EQ(reg(&bus, UINT64_MAX - 1, 3, &d, 0, &err), -1);
	TEST_CONTAINS(err.msg, "wraps");
	TEST_EQ(reg(&bus, 2, UINT64_MAX, &d, 0, &err), -1);
	TEST_EQ(bus.nr_devices, 0);

	/* [1, 1 + UINT64_MAX) ends exactly at UINT64_MAX: it does not wrap. */
	TEST_EQ(reg(&bus, 1, UINT64_MAX, &d, 0, &err), 0);
	bus_init(&bus, "MMIO");

	/* Ranges that end exactly at the top of the address space are fine. */
	TEST_EQ(reg(&bus, UINT64_MAX - 0xf, 0x10, &d, 0, &err), 0);
	TEST_CHECK(bus_find(&bus, UINT64_MAX) != NULL);
	TEST_EQ(reg(&bus, 0, UINT64_MAX - 0xf, &d, 0, &err), 0);
	TEST_CHECK(bus_find(&bus, UINT64_MAX - 0x10) != NULL);
	TEST_EQ(bus.nr_devices, 2);
}

TEST(bus_register_full_table)
{
	struct bus bus;
	struct fake_dev d;
	struct error err = { "" };
	unsigned i;

	fake_init(&d);
	bus_init(&bus, "port");
	for (i = 0; i < BUS_MAX_DEVICES; i++)
		TEST_REQUIRE(reg(&bus, 0x1000 + 0x10 * i, 0x10, &d, 0, &err) == 0);
	TEST_EQ(reg(&bus, 0x10, 1, &d, 0, &err), -1);
	TEST_CONTAINS(err.msg, "full");
	TEST_EQ(bus.nr_devices, BUS_MAX_DEVICES);
}

/* ---- lookup --------------------------------------------------------- */

/* Device i covers [i * 0x100, i * 0x100 + 0x10 + i): gaps in between. */
#define NDEV 12
static uint64_t dev_base(unsigned i) { return 0x1000 + (uint64_t)i * 0x100; }
static uint64_t dev_len(unsigned i) { return 0x10 + i; }

TEST(bus_find_random_order)
{
	struct fake_dev devs[NDEV];
	uint32_t seed = 12345;
	unsigned round;

	for (round = 0; round < 20; round++) {
		unsigned order[NDEV], i, j;
		struct bus bus;
		struct error err;

		/* A Fisher-Yates shuffle with a fixed LCG: reproducible. */
		for (i = 0; i < NDEV; i++)
			order[i] = i;
		for (i = NDEV - 1; i > 0; i--) {
			unsigned t;

			seed = seed * 1103515245 + 12345;
			j = (seed >> 16) % (i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		bus_init(&bus, "port");
		for (i = 0; i < NDEV; i++) {
			fake_init(&devs[order[i]]);
			TEST_REQUIRE(reg(&bus, dev_base(order[i]), dev_len(order[i]),
					 &devs[order[i]], 0, &err) == 0);
		}

		/* Kept sorted by base, whatever the order of registration. */
		for (i = 1; i < bus.nr_devices; i++)
			TEST_CHECK_MSG(bus.devices[i - 1].base < bus.devices[i].base,
				       "round %u, index %u", round, i);

		for (i = 0; i < NDEV; i++) {
			uint64_t b = dev_base(i), l = dev_len(i);
			const struct bus_device *f;

			f = bus_find(&bus, b);
			TEST_CHECK_MSG(f && f->dev == &devs[i], "round %u, dev %u first", round, i);
			f = bus_find(&bus, b + l / 2);
			TEST_CHECK_MSG(f && f->dev == &devs[i], "round %u, dev %u middle", round, i);
			f = bus_find(&bus, b + l - 1);
			TEST_CHECK_MSG(f && f->dev == &devs[i], "round %u, dev %u last", round, i);
			TEST_CHECK_MSG(bus_find(&bus, b - 1) == NULL, "round %u, below %u", round, i);
			TEST_CHECK_MSG(bus_find(&bus, b + l) == NULL, "round %u, above %u", round, i);
		}
		TEST_CHECK(bus_find(&bus, 0) == NULL);
		TEST_CHECK(bus_find(&bus, UINT64_MAX) == NULL);
	}
}

TEST(bus_find_empty_bus)
{
	struct bus bus;

	bus_init(&bus, "port");
	TEST_CHECK(bus_find(&bus, 0) == NULL);
	TEST_CHECK(bus_find(&bus, 0x3f8) == NULL);
}

/* ---- dispatch: unclaimed accesses ----------------------------------- */

TEST(bus_unclaimed_read_fills_ff)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	unsigned i, k;

	for (i = 0; i < 4; i++) {
		struct bus bus;
		struct recorder un;
		uint8_t buf[16];
		unsigned size = sizes[i];

		bus_setup(&bus, &un);
		/* Stale data in the buffer must not leak into the read. */
		memset(buf, 0x5a, sizeof(buf));
		TEST_EQ(bus_dispatch(&bus, 0x1234, false, buf, size), 0);
		for (k = 0; k < size; k++)
			TEST_CHECK_MSG(buf[k] == 0xff, "size %u, byte %u", size, k);
		/* ...and only size bytes are touched. */
		for (; k < sizeof(buf); k++)
			TEST_CHECK_MSG(buf[k] == 0x5a, "size %u, byte %u", size, k);

		TEST_REQUIRE(un.nr == 1);
		TEST_EQ(un.calls[0].addr, 0x1234);
		TEST_EQ(un.calls[0].size, size);
		TEST_CHECK(!un.calls[0].write);
		/* The hook sees the read already filled. */
		TEST_CHECK_MSG(un.calls[0].data[0] == 0xff &&
			       un.calls[0].data[size - 1] == 0xff, "size %u", size);
	}
}

TEST(bus_unclaimed_read_without_hook)
{
	struct bus bus;
	uint8_t buf[4] = { 1, 2, 3, 4 };

	bus_init(&bus, "port");
	TEST_EQ(bus_dispatch(&bus, 0x80, false, buf, 4), 0);
	TEST_EQ(buf[0] & buf[1] & buf[2] & buf[3], 0xff);
}

TEST(bus_unclaimed_write)
{
	struct bus bus;
	struct recorder un;
	uint8_t buf[4] = { 0x78, 0x56, 0x34, 0x12 };

	bus_setup(&bus, &un);
	TEST_EQ(bus_dispatch(&bus, 0xd0001000, true, buf, 4), 0);
	TEST_CHECK(memcmp(buf, "\x78\x56\x34\x12", 4) == 0);  /* not touched */
	TEST_REQUIRE(un.nr == 1);
	TEST_EQ(un.calls[0].addr, 0xd0001000);
	TEST_EQ(un.calls[0].size, 4);
	TEST_CHECK(un.calls[0].write);
	TEST_CHECK(memcmp(un.calls[0].data, buf, 4) == 0);
}

TEST(bus_unclaimed_hook_error_propagates)
{
	struct bus bus;
	struct recorder un;
	uint8_t buf[2] = { 0 };

	bus_setup(&bus, &un);
	un.ret = -EPIPE;
	TEST_EQ(bus_dispatch(&bus, 0x60, true, buf, 2), -EPIPE);
	TEST_EQ(bus_dispatch(&bus, 0x60, false, buf, 2), -EPIPE);
	TEST_EQ(un.nr, 2);
}

TEST(bus_dispatch_rejects_bad_sizes)
{
	struct bus bus;
	struct recorder un;
	uint8_t buf[16] = { 0 };

	bus_setup(&bus, &un);
	TEST_CHECK(bus_dispatch(&bus, 0x60, false, buf, 0) < 0);
	TEST_CHECK(bus_dispatch(&bus, 0x60, false, buf, BUS_MAX_ACCESS + 1) < 0);
	TEST_EQ(un.nr, 0);
	TEST_EQ(buf[0], 0);
}

/* ---- dispatch: devices ---------------------------------------------- */

TEST(bus_device_gets_whole_access)
{
	const uint64_t base = 0xd0000000;
	struct bus bus;
	struct recorder un;
	struct fake_dev d;
	struct error err;
	uint8_t buf[8];

	bus_setup(&bus, &un);
	fake_init(&d);
	TEST_REQUIRE(reg(&bus, base, 0x1000, &d, 0, &err) == 0);

	/* 8-byte read at offset 0x10: one call, the offset, the bytes. */
	memset(buf, 0, sizeof(buf));
	TEST_EQ(bus_dispatch(&bus, base + 0x10, false, buf, 8), 0);
	TEST_REQUIRE(d.rec.nr == 1);
	TEST_EQ(d.rec.calls[0].addr, base + 0x10);
	TEST_EQ(d.rec.calls[0].offset, 0x10);
	TEST_EQ(d.rec.calls[0].size, 8);
	TEST_CHECK(!d.rec.calls[0].write);
	TEST_CHECK(memcmp(buf, "\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7", 8) == 0);

	/* 4-byte write at offset 2. */
	memcpy(buf, "\x11\x22\x33\x44", 4);
	TEST_EQ(bus_dispatch(&bus, base + 2, true, buf, 4), 0);
	TEST_REQUIRE(d.rec.nr == 2);
	TEST_EQ(d.rec.calls[1].offset, 2);
	TEST_EQ(d.rec.calls[1].size, 4);
	TEST_CHECK(d.rec.calls[1].write);
	TEST_CHECK(memcmp(d.regs + 2, "\x11\x22\x33\x44", 4) == 0);
	TEST_EQ(un.nr, 0);
}

TEST(bus_device_read_not_filled_reads_ff)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev d;
	struct error err;
	uint8_t buf[4] = { 1, 2, 3, 4 };

	/* A device that does not answer a read: open bus, not stale data. */
	bus_setup(&bus, &un);
	fake_init(&d);
	d.no_fill = true;
	TEST_REQUIRE(reg(&bus, 0x500, 8, &d, 0, &err) == 0);
	TEST_EQ(bus_dispatch(&bus, 0x500, false, buf, 4), 0);
	TEST_CHECK(memcmp(buf, "\xff\xff\xff\xff", 4) == 0);
	TEST_EQ(d.rec.nr, 1);
}

TEST(bus_device_error_propagates)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev wide, narrow;
	struct error err;
	uint8_t buf[4] = { 0 };

	bus_setup(&bus, &un);
	fake_init(&wide);
	fake_init(&narrow);
	wide.rec.ret = -EIO;
	narrow.rec.ret = -ENOSPC;
	TEST_REQUIRE(reg(&bus, 0x100, 4, &wide, 0, &err) == 0);
	TEST_REQUIRE(reg(&bus, 0x3f8, 8, &narrow, BUS_BYTE_WIDE, &err) == 0);
	TEST_EQ(bus_dispatch(&bus, 0x100, false, buf, 4), -EIO);
	TEST_EQ(bus_dispatch(&bus, 0x100, true, buf, 1), -EIO);
	/* Split accesses stop at the first failing byte. */
	TEST_EQ(bus_dispatch(&bus, 0x3f8, true, buf, 4), -ENOSPC);
	TEST_EQ(narrow.rec.nr, 1);
}

/* ---- dispatch: byte-wide devices ------------------------------------ */

TEST(bus_byte_wide_read_assembles_bytes)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev uart;
	struct error err;
	uint8_t buf[8];
	unsigned i;

	bus_setup(&bus, &un);
	fake_init(&uart);
	TEST_REQUIRE(reg(&bus, 0x3f8, 8, &uart, BUS_BYTE_WIDE, &err) == 0);
	memset(buf, 0x5a, sizeof(buf));
	TEST_EQ(bus_dispatch(&bus, 0x3f8, false, buf, 4), 0);
	/* Registers 0-3, one call each. */
	TEST_CHECK(memcmp(buf, "\xa0\xa1\xa2\xa3", 4) == 0);
	TEST_EQ(buf[4], 0x5a);
	TEST_REQUIRE(uart.rec.nr == 4);
	for (i = 0; i < 4; i++) {
		TEST_CHECK_MSG(uart.rec.calls[i].size == 1, "call %u", i);
		TEST_CHECK_MSG(uart.rec.calls[i].offset == i, "call %u", i);
		TEST_CHECK_MSG(uart.rec.calls[i].addr == 0x3f8 + i, "call %u", i);
	}
	TEST_EQ(un.nr, 0);
}

TEST(bus_byte_wide_write_past_end)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev uart;
	struct error err;
	uint8_t buf[2] = { 0x11, 0x22 };

	/* outw at COM1's last port, 0x3ff: byte 1 lands on 0x400, unclaimed. */
	bus_setup(&bus, &un);
	fake_init(&uart);
	TEST_REQUIRE(reg(&bus, 0x3f8, 8, &uart, BUS_BYTE_WIDE, &err) == 0);
	TEST_EQ(bus_dispatch(&bus, 0x3ff, true, buf, 2), 0);
	TEST_REQUIRE(uart.rec.nr == 1);
	TEST_EQ(uart.rec.calls[0].addr, 0x3ff);
	TEST_EQ(uart.rec.calls[0].offset, 7);
	TEST_EQ(uart.rec.calls[0].size, 1);
	TEST_EQ(uart.rec.calls[0].data[0], 0x11);
	TEST_EQ(uart.regs[7], 0x11);
	TEST_REQUIRE(un.nr == 1);
	TEST_EQ(un.calls[0].addr, 0x400);
	TEST_EQ(un.calls[0].size, 1);
	TEST_CHECK(un.calls[0].write);
	TEST_EQ(un.calls[0].data[0], 0x22);
}

TEST(bus_byte_wide_read_past_end)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev uart;
	struct error err;
	uint8_t buf[4];

	bus_setup(&bus, &un);
	fake_init(&uart);
	TEST_REQUIRE(reg(&bus, 0x3f8, 8, &uart, BUS_BYTE_WIDE, &err) == 0);
	memset(buf, 0, sizeof(buf));
	TEST_EQ(bus_dispatch(&bus, 0x3fe, false, buf, 4), 0);
	TEST_CHECK(memcmp(buf, "\xa6\xa7\xff\xff", 4) == 0);
	TEST_EQ(uart.rec.nr, 2);
	TEST_REQUIRE(un.nr == 2);
	TEST_EQ(un.calls[0].addr, 0x400);
	TEST_EQ(un.calls[1].addr, 0x401);
	TEST_EQ(un.calls[0].size, 1);
}

TEST(bus_byte_wide_neighbours)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev a, b;
	struct error err;
	uint8_t buf[2] = { 0x11, 0x22 };

	/* Two one-port byte-wide devices side by side: one byte each. */
	bus_setup(&bus, &un);
	fake_init(&a);
	fake_init(&b);
	TEST_REQUIRE(reg(&bus, 0x80, 1, &a, BUS_BYTE_WIDE, &err) == 0);
	TEST_REQUIRE(reg(&bus, 0x81, 1, &b, BUS_BYTE_WIDE, &err) == 0);
	TEST_EQ(bus_dispatch(&bus, 0x80, true, buf, 2), 0);
	TEST_EQ(a.rec.nr, 1);
	TEST_EQ(b.rec.nr, 1);
	TEST_EQ(a.regs[0], 0x11);
	TEST_EQ(b.regs[0], 0x22);
	TEST_EQ(un.nr, 0);
}

/*
 * The mirror image of bus_byte_wide_write_past_end: an outw at 0x3f7, the
 * port just below COM1, writes 0x3f7 (unclaimed) and 0x3f8 (COM1's THR).
 * bus.h: "a wider access to [a byte-wide device] is split into byte
 * accesses to consecutive addresses, each dispatched on its own".
 */
TEST(bus_byte_wide_write_from_below)
{
	struct bus bus;
	struct recorder un;
	struct fake_dev uart;
	struct error err;
	uint8_t buf[2] = { 0x11, 0x22 };

	bus_setup(&bus, &un);
	fake_init(&uart);
	TEST_REQUIRE(reg(&bus, 0x3f8, 8, &uart, BUS_BYTE_WIDE, &err) == 0);
	TEST_EQ(bus_dispatch(&bus, 0x3f7, true, buf, 2), 0);
	/* The UART gets byte 1 at its register 0. */
	TEST_REQUIRE(uart.rec.nr == 1);
	TEST_EQ(uart.rec.calls[0].offset, 0);
	TEST_EQ(uart.rec.calls[0].size, 1);
	TEST_EQ(uart.regs[0], 0x22);
	/* The hook sees byte 0 alone. */
	TEST_REQUIRE(un.nr == 1);
	TEST_EQ(un.calls[0].addr, 0x3f7);
	TEST_EQ(un.calls[0].size, 1);
}

/* ---- values --------------------------------------------------------- */

TEST(bus_values_little_endian)
{
	uint8_t data[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };
	struct bus_access acc = { .data = data };

	acc.size = 1;
	TEST_EQ(bus_get_value(&acc), 0x88);
	acc.size = 2;
	TEST_EQ(bus_get_value(&acc), 0x7788);
	acc.size = 4;
	TEST_EQ(bus_get_value(&acc), 0x55667788);
	acc.size = 8;
	TEST_EQ(bus_get_value(&acc), 0x1122334455667788ULL);

	memset(data, 0xee, sizeof(data));
	acc.size = 2;
	bus_set_value(&acc, 0x12345678);        /* only the low 2 bytes */
	TEST_CHECK(memcmp(data, "\x78\x56\xee\xee", 4) == 0);
	acc.size = 8;
	bus_set_value(&acc, 0x0102030405060708ULL);
	TEST_CHECK(memcmp(data, "\x08\x07\x06\x05\x04\x03\x02\x01", 8) == 0);
	TEST_EQ(bus_get_value(&acc), 0x0102030405060708ULL);
}

const struct test tests_bus[] = {
	TEST_ENTRY(bus_register_overlap_matrix),
	TEST_ENTRY(bus_register_rejects_empty_and_wrapping),
	TEST_ENTRY(bus_register_full_table),
	TEST_ENTRY(bus_find_random_order),
	TEST_ENTRY(bus_find_empty_bus),
	TEST_ENTRY(bus_unclaimed_read_fills_ff),
	TEST_ENTRY(bus_unclaimed_read_without_hook),
	TEST_ENTRY(bus_unclaimed_write),
	TEST_ENTRY(bus_unclaimed_hook_error_propagates),
	TEST_ENTRY(bus_dispatch_rejects_bad_sizes),
	TEST_ENTRY(bus_device_gets_whole_access),
	TEST_ENTRY(bus_device_read_not_filled_reads_ff),
	TEST_ENTRY(bus_device_error_propagates),
	TEST_ENTRY(bus_byte_wide_read_assembles_bytes),
	TEST_ENTRY(bus_byte_wide_write_past_end),
	TEST_ENTRY(bus_byte_wide_read_past_end),
	TEST_ENTRY(bus_byte_wide_neighbours),
	TEST_ENTRY(bus_byte_wide_write_from_below),
	TEST_ENTRY(bus_values_little_endian),
	TEST_END,
};
