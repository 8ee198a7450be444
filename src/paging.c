/* SPDX-License-Identifier: MIT */
#include "paging.h"

#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "kvmrun/abi.h"

#define GIB (1ULL << 30)

/* The page-table page at gpa, as 512 entries in host memory. */
static uint64_t *table_at(const struct memmap *mm, uint64_t gpa, struct error *err)
{
	uint64_t *t = memmap_gpa(mm, gpa, PT_ENTRIES * 8);

	if (!t)
		error_set(err, "page table at %#llx is outside RAM",
			(unsigned long long)gpa);
	return t;
}

static uint64_t pd_address(const struct memmap *mm, unsigned gib)
{
	if (gib < 4)
		return KVMRUN_PD_ADDR + (uint64_t)gib * MEMMAP_PAGE_SIZE;
	return mm->high_pd_gpa + (uint64_t)(gib - 4) * MEMMAP_PAGE_SIZE;
}

int paging_build(const struct memmap *mm, uint64_t extra_flags, struct error *err)
{
	const uint64_t table_flags = PTE_P | PTE_RW | extra_flags;
	uint64_t *pml4, *pdpt, *pd, *pt;
	unsigned gib, i;

	if (mm->nr_pds > PT_ENTRIES)
		return error_set(err, "too much memory to map with one PDPT");
	pml4 = table_at(mm, KVMRUN_PML4_ADDR, err);
	pdpt = table_at(mm, KVMRUN_PDPT_ADDR, err);
	if (!pml4 || !pdpt)
		return -1;
	pml4[0] = KVMRUN_PDPT_ADDR | table_flags;
	for (gib = 0; gib < mm->nr_pds; gib++) {
		uint64_t base = (uint64_t)gib * GIB;

		pd = table_at(mm, pd_address(mm, gib), err);
		if (!pd)
			return -1;
		pdpt[gib] = pd_address(mm, gib) | table_flags;
		for (i = 0; i < PT_ENTRIES; i++)
			pd[i] = (base + (uint64_t)i * PT_LARGE_PAGE) | table_flags | PTE_PS;
	}
	/* The first 2 MiB in 4 KiB pages, all but the guard page below the
	 * initial stack, so that running off the stack faults there. */
	pt = table_at(mm, KVMRUN_PT_ADDR, err);
	pd = table_at(mm, KVMRUN_PD_ADDR, err);
	if (!pt || !pd)
		return -1;
	for (i = 0; i < PT_ENTRIES; i++)
		pt[i] = (uint64_t)i * MEMMAP_PAGE_SIZE | table_flags;
	pt[KVMRUN_STACK_GUARD / MEMMAP_PAGE_SIZE] = 0;
	pd[0] = KVMRUN_PT_ADDR | table_flags;
	return 0;
}

static bool is_canonical(uint64_t va)
{
	uint64_t top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

int paging_walk(const struct memmap *mm, uint64_t cr3, uint64_t va,
	    struct pt_walk *w)
{
	static const unsigned shift[PT_LEVELS] = { 39, 30, 21, 12 };
	uint64_t table = cr3 & PTE_ADDR_MASK;
	unsigned level;

	memset(w, 0, sizeof(*w));
	w->va = va;
	w->writable = w->user = true;
	if (!is_canonical(va)) {
		w->fault = "address is not canonical";
		return 0;
	}
	for (level = PT_PML4; level < PT_LEVELS; level++) {
		uint64_t gpa = table + ((va >> shift[level]) & 0x1ff) * 8;
		const uint8_t *p = memmap_gpa(mm, gpa, 8);
		uint64_t e;

		if (!p)
			return -1;
		memcpy(&e, p, 8);
		w->entry_gpa[level] = gpa;
		w->entry[level] = e;
		w->levels = level + 1;
		if (!(e & PTE_P)) {
			w->fault = "entry not present";
			return 0;
		}
		w->writable &= !!(e & PTE_RW);
		w->user &= !!(e & PTE_US);
		w->nx |= !!(e & PTE_NX);
		if (level == PT_PT ||
		    ((level == PT_PDPT || level == PT_PD) && (e & PTE_PS))) {
			uint64_t size = 1ULL << shift[level];

			w->present = true;
			w->page_size = size;
			w->pa = (e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
			return 0;
		}
		table = e & PTE_ADDR_MASK;
	}
	return 0;
}

const char *paging_level_name(enum pt_level level)
{
	static const char *const names[PT_LEVELS] = { "PML4", "PDPT", "PD", "PT" };

	return (unsigned)level < PT_LEVELS ? names[level] : "?";
}

void paging_flags_text(uint64_t entry, char *buf, unsigned size)
{
	static const struct { uint64_t bit; const char *name; } bits[] = {
		{ PTE_P, "P" }, { PTE_RW, "RW" }, { PTE_US, "US" },
		{ PTE_PWT, "PWT" }, { PTE_PCD, "PCD" }, { PTE_A, "A" },
		{ PTE_D, "D" }, { PTE_PS, "PS" }, { PTE_G, "G" }, { PTE_NX, "NX" },
	};
	unsigned i, n = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(entry & bits[i].bit))
			continue;
		int r = snprintf(buf + n, size - n, "%s%s", n ? " " : "", bits[i].name);

		if (r < 0 || (unsigned)r >= size - n)
			return;
		n += (unsigned)r;
	}
}

bool paging_translate(const struct memmap *mm, const struct kvm_sregs *sregs,
		       uint64_t va, uint64_t *pa)
{
	struct pt_walk w;

	if (!(sregs->cr0 & X86_CR0_PG)) {
		*pa = va;
		return true;
	}
	if (paging_walk(mm, sregs->cr3, va, &w) < 0 || !w.present)
		return false;
	*pa = w.pa;
	return true;
}

void *paging_guest_ptr(const struct memmap *mm, const struct kvm_sregs *sregs,
			uint64_t va, uint64_t len)
{
	uint64_t pa, last;

	/* Both ends in RAM and contiguous: enough for the small, aligned
	 * things kvmrun reads this way (frames, descriptors, flags). */
	if (len == 0 || !paging_translate(mm, sregs, va, &pa) ||
	    !paging_translate(mm, sregs, va + len - 1, &last) || last != pa + len - 1)
		return NULL;
	return memmap_gpa(mm, pa, len);
}

unsigned paging_code_at(const struct memmap *mm, const struct kvm_sregs *sregs,
			 uint64_t rip, uint8_t *buf, unsigned len)
{
	/* Outside 64-bit code, RIP is an offset into CS, which has a base
	 * (SDM Vol. 3A, 3.4.3), and linear addresses are 32 bits. */
	bool flat = cpu_in_64bit_code(sregs);
	uint64_t at = flat ? rip : (sregs->cs.base + rip) & 0xffffffff;
	unsigned n;

	for (n = 0; n < len; n++) {
		const uint8_t *p = paging_guest_ptr(mm, sregs, flat ? at + n :
						     (at + n) & 0xffffffff, 1);

		if (!p)
			break;
		buf[n] = *p;
	}
	return n;
}
