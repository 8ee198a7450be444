/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for paging.c: kvmrun's identity map (paging_build) checked by
 * walking it (paging_walk) the way the CPU would, and the walker itself
 * checked on 4 KiB page tables written by hand.
 */
#include <string.h>

#include "guest_ram.h"
#include "kvmrun/abi.h"
#include "paging.h"
#include "test.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

/* A virtual address from its four table indices and a page offset. */
static uint64_t va_of(unsigned pml4, unsigned pdpt, unsigned pd, unsigned pt,
		      uint64_t offset)
{
	return (uint64_t)pml4 << 39 | (uint64_t)pdpt << 30 |
	       (uint64_t)pd << 21 | (uint64_t)pt << 12 | offset;
}

/* ---- the identity map ----------------------------------------------- */

TEST(paging_identity_map_translates)
{
	static const uint64_t vas[] = {
		0, 0x10000, 0x1234567, 0xc0000000, KVMRUN_TESTDEV_BASE + 8,
		0xffffffff,
	};
	const uint64_t ram = 8 * MIB;
	struct memmap mm;
	struct error err;
	struct pt_walk w;
	unsigned i;

	TEST_REQUIRE(guest_ram_init(&mm, ram) == 0);
	TEST_REQUIRE(paging_build(&mm, 0, &err) == 0);
	for (i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
		TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, vas[i], &w) == 0);
		TEST_CHECK_MSG(w.present, "va %#llx: %s",
			       (unsigned long long)vas[i], w.fault);
		TEST_CHECK_MSG(w.pa == vas[i], "va %#llx -> pa %#llx",
			       (unsigned long long)vas[i], (unsigned long long)w.pa);
		TEST_EQ(w.va, vas[i]);
		/* The first 2 MiB in 4 KiB pages (the guard page), the rest 2 MiB. */
		TEST_EQ(w.page_size, vas[i] < PT_LARGE_PAGE ? 0x1000 : PT_LARGE_PAGE);
		TEST_EQ(w.levels, vas[i] < PT_LARGE_PAGE ? 4 : 3);
		TEST_CHECK(w.writable);
		TEST_CHECK(!w.user);            /* extra_flags 0: supervisor only */
		TEST_CHECK(!w.nx);
	}
	/* The last byte of RAM. */
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, ram - 1, &w) == 0);
	TEST_CHECK(w.present);
	TEST_EQ(w.pa, ram - 1);
	guest_ram_free(&mm);
}

/* The guard page below the initial stack is not mapped; its neighbours
 * are, and the page table that maps them lies in it (read by physical
 * address, as the CPU reads it). */
TEST(paging_stack_guard)
{
	struct memmap mm;
	struct error err;
	struct pt_walk w;
	uint64_t va;

	TEST_REQUIRE(guest_ram_init(&mm, 4 * MIB) == 0);
	TEST_REQUIRE(paging_build(&mm, PTE_US, &err) == 0);
	for (va = KVMRUN_STACK_GUARD; va < KVMRUN_STACK_BOTTOM; va += 0x800) {
		TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, va, &w) == 0);
		TEST_CHECK_MSG(!w.present, "va %#llx is mapped", (unsigned long long)va);
		TEST_EQ(w.levels, 4);
		TEST_EQ(w.entry_gpa[PT_PT], KVMRUN_PT_ADDR + (va >> 12) * 8);
	}
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, KVMRUN_STACK_GUARD - 1, &w) == 0);
	TEST_CHECK(w.present && w.user && w.writable);
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, KVMRUN_STACK_BOTTOM, &w) == 0);
	TEST_CHECK(w.present && w.user && w.writable);
	TEST_EQ(w.pa, KVMRUN_STACK_BOTTOM);
	TEST_EQ(w.entry[PT_PD], KVMRUN_PT_ADDR | PTE_P | PTE_RW | PTE_US);
	guest_ram_free(&mm);
}

TEST(paging_identity_map_entries)
{
	struct memmap mm;
	struct error err;
	struct pt_walk w;
	const uint64_t va = 3 * GIB + 5 * PT_LARGE_PAGE + 0x123;
	char flags[64];

	TEST_REQUIRE(guest_ram_init(&mm, 4 * MIB) == 0);
	TEST_REQUIRE(paging_build(&mm, 0, &err) == 0);
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, va, &w) == 0);
	TEST_REQUIRE(w.present);

	/* Where each entry lives: ABI addresses, index from the address. */
	TEST_EQ(w.entry_gpa[PT_PML4], KVMRUN_PML4_ADDR);
	TEST_EQ(w.entry_gpa[PT_PDPT], KVMRUN_PDPT_ADDR + 3 * 8);
	TEST_EQ(w.entry_gpa[PT_PD], KVMRUN_PD_ADDR + 3 * 0x1000 + 5 * 8);
	/* What they hold. */
	TEST_EQ(w.entry[PT_PML4], KVMRUN_PDPT_ADDR | PTE_P | PTE_RW);
	TEST_EQ(w.entry[PT_PDPT], (KVMRUN_PD_ADDR + 3 * 0x1000) | PTE_P | PTE_RW);
	TEST_EQ(w.entry[PT_PD], (3 * GIB + 5 * PT_LARGE_PAGE) | PTE_P | PTE_RW | PTE_PS);
	TEST_EQ(w.entry[PT_PD] & ~PTE_ADDR_MASK, PTE_P | PTE_RW | PTE_PS);
	paging_flags_text(w.entry[PT_PD], flags, sizeof(flags));
	TEST_STREQ(flags, "P RW PS");
	TEST_EQ(w.pa, va);
	guest_ram_free(&mm);
}

TEST(paging_identity_map_extra_flags)
{
	struct memmap mm;
	struct error err;
	struct pt_walk w;
	unsigned level;

	TEST_REQUIRE(guest_ram_init(&mm, 2 * MIB) == 0);
	TEST_REQUIRE(paging_build(&mm, PTE_US, &err) == 0);
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, 0x400000, &w) == 0);
	TEST_CHECK(w.present);
	TEST_CHECK(w.user);
	TEST_CHECK(w.writable);
	for (level = PT_PML4; level <= PT_PD; level++)
		TEST_CHECK_MSG(w.entry[level] & PTE_US, "level %u", level);
	guest_ram_free(&mm);
}

TEST(paging_identity_map_stops_at_4g)
{
	struct memmap mm;
	struct error err;
	struct pt_walk w;

	TEST_REQUIRE(guest_ram_init(&mm, 4 * MIB) == 0);
	TEST_REQUIRE(paging_build(&mm, 0, &err) == 0);
	/* Small RAM maps exactly the first 4 GiB: PDPT entry 4 is empty. */
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, 4 * GIB, &w) == 0);
	TEST_CHECK(!w.present);
	TEST_EQ(w.levels, 2);
	TEST_EQ(w.entry[PT_PDPT], 0);
	TEST_STREQ(w.fault, "entry not present");
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, 512 * GIB, &w) == 0);
	TEST_CHECK(!w.present);
	TEST_EQ(w.levels, 1);                   /* PML4 entry 1 is empty */
	/* The upper half is canonical, and not mapped. */
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, 0xffff800000000000ULL, &w) == 0);
	TEST_CHECK(!w.present);
	TEST_EQ(w.levels, 1);
	guest_ram_free(&mm);
}

TEST(paging_rejects_non_canonical)
{
	static const uint64_t vas[] = {
		0x0000800000000000ULL,  /* just above the lower half */
		0xffff7fffffffffffULL,  /* just below the upper half */
		0x8000000000000000ULL,
		0x00ff000000000000ULL,
	};
	struct memmap mm;
	struct error err;
	struct pt_walk w;
	unsigned i;

	TEST_REQUIRE(guest_ram_init(&mm, 2 * MIB) == 0);
	TEST_REQUIRE(paging_build(&mm, 0, &err) == 0);
	for (i = 0; i < sizeof(vas) / sizeof(vas[0]); i++) {
		TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, vas[i], &w) == 0);
		TEST_CHECK_MSG(!w.present, "va %#llx", (unsigned long long)vas[i]);
		TEST_EQ(w.levels, 0);
		TEST_CONTAINS(w.fault, "canonical");
	}
	/* The last canonical lower-half address is walked (and not mapped). */
	TEST_REQUIRE(paging_walk(&mm, KVMRUN_PML4_ADDR, 0x00007fffffffffffULL, &w) == 0);
	TEST_EQ(w.levels, 1);
	TEST_STREQ(w.fault, "entry not present");
	guest_ram_free(&mm);
}

TEST(paging_build_fails_without_host)
{
	struct memmap mm;
	struct error err = { "" };

	TEST_REQUIRE(memmap_init(&mm, 2 * MIB, &err) == 0);
	TEST_EQ(paging_build(&mm, 0, &err), -1);    /* no RAM to write to */
	TEST_CONTAINS(err.msg, "outside RAM");
}

/* ---- the walker on hand-built 4 KiB tables --------------------------- */

/* Our own tables, away from kvmrun's, in 2 MiB of RAM. */
#define CR3     0x20000ULL
#define PDPT    0x21000ULL
#define PD      0x22000ULL
#define PT      0x23000ULL

TEST(paging_walk_4k_pages)
{
	const uint64_t va = va_of(1, 2, 3, 4, 0x567);
	const uint64_t all = PTE_P | PTE_RW | PTE_US;
	struct memmap mm;
	struct pt_walk w;

	TEST_REQUIRE(guest_ram_init(&mm, 2 * MIB) == 0);
	guest_write_u64(&mm, CR3 + 1 * 8, PDPT | all);
	guest_write_u64(&mm, PDPT + 2 * 8, PD | all);
	guest_write_u64(&mm, PD + 3 * 8, PT | all);
	guest_write_u64(&mm, PT + 4 * 8, 0x1ab000 | all | PTE_A | PTE_D);

	/* CR3's low bits (PCD, PWT...) are not part of the table address. */
	TEST_REQUIRE(paging_walk(&mm, CR3 | 0x18, va, &w) == 0);
	TEST_CHECK(w.present);
	TEST_EQ(w.levels, 4);
	TEST_EQ(w.page_size, 0x1000);
	TEST_EQ(w.pa, 0x1ab567);
	TEST_EQ(w.entry_gpa[PT_PML4], CR3 + 1 * 8);
	TEST_EQ(w.entry_gpa[PT_PDPT], PDPT + 2 * 8);
	TEST_EQ(w.entry_gpa[PT_PD], PD + 3 * 8);
	TEST_EQ(w.entry_gpa[PT_PT], PT + 4 * 8);
	TEST_EQ(w.entry[PT_PT], 0x1ab000 | all | PTE_A | PTE_D);
	TEST_CHECK(w.writable);
	TEST_CHECK(w.user);
	TEST_CHECK(!w.nx);

	/* The neighbouring page is not present: the walk stops at the PT. */
	TEST_REQUIRE(paging_walk(&mm, CR3, va_of(1, 2, 3, 5, 0), &w) == 0);
	TEST_CHECK(!w.present);
	TEST_EQ(w.levels, 4);
	TEST_STREQ(w.fault, "entry not present");
	guest_ram_free(&mm);
}

TEST(paging_walk_permissions_accumulate)
{
	/*
	 * Writable and user need every level to allow them; NX at any level
	 * forbids execution.  Each row clears or sets a bit at one level.
	 */
	static const struct {
		enum pt_level level;
		uint64_t clear, set;
		bool writable, user, nx;
	} rows[] = {
		{ PT_PML4, 0,      0,      true,  true,  false },
		{ PT_PML4, PTE_RW, 0,      false, true,  false },
		{ PT_PDPT, PTE_RW, 0,      false, true,  false },
		{ PT_PD,   PTE_RW, 0,      false, true,  false },
		{ PT_PT,   PTE_RW, 0,      false, true,  false },
		{ PT_PML4, PTE_US, 0,      true,  false, false },
		{ PT_PDPT, PTE_US, 0,      true,  false, false },
		{ PT_PD,   PTE_US, 0,      true,  false, false },
		{ PT_PT,   PTE_US, 0,      true,  false, false },
		{ PT_PML4, 0,      PTE_NX, true,  true,  true },
		{ PT_PDPT, 0,      PTE_NX, true,  true,  true },
		{ PT_PD,   0,      PTE_NX, true,  true,  true },
		{ PT_PT,   0,      PTE_NX, true,  true,  true },
	};
	const uint64_t va = va_of(0, 1, 2, 3, 0x10);
	const uint64_t gpa[PT_LEVELS] = {
		CR3 + 0 * 8, PDPT + 1 * 8, PD + 2 * 8, PT + 3 * 8,
	};
	const uint64_t next[PT_LEVELS] = { PDPT, PD, PT, 0x100000 };
	struct memmap mm;
	struct pt_walk w;
	unsigned i, level;

	TEST_REQUIRE(guest_ram_init(&mm, 2 * MIB) == 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (level = PT_PML4; level < PT_LEVELS; level++) {
			uint64_t e = next[level] | PTE_P | PTE_RW | PTE_US;

			if (level == rows[i].level)
				e = (e & ~rows[i].clear) | rows[i].set;
			guest_write_u64(&mm, gpa[level], e);
		}
		TEST_REQUIRE(paging_walk(&mm, CR3, va, &w) == 0);
		TEST_CHECK_MSG(w.present, "row %u", i);
		TEST_CHECK_MSG(w.pa == 0x100010, "row %u", i);
		TEST_CHECK_MSG(w.writable == rows[i].writable, "row %u", i);
		TEST_CHECK_MSG(w.user == rows[i].user, "row %u", i);
		TEST_CHECK_MSG(w.nx == rows[i].nx, "row %u", i);
	}
	guest_ram_free(&mm);
}

TEST(paging_walk_large_pages)
{
	struct memmap mm;
	struct pt_walk w;

	TEST_REQUIRE(guest_ram_init(&mm, 2 * MIB) == 0);
	guest_write_u64(&mm, CR3, PDPT | PTE_P | PTE_RW);
	/* PDPT entry 1: a 1 GiB page at 7 GiB. */
	guest_write_u64(&mm, PDPT + 1 * 8, 7 * GIB | PTE_P | PTE_PS);
	/* PDPT entry 2 -> PD; PD entry 9: a 2 MiB page at 0x40000000. */
	guest_write_u64(&mm, PDPT + 2 * 8, PD | PTE_P | PTE_RW);
	guest_write_u64(&mm, PD + 9 * 8, 0x40000000 | PTE_P | PTE_RW | PTE_PS |
			(1ULL << 12) /* PAT: not an address bit here */);

	TEST_REQUIRE(paging_walk(&mm, CR3, va_of(0, 1, 0x123, 0x45, 0x678), &w) == 0);
	TEST_CHECK(w.present);
	TEST_EQ(w.levels, 2);
	TEST_EQ(w.page_size, GIB);
	TEST_EQ(w.pa, 7 * GIB + va_of(0, 0, 0x123, 0x45, 0x678));
	TEST_CHECK(!w.writable);                /* no RW in the PDPT entry */

	TEST_REQUIRE(paging_walk(&mm, CR3, va_of(0, 2, 9, 0x1ff, 0xfff), &w) == 0);
	TEST_CHECK(w.present);
	TEST_EQ(w.levels, 3);
	TEST_EQ(w.page_size, PT_LARGE_PAGE);
	TEST_EQ(w.pa, 0x40000000 + PT_LARGE_PAGE - 1);
	TEST_CHECK(w.writable);
	guest_ram_free(&mm);
}

TEST(paging_walk_table_outside_ram)
{
	struct memmap mm;
	struct pt_walk w;

	TEST_REQUIRE(guest_ram_init(&mm, 2 * MIB) == 0);
	/* The PDPT entry points at a page directory beyond RAM. */
	guest_write_u64(&mm, CR3, PDPT | PTE_P | PTE_RW);
	guest_write_u64(&mm, PDPT, 0x80000000 | PTE_P | PTE_RW);
	TEST_EQ(paging_walk(&mm, CR3, 0x1000, &w), -1);
	/* So is CR3 itself. */
	TEST_EQ(paging_walk(&mm, 0x40000000, 0x1000, &w), -1);
	guest_ram_free(&mm);
}

/* ---- names ---------------------------------------------------------- */

TEST(paging_format_flags)
{
	char buf[64];

	paging_flags_text(0, buf, sizeof(buf));
	TEST_STREQ(buf, "");
	paging_flags_text(PTE_P | PTE_RW | PTE_PS, buf, sizeof(buf));
	TEST_STREQ(buf, "P RW PS");
	/* Address bits are not flags. */
	paging_flags_text(0x7ffff000ULL | PTE_P | PTE_US | PTE_NX, buf, sizeof(buf));
	TEST_STREQ(buf, "P US NX");
	paging_flags_text(PTE_P | PTE_RW | PTE_US | PTE_PWT | PTE_PCD | PTE_A |
			PTE_D | PTE_PS | PTE_G | PTE_NX, buf, sizeof(buf));
	TEST_STREQ(buf, "P RW US PWT PCD A D PS G NX");
}

TEST(paging_format_flags_small_buffer)
{
	char buf[8];

	/* Truncated, but always terminated and inside the buffer. */
	memset(buf, 'z', sizeof(buf));
	paging_flags_text(PTE_P | PTE_RW | PTE_US | PTE_NX, buf, 4);
	TEST_CHECK(memchr(buf, '\0', 4) != NULL);
	TEST_CHECK(strncmp(buf, "P RW", strlen(buf)) == 0);
	TEST_EQ(buf[4], 'z');
	/* Size 0 writes nothing. */
	paging_flags_text(PTE_P, buf, 0);
	TEST_EQ(buf[0], 'P');
}

TEST(paging_level_names)
{
	TEST_STREQ(paging_level_name(PT_PML4), "PML4");
	TEST_STREQ(paging_level_name(PT_PDPT), "PDPT");
	TEST_STREQ(paging_level_name(PT_PD), "PD");
	TEST_STREQ(paging_level_name(PT_PT), "PT");
	TEST_STREQ(paging_level_name(PT_LEVELS), "?");
}

const struct test tests_paging[] = {
	TEST_ENTRY(paging_identity_map_translates),
	TEST_ENTRY(paging_identity_map_entries),
	TEST_ENTRY(paging_stack_guard),
	TEST_ENTRY(paging_identity_map_extra_flags),
	TEST_ENTRY(paging_identity_map_stops_at_4g),
	TEST_ENTRY(paging_rejects_non_canonical),
	TEST_ENTRY(paging_build_fails_without_host),
	TEST_ENTRY(paging_walk_4k_pages),
	TEST_ENTRY(paging_walk_permissions_accumulate),
	TEST_ENTRY(paging_walk_large_pages),
	TEST_ENTRY(paging_walk_table_outside_ram),
	TEST_ENTRY(paging_format_flags),
	TEST_ENTRY(paging_format_flags_small_buffer),
	TEST_ENTRY(paging_level_names),
	TEST_END,
};
