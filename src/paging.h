/* SPDX-License-Identifier: MIT */
/*
 * 4-level (long mode) page tables: building kvmrun's identity map and
 * walking any page tables in guest memory the way the CPU does (Intel SDM
 * Vol. 3A, 4.5 "4-Level Paging").  Pure: works on guest memory through the
 * memory map, no KVM calls.
 */
#ifndef KVMRUN_PAGING_H
#define KVMRUN_PAGING_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "error.h"
#include "memmap.h"

/* Page-table entry bits (SDM Vol. 3A, Table 4-15 to 4-20). */
#define PTE_P           (1ULL << 0)     /* present */
#define PTE_RW          (1ULL << 1)     /* writable */
#define PTE_US          (1ULL << 2)     /* user accessible */
#define PTE_PWT         (1ULL << 3)
#define PTE_PCD         (1ULL << 4)
#define PTE_A           (1ULL << 5)     /* accessed */
#define PTE_D           (1ULL << 6)     /* dirty */
#define PTE_PS          (1ULL << 7)     /* page size: 1 GiB / 2 MiB page */
#define PTE_G           (1ULL << 8)     /* global */
#define PTE_NX          (1ULL << 63)    /* no execute */
#define PTE_ADDR_MASK   0x000ffffffffff000ULL

#define PT_ENTRIES      512
#define PT_LARGE_PAGE   (1ULL << 21)    /* 2 MiB */

/*
 * Write kvmrun's identity map into guest memory: PML4 and PDPT in the
 * reserved area, one page directory per GiB mapped, 2 MiB pages, except
 * the first 2 MiB, which a page table maps in 4 KiB pages, all but the
 * guard page below the initial stack (KVMRUN_STACK_GUARD).  extra_flags
 * are added to P|RW in every entry (0 for supervisor-only).
 */
int paging_build(const struct memmap *mm, uint64_t extra_flags, struct error *err);

enum pt_level { PT_PML4, PT_PDPT, PT_PD, PT_PT, PT_LEVELS };

struct pt_walk {
	uint64_t va;
	unsigned levels;                /* entries read (1 to 4) */
	uint64_t entry_gpa[PT_LEVELS];  /* where each entry was read */
	uint64_t entry[PT_LEVELS];      /* its value */
	bool present;                   /* the walk reached a page */
	uint64_t pa;                    /* the translation, when present */
	uint64_t page_size;             /* 4 KiB, 2 MiB or 1 GiB */
	bool writable, user, nx;        /* effective permissions */
	const char *fault;              /* why the walk stopped, if not present */
};

/*
 * Translate va through the page tables at cr3 (guest-physical).  Returns 0
 * with w filled in, also when va is not mapped (w->present false, w->fault
 * says why).  Returns -1 if a table lies outside guest RAM.
 */
int paging_walk(const struct memmap *mm, uint64_t cr3, uint64_t va,
	    struct pt_walk *w);

const char *paging_level_name(enum pt_level level);

/* Format the flag bits of an entry ("P RW US PS"), for -v and tests. */
void paging_flags_text(uint64_t entry, char *buf, unsigned size);

/*
 * The guest-physical address of linear address va under the guest's
 * paging (sregs: its CR0 and CR3); false if va is not mapped.
 */
bool paging_translate(const struct memmap *mm, const struct kvm_sregs *sregs,
		  uint64_t va, uint64_t *pa);

/* A host pointer to len bytes at linear va, or NULL (not mapped, not RAM). */
void *paging_guest_ptr(const struct memmap *mm, const struct kvm_sregs *sregs,
		   uint64_t va, uint64_t len);

/*
 * Read up to len instruction bytes at the guest's RIP in code segment
 * sregs->cs (its base counts outside 64-bit code), through its page
 * tables.  Returns the number of bytes read (0 if RIP is not in RAM).
 */
unsigned paging_code_at(const struct memmap *mm, const struct kvm_sregs *sregs,
		    uint64_t rip, uint8_t *buf, unsigned len);

#endif
