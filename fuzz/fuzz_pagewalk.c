/* SPDX-License-Identifier: MIT */
/*
 * paging_walk (and paging_build) on fuzzed page tables.
 *
 * Input: byte 0 picks the mode.
 *
 * Mode "tables" (bit 0 clear): guest RAM of 1-2 MiB holds the rest of the
 * input after a 17-byte header (mode, cr3, va), repeated to fill it, so
 * every page-table entry anywhere is fuzzed.  paging_walk runs for the va and
 * a few relatives (canonical, upper half, next pages).  Checked against a
 * reference walk written from the SDM (Vol. 3A, 4.5): the entries read,
 * where they were read, present or not, the page size, the translation
 * and the permissions; -1 exactly when a table lies outside RAM; reads
 * only inside RAM (ASan: RAM ends where its allocation ends, the space in
 * front of it is poisoned).
 *
 * Mode "identity" (bit 0 set): a memory map of a fuzzed size (1 MiB to
 * 256 GiB; a heap buffer up to 16 MiB, else a MAP_NORESERVE mapping) gets
 * kvmrun's identity map from paging_build, and paging_walk from CR3 0x1000 must
 * find every address of the first 4 GiB and of RAM mapped to itself with
 * 2 MiB pages, writable, user-accessible exactly when PTE_US was asked
 * for, executable; nothing at or past the last GiB the map covers.  With
 * a heap buffer (filled with a pattern, but for the table pages, which
 * start out zero as in kvmrun's fresh mapping: paging_build writes only the
 * entries it uses), paging_build must not change RAM outside the tables.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz_common.h"
#include "kvmrun/abi.h"
#include "paging.h"

#define HEAP_RAM        (16ULL << 20)
#define GIB             (1ULL << 30)

static struct fuzz_ram ram;
static uint8_t *pattern;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_ram_alloc(&ram, HEAP_RAM);
	pattern = malloc(HEAP_RAM);
	if (!pattern)
		abort();
	for (size_t i = 0; i < HEAP_RAM; i++)
		pattern[i] = (uint8_t)(i * 131 + (i >> 12) * 7 + 1);
	return 0;
}

/* ---- mode "tables" ------------------------------------------------------- */

struct ref_walk {
	int r;
	unsigned levels;
	uint64_t entry_gpa[PT_LEVELS], entry[PT_LEVELS];
	bool present, writable, user, nx;
	uint64_t pa, page_size;
};

static void ref_walk(const uint8_t *host, uint64_t ram_size, uint64_t cr3,
		     uint64_t va, struct ref_walk *w)
{
	static const unsigned shift[PT_LEVELS] = { 39, 30, 21, 12 };
	uint64_t table = cr3 & PTE_ADDR_MASK;
	unsigned l;

	memset(w, 0, sizeof(*w));
	w->writable = w->user = true;
	/* Bits 63:47 all equal, or the CPU raises #GP before any walk. */
	if ((uint64_t)((int64_t)(va << 16) >> 16) != va)
		return;
	for (l = 0; l < PT_LEVELS; l++) {
		uint64_t gpa = table + ((va >> shift[l]) & 0x1ff) * 8;
		uint64_t e;

		if (gpa < table || gpa >= ram_size || ram_size - gpa < 8) {
			w->r = -1;
			return;
		}
		memcpy(&e, host + gpa, 8);
		w->entry_gpa[l] = gpa;
		w->entry[l] = e;
		w->levels = l + 1;
		if (!(e & PTE_P))
			return;
		w->writable = w->writable && (e & PTE_RW);
		w->user = w->user && (e & PTE_US);
		w->nx = w->nx || (e & PTE_NX);
		/* PS makes a PDPTE a 1 GiB page and a PDE a 2 MiB page. */
		if (l == PT_PT || ((l == PT_PDPT || l == PT_PD) && (e & PTE_PS))) {
			w->present = true;
			w->page_size = 1ULL << shift[l];
			w->pa = (e & PTE_ADDR_MASK & ~(w->page_size - 1)) |
				(va & (w->page_size - 1));
			return;
		}
		table = e & PTE_ADDR_MASK;
	}
}

static void walk_and_check(const struct memmap *mm, uint64_t cr3, uint64_t va)
{
	struct pt_walk w;
	struct ref_walk ref;
	unsigned l;
	int r;

	memset(&w, 0xa5, sizeof(w));
	r = paging_walk(mm, cr3, va, &w);
	ref_walk(ram.host, ram.size, cr3, va, &ref);
	FUZZ_CHECK(r == ref.r, "cr3 %#llx va %#llx: returned %d, reference %d",
		   (unsigned long long)cr3, (unsigned long long)va, r, ref.r);
	if (r < 0)
		return;
	FUZZ_CHECK(w.va == va, "va not recorded");
	FUZZ_CHECK(w.levels == ref.levels, "va %#llx: %u levels, reference %u",
		   (unsigned long long)va, w.levels, ref.levels);
	for (l = 0; l < w.levels; l++) {
		FUZZ_CHECK(w.entry_gpa[l] == ref.entry_gpa[l] && w.entry[l] == ref.entry[l],
			   "va %#llx level %u: entry %#llx at %#llx, reference %#llx at %#llx",
			   (unsigned long long)va, l, (unsigned long long)w.entry[l],
			   (unsigned long long)w.entry_gpa[l],
			   (unsigned long long)ref.entry[l],
			   (unsigned long long)ref.entry_gpa[l]);
		FUZZ_CHECK(w.entry_gpa[l] < ram.size && ram.size - w.entry_gpa[l] >= 8,
			   "entry read outside RAM");
	}
	FUZZ_CHECK(w.present == ref.present, "va %#llx: present %d, reference %d",
		   (unsigned long long)va, w.present, ref.present);
	if (w.present) {
		FUZZ_CHECK(w.pa == ref.pa && w.page_size == ref.page_size,
			   "va %#llx: pa %#llx size %#llx, reference %#llx size %#llx",
			   (unsigned long long)va, (unsigned long long)w.pa,
			   (unsigned long long)w.page_size, (unsigned long long)ref.pa,
			   (unsigned long long)ref.page_size);
		FUZZ_CHECK((w.pa & (w.page_size - 1)) == (va & (w.page_size - 1)),
			   "page offset not kept");
		FUZZ_CHECK(w.writable == ref.writable && w.user == ref.user &&
			   w.nx == ref.nx, "va %#llx: permissions W%d U%d NX%d, "
			   "reference W%d U%d NX%d", (unsigned long long)va,
			   w.writable, w.user, w.nx, ref.writable, ref.user, ref.nx);
	} else {
		FUZZ_CHECK(w.fault && w.fault[0], "va %#llx: not present, no reason",
			   (unsigned long long)va);
	}
}

static void mode_tables(struct fuzz_in *in)
{
	uint64_t ram_size = (in->n && (in->p[0] & 1)) ? 2ULL << 20 : 1ULL << 20;
	uint64_t cr3 = fuzz_u64(in), va = fuzz_u64(in);
	struct memmap mm;
	struct error err;
	size_t filled;

	FUZZ_CHECK(fuzz_ram_map(&ram, &mm, ram_size, &err) == 0, "%s", err.msg);
	if (!in->n) {
		memset(ram.host, 0, ram_size);
	} else {                /* tile the rest of the input over all of RAM */
		filled = in->n < ram_size ? in->n : ram_size;
		memcpy(ram.host, in->p, filled);
		while (filled < ram_size) {
			size_t n = filled < ram_size - filled ? filled : ram_size - filled;

			memcpy(ram.host + filled, ram.host, n);
			filled += n;
		}
	}
	if (cr3 >> 63)          /* half the time, a CR3 inside RAM */
		cr3 = (cr3 & ~(1ULL << 63)) % ram_size;
	walk_and_check(&mm, cr3, va);
	walk_and_check(&mm, cr3, (uint64_t)((int64_t)(va << 16) >> 16));
	walk_and_check(&mm, cr3, va | 0xffff800000000000ULL);
	walk_and_check(&mm, cr3, va + 0x1000);
	walk_and_check(&mm, cr3, va + PT_LARGE_PAGE);
	walk_and_check(&mm, cr3, va & 0x3fffffff);
	fuzz_ram_unmap(&ram, &mm);
}

/* ---- mode "identity" ----------------------------------------------------- */

static uint64_t pick_ram_size(uint8_t how, uint64_t raw)
{
	switch (how & 3) {
	case 0: return MEMMAP_MIN_RAM + (raw % 3841) * MEMMAP_PAGE_SIZE;  /* 1-16 MiB */
	case 1: return (raw % (MEMMAP_MAX_RAM / MEMMAP_PAGE_SIZE + 2)) * MEMMAP_PAGE_SIZE;
	case 2: return KVMRUN_LOW_RAM_MAX + (raw % 4096) * MEMMAP_PAGE_SIZE;   /* just above 3 GiB */
	default: return ((raw % 257) << 30) + (raw >> 40) % 4 * PT_LARGE_PAGE;
	}
}

static void check_identity(const struct memmap *mm, uint64_t va, bool user)
{
	uint64_t mapped_end = (uint64_t)mm->nr_pds * GIB;
	bool must_map = va < 4 * GIB || (va >= KVMRUN_HIGH_RAM_START &&
					 va < memmap_ram_end(mm));
	struct pt_walk w;
	int r = paging_walk(mm, KVMRUN_PML4_ADDR, va, &w);

	FUZZ_CHECK(r == 0, "RAM %#llx: walk of %#llx returned %d",
		   (unsigned long long)mm->ram_size, (unsigned long long)va, r);
	/* The first 2 MiB in 4 KiB pages, but for the stack's guard page. */
	if (va >= KVMRUN_STACK_GUARD && va < KVMRUN_STACK_BOTTOM) {
		FUZZ_CHECK(!w.present && w.levels == 4, "RAM %#llx: the guard page "
			   "%#llx is mapped", (unsigned long long)mm->ram_size,
			   (unsigned long long)va);
		return;
	}
	if (must_map && va < PT_LARGE_PAGE) {
		FUZZ_CHECK(w.present && w.pa == va && w.page_size == 0x1000 &&
			   w.levels == 4 && w.writable && w.user == user && !w.nx,
			   "RAM %#llx: %#llx -> present %d pa %#llx size %#llx levels %u",
			   (unsigned long long)mm->ram_size, (unsigned long long)va,
			   w.present, (unsigned long long)w.pa,
			   (unsigned long long)w.page_size, w.levels);
	} else if (must_map) {
		FUZZ_CHECK(w.present && w.pa == va && w.page_size == PT_LARGE_PAGE &&
			   w.levels == 3 && w.writable && w.user == user && !w.nx,
			   "RAM %#llx: %#llx -> present %d pa %#llx size %#llx levels %u "
			   "W%d U%d NX%d (%s)", (unsigned long long)mm->ram_size,
			   (unsigned long long)va, w.present, (unsigned long long)w.pa,
			   (unsigned long long)w.page_size, w.levels, w.writable, w.user,
			   w.nx, w.fault ? w.fault : "-");
	}
	if (va >= mapped_end)
		FUZZ_CHECK(!w.present, "RAM %#llx: %#llx is mapped, past the map's "
			   "last GiB %#llx", (unsigned long long)mm->ram_size,
			   (unsigned long long)va, (unsigned long long)mapped_end);
}

static void mode_identity(struct fuzz_in *in, uint8_t flags)
{
	uint64_t ram_size = pick_ram_size(flags >> 1, fuzz_u64(in));
	bool user = flags & 8, heap = ram_size <= HEAP_RAM;
	uint64_t extra = user ? PTE_US : 0;
	struct memmap mm;
	struct error err;
	uint8_t *map = NULL;
	unsigned i;
	int r;

	if (heap) {
		if (fuzz_ram_map(&ram, &mm, ram_size, &err) < 0)
			return;         /* a size memmap_init refuses */
		memcpy(ram.host, pattern, ram_size);
		/* paging_build writes only the entries it uses: like kvmrun's fresh
		 * anonymous mapping, the table pages start out zero. */
		memset(ram.host + KVMRUN_PML4_ADDR, 0, KVMRUN_PD_ADDR + 4 *
		       MEMMAP_PAGE_SIZE - KVMRUN_PML4_ADDR);
	} else {
		if (memmap_init(&mm, ram_size, &err) < 0)
			return;
		map = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (map == MAP_FAILED)
			return;
		mm.host = map;
	}
	r = paging_build(&mm, extra, &err);
	FUZZ_CHECK(r == 0, "paging_build for RAM %#llx: %s", (unsigned long long)ram_size,
		   err.msg);
	if (heap) {
		/* Only the PML4, PDPT, the four page directories and the
		 * page table of the first 2 MiB (in the guard page) change. */
		const uint64_t pds_end = KVMRUN_PD_ADDR + 4 * MEMMAP_PAGE_SIZE;
		const uint64_t pt_end = KVMRUN_PT_ADDR + MEMMAP_PAGE_SIZE;

		FUZZ_CHECK(!memcmp(ram.host, pattern, KVMRUN_PML4_ADDR) &&
			   !memcmp(ram.host + pds_end, pattern + pds_end,
				   KVMRUN_PT_ADDR - pds_end) &&
			   !memcmp(ram.host + pt_end, pattern + pt_end, ram_size - pt_end),
			   "paging_build wrote outside the page tables");
	}
	/* The edges, then fuzzed addresses. */
	check_identity(&mm, 0, user);
	check_identity(&mm, 4 * GIB - 1, user);
	check_identity(&mm, memmap_ram_end(&mm) - 1, user);
	check_identity(&mm, (uint64_t)mm.nr_pds * GIB, user);
	check_identity(&mm, (uint64_t)mm.nr_pds * GIB - 1, user);
	check_identity(&mm, 0x00007fffffffffffULL, user);
	for (i = 0; i < 8 && in->n; i++) {
		uint64_t v = fuzz_u64(in);

		check_identity(&mm, v, user);
		check_identity(&mm, v % (memmap_ram_end(&mm) + 2 * GIB), user);
	}
	if (heap)
		fuzz_ram_unmap(&ram, &mm);
	else
		munmap(map, ram_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t flags = fuzz_u8(&in);

	if (flags & 1)
		mode_identity(&in, flags);
	else
		mode_tables(&in);
	return 0;
}
