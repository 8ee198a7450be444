/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for memmap.c: the RAM layout and the bounds-checked
 * guest-physical to host translation.  Large layouts (4 GiB, 64 GiB) are
 * checked field by field without allocating their RAM.
 */
#include <string.h>

#include "guest_ram.h"
#include "kvmrun/abi.h"
#include "memmap.h"
#include "test.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

/* ---- memmap_init ---------------------------------------------------- */

TEST(memmap_init_rejects_bad_sizes)
{
	static const struct { uint64_t size; const char *why; } bad[] = {
		{ 0, "too small" },
		{ MIB - 0x1000, "too small" },
		{ 256 * GIB + 0x1000, "too large" },
		{ UINT64_MAX, "too large" },
		{ MIB + 1, "4 KiB" },
		{ 64 * MIB + 0x800, "4 KiB" },
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct memmap mm;
		struct error err = { "" };

		TEST_CHECK_MSG(memmap_init(&mm, bad[i].size, &err) == -1, "size %#llx",
			       (unsigned long long)bad[i].size);
		TEST_CONTAINS(err.msg, bad[i].why);
	}
}

TEST(memmap_init_64m_one_slot)
{
	struct memmap mm;
	struct error err;

	TEST_REQUIRE(memmap_init(&mm, 64 * MIB, &err) == 0);
	TEST_CHECK(mm.host == NULL);
	TEST_EQ(mm.ram_size, 64 * MIB);
	TEST_EQ(mm.nr_slots, 1);
	TEST_EQ(mm.slots[0].gpa, 0);
	TEST_EQ(mm.slots[0].size, 64 * MIB);
	TEST_EQ(mm.slots[0].host_offset, 0);
	TEST_EQ(mm.nr_pds, 4);                  /* the first 4 GiB, always */
	TEST_EQ(mm.high_pd_gpa, 0);
	TEST_EQ(memmap_ram_end(&mm), 64 * MIB);

	/* The reserved area and the stack are recorded, in ABI order. */
	TEST_REQUIRE(mm.nr_regions == 2);
	TEST_EQ(mm.regions[0].gpa, KVMRUN_RESERVED_START);
	TEST_EQ(mm.regions[0].size, KVMRUN_STACK_BOTTOM - KVMRUN_RESERVED_START);
	TEST_EQ(mm.regions[0].kind, MEM_KIND_RESERVED);
	TEST_EQ(mm.regions[1].gpa, KVMRUN_STACK_BOTTOM);
	TEST_EQ(mm.regions[1].size, KVMRUN_STACK_TOP - KVMRUN_STACK_BOTTOM);
	TEST_EQ(mm.regions[1].kind, MEM_KIND_STACK);
}

TEST(memmap_init_smallest_and_largest)
{
	struct memmap mm;
	struct error err;

	TEST_EQ(memmap_init(&mm, MEMMAP_MIN_RAM, &err), 0);
	TEST_EQ(mm.nr_slots, 1);
	TEST_EQ(memmap_ram_end(&mm), MIB);

	TEST_EQ(memmap_init(&mm, MEMMAP_MAX_RAM, &err), 0);
	TEST_EQ(mm.nr_slots, 2);
	TEST_EQ(mm.slots[1].size, 253 * GIB);
	TEST_EQ(mm.nr_pds, 257);                /* 4 GiB + 253 GiB, 1 per GiB */
	TEST_EQ(memmap_ram_end(&mm), 257 * GIB);
}

TEST(memmap_init_3g_boundary)
{
	struct memmap mm;
	struct error err;

	/* Exactly 3 GiB: all of it below the MMIO window, one slot. */
	TEST_REQUIRE(memmap_init(&mm, 3 * GIB, &err) == 0);
	TEST_EQ(mm.nr_slots, 1);
	TEST_EQ(mm.slots[0].size, 3 * GIB);
	TEST_EQ(mm.nr_pds, 4);
	TEST_EQ(mm.high_pd_gpa, 0);

	/* One page more: that page goes above 4 GiB, and holds the PD. */
	TEST_REQUIRE(memmap_init(&mm, 3 * GIB + 0x1000, &err) == 0);
	TEST_EQ(mm.nr_slots, 2);
	TEST_EQ(mm.slots[1].gpa, KVMRUN_HIGH_RAM_START);
	TEST_EQ(mm.slots[1].size, 0x1000);
	TEST_EQ(mm.slots[1].host_offset, 3 * GIB);
	TEST_EQ(mm.nr_pds, 5);
	TEST_EQ(mm.high_pd_gpa, KVMRUN_HIGH_RAM_START);
}

TEST(memmap_init_4g_two_slots)
{
	struct memmap mm;
	struct error err;
	const struct mem_region *r;

	TEST_REQUIRE(memmap_init(&mm, 4 * GIB, &err) == 0);
	TEST_EQ(mm.ram_size, 4 * GIB);
	TEST_REQUIRE(mm.nr_slots == 2);
	/* Low RAM stops at the MMIO window... */
	TEST_EQ(mm.slots[0].gpa, 0);
	TEST_EQ(mm.slots[0].size, 3 * GIB);
	TEST_EQ(mm.slots[0].host_offset, 0);
	/* ...and the last GiB of the host mapping appears at 4 GiB. */
	TEST_EQ(mm.slots[1].gpa, 4 * GIB);
	TEST_EQ(mm.slots[1].size, 1 * GIB);
	TEST_EQ(mm.slots[1].host_offset, 3 * GIB);
	TEST_EQ(memmap_ram_end(&mm), 5 * GIB);

	/* 5 GiB mapped: PDs 0-3 at KVMRUN_PD_ADDR, one at the top of RAM. */
	TEST_EQ(mm.nr_pds, 5);
	TEST_EQ(mm.high_pd_gpa, 5 * GIB - 0x1000);
	TEST_REQUIRE(mm.nr_regions == 3);
	r = &mm.regions[2];
	TEST_EQ(r->gpa, mm.high_pd_gpa);
	TEST_EQ(r->size, 0x1000);
	TEST_EQ(r->kind, MEM_KIND_RESERVED);
}

TEST(memmap_init_64g)
{
	struct memmap mm;
	struct error err;

	TEST_REQUIRE(memmap_init(&mm, 64 * GIB, &err) == 0);
	TEST_REQUIRE(mm.nr_slots == 2);
	TEST_EQ(mm.slots[0].size, 3 * GIB);
	TEST_EQ(mm.slots[1].gpa, 4 * GIB);
	TEST_EQ(mm.slots[1].size, 61 * GIB);
	TEST_EQ(mm.slots[1].host_offset, 3 * GIB);
	TEST_EQ(memmap_ram_end(&mm), 65 * GIB);
	/* 65 GiB mapped: 65 PDs, 61 of them at the top of RAM. */
	TEST_EQ(mm.nr_pds, 65);
	TEST_EQ(mm.high_pd_gpa, 65 * GIB - 61 * 0x1000);
	TEST_REQUIRE(mm.nr_regions == 3);
	TEST_EQ(mm.regions[2].gpa, mm.high_pd_gpa);
	TEST_EQ(mm.regions[2].size, 61 * 0x1000);
	TEST_EQ(mm.regions[2].gpa + mm.regions[2].size, memmap_ram_end(&mm));
}

TEST(memmap_init_4g_is_ram)
{
	struct memmap mm;
	struct error err;

	TEST_REQUIRE(memmap_init(&mm, 4 * GIB, &err) == 0);
	TEST_CHECK(memmap_is_ram(&mm, 0, 1));
	TEST_CHECK(memmap_is_ram(&mm, 3 * GIB - 1, 1));
	TEST_CHECK(!memmap_is_ram(&mm, 3 * GIB - 1, 2));        /* into the hole */
	TEST_CHECK(!memmap_is_ram(&mm, KVMRUN_MMIO_WINDOW, 1));
	TEST_CHECK(!memmap_is_ram(&mm, KVMRUN_TESTDEV_BASE, 8));
	TEST_CHECK(!memmap_is_ram(&mm, 4 * GIB - 1, 1));
	TEST_CHECK(!memmap_is_ram(&mm, 4 * GIB - 1, 2));        /* into high RAM */
	TEST_CHECK(memmap_is_ram(&mm, 4 * GIB, 1));
	TEST_CHECK(memmap_is_ram(&mm, 4 * GIB, 1 * GIB));
	TEST_CHECK(!memmap_is_ram(&mm, 4 * GIB, 1 * GIB + 1));
	TEST_CHECK(memmap_is_ram(&mm, 5 * GIB - 1, 1));
	TEST_CHECK(!memmap_is_ram(&mm, 5 * GIB, 1));
	/* Both slots together are not one range. */
	TEST_CHECK(!memmap_is_ram(&mm, 0, 4 * GIB));
}

TEST(memmap_gpa_null_in_mmio_hole)
{
	static uint8_t dummy[1];
	struct memmap mm;
	struct error err;

	TEST_REQUIRE(memmap_init(&mm, 4 * GIB, &err) == 0);
	/*
	 * A non-NULL host pointer, never dereferenced: every address below
	 * is outside RAM, so memmap_gpa must refuse it before using host.
	 */
	mm.host = dummy;
	TEST_CHECK(memmap_gpa(&mm, KVMRUN_MMIO_WINDOW, 1) == NULL);
	TEST_CHECK(memmap_gpa(&mm, KVMRUN_TESTDEV_BASE, 8) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 0xffffffff, 1) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 3 * GIB - 4, 8) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 4 * GIB - 4, 8) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 5 * GIB, 1) == NULL);
	TEST_EQ(memmap_ram_left(&mm, 3 * GIB - 0x10), 0x10);
	TEST_EQ(memmap_ram_left(&mm, 3 * GIB), 0);
	TEST_EQ(memmap_ram_left(&mm, 0xd0000000), 0);
	TEST_EQ(memmap_ram_left(&mm, 4 * GIB), 1 * GIB);
	TEST_EQ(memmap_ram_left(&mm, 5 * GIB - 1), 1);
	TEST_EQ(memmap_ram_left(&mm, 5 * GIB), 0);
}

/* ---- memmap_gpa: translation with real host memory ------------------ */

TEST(memmap_gpa_bounds)
{
	const uint64_t ram = 2 * MIB;
	struct memmap mm;

	TEST_REQUIRE(guest_ram_init(&mm, ram) == 0);
	TEST_CHECK(memmap_gpa(&mm, 0, 1) == mm.host);
	TEST_CHECK(memmap_gpa(&mm, 0, ram) == mm.host);
	TEST_CHECK(memmap_gpa(&mm, 0x10000, 8) == mm.host + 0x10000);
	TEST_CHECK(memmap_gpa(&mm, ram - 1, 1) == mm.host + ram - 1); /* last byte */
	TEST_CHECK(memmap_gpa(&mm, ram - 8, 8) == mm.host + ram - 8);
	TEST_CHECK(memmap_gpa(&mm, ram, 1) == NULL);          /* one past the end */
	TEST_CHECK(memmap_gpa(&mm, ram - 4, 8) == NULL);      /* spans the end */
	TEST_CHECK(memmap_gpa(&mm, 0, ram + 1) == NULL);
	TEST_CHECK(memmap_gpa(&mm, KVMRUN_MMIO_WINDOW, 1) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 4 * GIB, 1) == NULL);
	guest_ram_free(&mm);
}

TEST(memmap_gpa_no_wraparound)
{
	struct memmap mm;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	/* gpa + len overflows: a naive "gpa + len <= end" would accept these. */
	TEST_CHECK(memmap_gpa(&mm, UINT64_MAX, 2) == NULL);
	TEST_CHECK(memmap_gpa(&mm, UINT64_MAX, 1) == NULL);
	TEST_CHECK(memmap_gpa(&mm, UINT64_MAX - 7, 16) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 1, UINT64_MAX) == NULL);
	TEST_CHECK(memmap_gpa(&mm, 0x1000, UINT64_MAX - 0xfff) == NULL);
	TEST_CHECK(!memmap_is_ram(&mm, UINT64_MAX, 2));
	guest_ram_free(&mm);
}

TEST(memmap_gpa_null_without_host)
{
	struct memmap mm;
	struct error err;

	TEST_REQUIRE(memmap_init(&mm, MIB, &err) == 0);
	TEST_CHECK(memmap_is_ram(&mm, 0, 1));
	TEST_CHECK(memmap_gpa(&mm, 0, 1) == NULL);      /* RAM, but not mapped */
}

TEST(memmap_gpa_writes_reach_host)
{
	struct memmap mm;
	uint8_t *p;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	p = memmap_gpa(&mm, 0x2345, 4);
	TEST_REQUIRE(p != NULL);
	memcpy(p, "kvm!", 4);
	TEST_CHECK(memcmp(mm.host + 0x2345, "kvm!", 4) == 0);
	guest_ram_free(&mm);
}

TEST(memmap_ram_left_and_end)
{
	const uint64_t ram = 4 * MIB;
	struct memmap mm;

	TEST_REQUIRE(guest_ram_init(&mm, ram) == 0);
	TEST_EQ(memmap_ram_end(&mm), ram);
	TEST_EQ(memmap_ram_left(&mm, 0), ram);
	TEST_EQ(memmap_ram_left(&mm, KVMRUN_DEFAULT_LOAD), ram - KVMRUN_DEFAULT_LOAD);
	TEST_EQ(memmap_ram_left(&mm, ram - 1), 1);
	TEST_EQ(memmap_ram_left(&mm, ram), 0);
	TEST_EQ(memmap_ram_left(&mm, ram + 1), 0);
	TEST_EQ(memmap_ram_left(&mm, UINT64_MAX), 0);
	guest_ram_free(&mm);
}

/* ---- memmap_add ----------------------------------------------------- */

TEST(memmap_add_accepts_free_ranges)
{
	struct memmap mm;
	struct error err;
	unsigned n;

	TEST_REQUIRE(memmap_init(&mm, 16 * MIB, &err) == 0);
	n = mm.nr_regions;
	/* Directly after the stack, then adjacent to that. */
	TEST_EQ(memmap_add(&mm, 0x10000, 0x1000, MEM_KIND_IMAGE, "image", &err), 0);
	TEST_EQ(memmap_add(&mm, 0x11000, 0x1000, MEM_KIND_IMAGE, "next", &err), 0);
	/* The null page, below the reserved area. */
	TEST_EQ(memmap_add(&mm, 0, 0x1000, MEM_KIND_RESERVED, "null", &err), 0);
	/* The very last page of RAM. */
	TEST_EQ(memmap_add(&mm, 16 * MIB - 0x1000, 0x1000, MEM_KIND_IMAGE, "top", &err), 0);
	TEST_REQUIRE(mm.nr_regions == n + 4);
	TEST_EQ(mm.regions[n].gpa, 0x10000);
	TEST_EQ(mm.regions[n].size, 0x1000);
	TEST_EQ(mm.regions[n].kind, MEM_KIND_IMAGE);
	TEST_STREQ(mm.regions[n].name, "image");
}

TEST(memmap_add_rejects_overlap)
{
	static const struct { uint64_t gpa, size; } bad[] = {
		{ 0x20000, 0x1000 },    /* identical */
		{ 0x20800, 0x100 },     /* inside */
		{ 0x1f000, 0x3000 },    /* around */
		{ 0x1f800, 0x1000 },    /* over the start */
		{ 0x20fff, 0x1000 },    /* over the end (last byte) */
	};
	struct memmap mm;
	struct error err;
	unsigned i, n;

	TEST_REQUIRE(memmap_init(&mm, 16 * MIB, &err) == 0);
	TEST_REQUIRE(memmap_add(&mm, 0x20000, 0x1000, MEM_KIND_IMAGE, "image", &err) == 0);
	n = mm.nr_regions;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		TEST_CHECK_MSG(memmap_add(&mm, bad[i].gpa, bad[i].size,
					  MEM_KIND_IMAGE, "new", &err) == -1,
			       "%#llx+%#llx", (unsigned long long)bad[i].gpa,
			       (unsigned long long)bad[i].size);
		/* The message names both regions. */
		TEST_CONTAINS(err.msg, "new");
		TEST_CONTAINS(err.msg, "overlaps the image");
	}
	TEST_EQ(mm.nr_regions, n);

	/* The regions memmap_init recorded are protected too. */
	TEST_EQ(memmap_add(&mm, 0xf000, 0x2000, MEM_KIND_IMAGE, "img", &err), -1);
	TEST_CONTAINS(err.msg, "initial stack");
	TEST_EQ(memmap_add(&mm, 0x0, 0x1001, MEM_KIND_IMAGE, "img", &err), -1);
	TEST_CONTAINS(err.msg, "page tables");
	TEST_EQ(mm.nr_regions, n);
}

TEST(memmap_add_rejects_outside_ram)
{
	struct memmap mm;
	struct error err;
	unsigned n;

	TEST_REQUIRE(memmap_init(&mm, 16 * MIB, &err) == 0);
	n = mm.nr_regions;
	TEST_EQ(memmap_add(&mm, 16 * MIB - 0x800, 0x1000, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_CONTAINS(err.msg, "not inside guest RAM");
	TEST_CONTAINS(err.msg, "image");
	TEST_EQ(memmap_add(&mm, 16 * MIB, 1, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_EQ(memmap_add(&mm, KVMRUN_MMIO_WINDOW, 0x1000, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_EQ(memmap_add(&mm, UINT64_MAX - 0xfff, 0x2000, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_EQ(memmap_add(&mm, 0x100000, 0, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_CONTAINS(err.msg, "empty");
	TEST_EQ(mm.nr_regions, n);
}

TEST(memmap_add_rejects_range_across_hole)
{
	struct memmap mm;
	struct error err;

	TEST_REQUIRE(memmap_init(&mm, 4 * GIB, &err) == 0);
	TEST_EQ(memmap_add(&mm, 3 * GIB - 0x1000, 0x2000, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_EQ(memmap_add(&mm, 3 * GIB - 0x1000, 0x1000, MEM_KIND_IMAGE, "image", &err), 0);
	TEST_EQ(memmap_add(&mm, 4 * GIB, 0x1000, MEM_KIND_IMAGE, "high", &err), 0);
	/* The page directories at the top of RAM are taken. */
	TEST_EQ(memmap_add(&mm, 5 * GIB - 0x2000, 0x2000, MEM_KIND_IMAGE, "image", &err), -1);
	TEST_CONTAINS(err.msg, "page directories");
}

TEST(memmap_add_table_full)
{
	struct memmap mm;
	struct error err;
	uint64_t gpa = 0x100000;

	TEST_REQUIRE(memmap_init(&mm, 16 * MIB, &err) == 0);
	while (mm.nr_regions < MEMMAP_MAX_REGIONS) {
		TEST_REQUIRE(memmap_add(&mm, gpa, 0x1000, MEM_KIND_IMAGE, "r", &err) == 0);
		gpa += 0x1000;
	}
	TEST_EQ(memmap_add(&mm, gpa, 0x1000, MEM_KIND_IMAGE, "r", &err), -1);
	TEST_CONTAINS(err.msg, "too many");
	TEST_EQ(mm.nr_regions, MEMMAP_MAX_REGIONS);
}

TEST(memmap_kind_names)
{
	TEST_STREQ(memmap_kind_name(MEM_KIND_RESERVED), "reserved");
	TEST_STREQ(memmap_kind_name(MEM_KIND_STACK), "stack");
	TEST_STREQ(memmap_kind_name(MEM_KIND_IMAGE), "image");
}


/* ---- chunks: RAM handed to KVM piecemeal ---------------------------- */

TEST(memmap_chunks_small_ram)
{
	struct memmap mm;
	struct error err = { "" };
	struct mem_slot c;
	unsigned idx;

	/* 100 MiB: the boot chunk, the rest of the first 64 MiB, 36 MiB. */
	TEST_REQUIRE(memmap_init(&mm, 100 * MIB, &err) == 0);
	TEST_REQUIRE(memmap_set_chunks(&mm, 1000, &err) == 0);
	TEST_EQ(mm.chunk_size, MEMMAP_CHUNK_MIN);
	TEST_EQ(mm.boot_chunk, MEMMAP_BOOT_CHUNK);
	TEST_EQ(mm.nr_chunks, 3);
	c = memmap_chunk(&mm, 0);
	TEST_EQ(c.gpa, 0);
	TEST_EQ(c.size, 2 * MIB);
	TEST_EQ(c.host_offset, 0);
	c = memmap_chunk(&mm, 1);
	TEST_EQ(c.gpa, 2 * MIB);
	TEST_EQ(c.size, 62 * MIB);
	TEST_EQ(c.host_offset, 2 * MIB);
	c = memmap_chunk(&mm, 2);
	TEST_EQ(c.gpa, 64 * MIB);
	TEST_EQ(c.size, 36 * MIB);                      /* clipped to RAM */
	TEST_EQ(c.host_offset, 64 * MIB);
	TEST_CHECK(memmap_chunk_of(&mm, 0, &idx) && idx == 0);
	TEST_CHECK(memmap_chunk_of(&mm, 2 * MIB - 1, &idx) && idx == 0);
	TEST_CHECK(memmap_chunk_of(&mm, 2 * MIB, &idx) && idx == 1);
	TEST_CHECK(memmap_chunk_of(&mm, 64 * MIB - 1, &idx) && idx == 1);
	TEST_CHECK(memmap_chunk_of(&mm, 64 * MIB, &idx) && idx == 2);
	TEST_CHECK(memmap_chunk_of(&mm, 100 * MIB - 1, &idx) && idx == 2);
	TEST_CHECK(!memmap_chunk_of(&mm, 100 * MIB, &idx));     /* not RAM */
	TEST_CHECK(!memmap_chunk_of(&mm, KVMRUN_MMIO_WINDOW, &idx));
}

/* Every byte of RAM is in exactly the chunk memmap_chunk_of names. */
static void check_chunks_tile_ram(const struct memmap *mm)
{
	uint64_t next[2] = { mm->slots[0].gpa, mm->nr_slots > 1 ? mm->slots[1].gpa : 0 };
	unsigned i, idx;

	for (i = 0; i < mm->nr_chunks; i++) {
		struct mem_slot c = memmap_chunk(mm, i);
		unsigned s = i < mm->chunks_low ? 0 : 1;

		TEST_EQ(c.gpa, next[s]);
		TEST_CHECK(c.size > 0 && c.size % MEMMAP_PAGE_SIZE == 0);
		TEST_EQ(c.host_offset, mm->slots[s].host_offset + (c.gpa - mm->slots[s].gpa));
		TEST_CHECK(memmap_chunk_of(mm, c.gpa, &idx) && idx == i);
		TEST_CHECK(memmap_chunk_of(mm, c.gpa + c.size - 1, &idx) && idx == i);
		next[s] = c.gpa + c.size;
	}
	TEST_EQ(next[0], mm->slots[0].gpa + mm->slots[0].size);
	if (mm->nr_slots > 1)
		TEST_EQ(next[1], mm->slots[1].gpa + mm->slots[1].size);
}

TEST(memmap_chunks_boot_chunk)
{
	static const uint64_t sizes[] = {
		1 * MIB, 2 * MIB, 2 * MIB + 4096, 3 * MIB, 64 * MIB, 64 * MIB + 4096,
		130 * MIB, 3 * GIB, 3 * GIB + 4096, 3 * GIB + 2 * MIB, 3 * GIB + 3 * MIB,
		3 * GIB + 64 * MIB + 12288, 5 * GIB, 5 * GIB + 4096, 67 * GIB,
	};
	struct memmap mm;
	struct error err = { "" };
	unsigned i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		TEST_REQUIRE(memmap_init(&mm, sizes[i], &err) == 0);
		TEST_REQUIRE(memmap_set_chunks(&mm, 1000, &err) == 0);
		/* RAM of 2 MiB or less is one chunk: nothing to split. */
		TEST_EQ(mm.boot_chunk, sizes[i] > 2 * MIB ? MEMMAP_BOOT_CHUNK : 0);
		TEST_EQ(memmap_chunk(&mm, 0).size,
			sizes[i] > 2 * MIB ? 2 * MIB : sizes[i]);
		check_chunks_tile_ram(&mm);
	}
	/* Few slots: the chunks grow, the boot and tail chunks stay. */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		TEST_REQUIRE(memmap_init(&mm, sizes[i], &err) == 0);
		TEST_REQUIRE(memmap_set_chunks(&mm, 8, &err) == 0);
		TEST_CHECK_MSG(mm.nr_chunks <= 8, "size %#llx", (unsigned long long)sizes[i]);
		check_chunks_tile_ram(&mm);
	}
	TEST_REQUIRE(memmap_init(&mm, 256 * GIB, &err) == 0);
	TEST_REQUIRE(memmap_set_chunks(&mm, 8, &err) == 0);
	TEST_CHECK(mm.nr_chunks <= 8 && mm.boot_chunk && mm.tail_gpa);
	check_chunks_tile_ram(&mm);
	TEST_CHECK(memmap_set_chunks(&mm, 3, &err) < 0);        /* cannot fit */
	TEST_CONTAINS(err.msg, "more than 3 memory slots");

	/* The grid after the boot chunk keeps its alignment when chunks grow. */
	TEST_REQUIRE(memmap_init(&mm, 256 * GIB, &err) == 0);
	TEST_REQUIRE(memmap_set_chunks(&mm, 500, &err) == 0);
	TEST_EQ(memmap_chunk(&mm, 1).size, mm.chunk_size - 2 * MIB);
	TEST_EQ(memmap_chunk(&mm, 2).gpa, mm.chunk_size);
	check_chunks_tile_ram(&mm);
}

TEST(memmap_chunks_high_ram)
{
	struct memmap mm;
	struct error err = { "" };
	struct mem_slot c;
	unsigned idx;

	/* 5 GiB: 3 GiB low (48 cells, the first split: 49 chunks), 2 GiB
	 * from 4 GiB: 32 cells, the last cut short by the tail chunk that
	 * holds the page directories in the top 2 MiB (33 chunks). */
	TEST_REQUIRE(memmap_init(&mm, 5 * GIB, &err) == 0);
	TEST_REQUIRE(memmap_set_chunks(&mm, 1000, &err) == 0);
	TEST_EQ(mm.chunks_low, 49);
	TEST_EQ(mm.nr_chunks, 82);
	TEST_EQ(mm.tail_gpa, KVMRUN_HIGH_RAM_START + 2 * GIB - 2 * MIB);
	c = memmap_chunk(&mm, 49);
	TEST_EQ(c.gpa, KVMRUN_HIGH_RAM_START);
	TEST_EQ(c.host_offset, 3 * GIB);                /* right after low RAM */
	c = memmap_chunk(&mm, 80);
	TEST_EQ(c.gpa + c.size, KVMRUN_HIGH_RAM_START + 2 * GIB - 2 * MIB);
	TEST_EQ(c.size, 62 * MIB);
	c = memmap_chunk(&mm, 81);
	TEST_EQ(c.gpa, KVMRUN_HIGH_RAM_START + 2 * GIB - 2 * MIB);
	TEST_EQ(c.size, 2 * MIB);
	TEST_EQ(c.host_offset, 3 * GIB + 2 * GIB - 2 * MIB);
	TEST_CHECK(c.gpa <= mm.high_pd_gpa);            /* it holds the tables */
	TEST_CHECK(memmap_chunk_of(&mm, KVMRUN_HIGH_RAM_START, &idx) && idx == 49);
	TEST_CHECK(memmap_chunk_of(&mm, mm.high_pd_gpa, &idx) && idx == 81);
	TEST_CHECK(memmap_chunk_of(&mm, 3 * GIB - 1, &idx) && idx == 48);
	TEST_CHECK(!memmap_chunk_of(&mm, 3 * GIB, &idx));       /* the hole */
}

TEST(memmap_chunks_grow_to_fit_slots)
{
	struct memmap mm;
	struct error err = { "" };

	/* 256 GiB in at most 500 chunks: 64 MiB would need 4097. */
	TEST_REQUIRE(memmap_init(&mm, 256 * GIB, &err) == 0);
	TEST_REQUIRE(memmap_set_chunks(&mm, 500, &err) == 0);
	TEST_EQ(mm.chunk_size, 1 * GIB);
	TEST_CHECK(mm.nr_chunks <= 500);
	TEST_EQ(mm.nr_chunks, 258);             /* with the boot and tail chunks */
}

TEST(memmap_chunk_bitmap)
{
	struct memmap mm;
	struct error err = { "" };

	TEST_REQUIRE(memmap_init(&mm, 5 * GIB, &err) == 0);
	TEST_REQUIRE(memmap_set_chunks(&mm, 1000, &err) == 0);
	TEST_CHECK(!memmap_chunk_is_mapped(&mm, 0));
	memmap_chunk_set_mapped(&mm, 0);
	memmap_chunk_set_mapped(&mm, 64);
	memmap_chunk_set_mapped(&mm, 81);
	memmap_chunk_set_mapped(&mm, 82);               /* out of range: ignored */
	TEST_EQ(mm.chunk_mapped[82 / 64] >> (82 % 64) & 1, 0);
	TEST_CHECK(memmap_chunk_is_mapped(&mm, 0));
	TEST_CHECK(memmap_chunk_is_mapped(&mm, 64));
	TEST_CHECK(memmap_chunk_is_mapped(&mm, 81));
	TEST_CHECK(!memmap_chunk_is_mapped(&mm, 1));
	TEST_CHECK(!memmap_chunk_is_mapped(&mm, 63));
	TEST_CHECK(!memmap_chunk_is_mapped(&mm, 82));
}

const struct test tests_memmap[] = {
	TEST_ENTRY(memmap_init_rejects_bad_sizes),
	TEST_ENTRY(memmap_init_64m_one_slot),
	TEST_ENTRY(memmap_init_smallest_and_largest),
	TEST_ENTRY(memmap_init_3g_boundary),
	TEST_ENTRY(memmap_init_4g_two_slots),
	TEST_ENTRY(memmap_init_64g),
	TEST_ENTRY(memmap_init_4g_is_ram),
	TEST_ENTRY(memmap_gpa_null_in_mmio_hole),
	TEST_ENTRY(memmap_gpa_bounds),
	TEST_ENTRY(memmap_gpa_no_wraparound),
	TEST_ENTRY(memmap_gpa_null_without_host),
	TEST_ENTRY(memmap_gpa_writes_reach_host),
	TEST_ENTRY(memmap_ram_left_and_end),
	TEST_ENTRY(memmap_add_accepts_free_ranges),
	TEST_ENTRY(memmap_add_rejects_overlap),
	TEST_ENTRY(memmap_add_rejects_outside_ram),
	TEST_ENTRY(memmap_add_rejects_range_across_hole),
	TEST_ENTRY(memmap_add_table_full),
	TEST_ENTRY(memmap_kind_names),
	TEST_ENTRY(memmap_chunks_small_ram),
	TEST_ENTRY(memmap_chunks_boot_chunk),
	TEST_ENTRY(memmap_chunks_high_ram),
	TEST_ENTRY(memmap_chunks_grow_to_fit_slots),
	TEST_ENTRY(memmap_chunk_bitmap),
	TEST_END,
};
