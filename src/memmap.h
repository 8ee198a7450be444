/* SPDX-License-Identifier: MIT */
/*
 * The guest memory map: where guest RAM lies in guest-physical address
 * space, what kvmrun places in it, and the one bounds-checked translation
 * from guest-physical addresses to host pointers.  Pure: no KVM calls.
 *
 * RAM is one host mapping split into at most two guest ranges, as on a PC:
 * low RAM from 0 up to 3 GiB, and any remainder from 4 GiB up, so that the
 * MMIO window below 4 GiB is never RAM (include/kvmrun/abi.h).
 */
#ifndef KVMRUN_MEMMAP_H
#define KVMRUN_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MEMMAP_PAGE_SIZE        0x1000ULL
#define MEMMAP_MIN_RAM          (1ULL << 20)    /* 1 MiB */
#define MEMMAP_MAX_RAM          (256ULL << 30)  /* 256 GiB */
#define MEMMAP_DEFAULT_RAM      (64ULL << 20)   /* 64 MiB */
#define MEMMAP_MAX_REGIONS      32      /* kvmrun's, the image, 16 modules */
#define MEMMAP_CHUNK_MIN        (64ULL << 20)   /* 64 MiB */
#define MEMMAP_BOOT_CHUNK       (2ULL << 20)    /* 2 MiB: see struct memmap */
#define MEMMAP_MAX_CHUNKS       8192

enum mem_kind {
	MEM_KIND_RESERVED,      /* kvmrun's tables (page tables, GDT, ...) */
	MEM_KIND_STACK,         /* initial stack */
	MEM_KIND_IMAGE,         /* the loaded image */
	MEM_KIND_INPUT,         /* --input: a run's input bytes */
};

/* A range of RAM with a purpose: what -v prints and the boot info lists. */
struct mem_region {
	uint64_t gpa;
	uint64_t size;
	enum mem_kind kind;
	const char *name;
};

/* A contiguous range of guest RAM backed by host memory (one KVM slot). */
struct mem_slot {
	uint64_t gpa;
	uint64_t size;
	uint64_t host_offset;   /* offset into the host mapping */
};

/*
 * RAM is handed to KVM in chunks, each its own memory slot, registered
 * when first needed: a slot costs KVM time in proportion to its size
 * (docs/internals.md, "Memory slots and first touch"), so a large --mem
 * would otherwise make every start slow.  Chunks never span the two RAM ranges.
 *
 * The first chunk of low RAM is split in two: the boot chunk, its first
 * MEMMAP_BOOT_CHUNK bytes, which hold kvmrun's tables, the stack and a
 * small image, and the rest of it.  A guest that never leaves its first
 * 2 MiB then costs KVM one small slot (memmap_set_chunks).  Likewise RAM above 4 GiB ends
 * in a tail chunk that starts at the 2 MiB boundary below the page
 * directories kvmrun writes there.
 */
struct memmap {
	uint8_t *host;          /* host mapping of all RAM (NULL until mapped) */
	uint64_t ram_size;
	struct mem_slot slots[2];
	unsigned nr_slots;
	uint64_t chunk_size;
	unsigned chunks_low;    /* chunks of slots[0]; slots[1]'s follow */
	uint64_t boot_chunk;    /* size of chunk 0 when split, else 0 */
	uint64_t tail_gpa;      /* start of the last chunk when split, else 0 */
	unsigned nr_chunks;
	uint64_t chunk_mapped[MEMMAP_MAX_CHUNKS / 64];  /* registered: bitmap */
	uint64_t high_pd_gpa;   /* page directories for RAM above 4 GiB, or 0 */
	unsigned nr_pds;        /* page directories in all (1 per GiB mapped) */
	struct mem_region regions[MEMMAP_MAX_REGIONS];
	unsigned nr_regions;
};

/*
 * Lay out RAM of ram_size bytes: slots, the reserved area, the stack and
 * (for RAM above 4 GiB) the extra page directories.  host may be NULL and
 * set later.  Fails if ram_size is out of range or not page-aligned.
 */
int memmap_init(struct memmap *mm, uint64_t ram_size, struct error *err);

/*
 * Record a region.  It must lie entirely in RAM and must not overlap any
 * region already recorded; err names both regions otherwise.
 */
/* Forget every region memmap_init recorded (kvmrun's reserved area, the
 * stack): for a guest that needs none of kvmrun's tables (real mode). */
void memmap_clear_regions(struct memmap *mm);

int memmap_add(struct memmap *mm, uint64_t gpa, uint64_t size,
	       enum mem_kind kind, const char *name, struct error *err);

/* True if [gpa, gpa+len) lies entirely inside one RAM slot. */
bool memmap_is_ram(const struct memmap *mm, uint64_t gpa, uint64_t len);

/*
 * The one translation from guest-physical to host addresses: a pointer to
 * len bytes at gpa, or NULL if any of them is outside RAM (overflow-safe).
 */
void *memmap_gpa(const struct memmap *mm, uint64_t gpa, uint64_t len);

/* Bytes of RAM from gpa to the end of its slot (0 if gpa is not RAM). */
uint64_t memmap_ram_left(const struct memmap *mm, uint64_t gpa);

/*
 * Choose the chunk size so that RAM needs at most max_chunks chunks (the
 * memory slots KVM offers, say).  Fails if even then there are too many.
 */
int memmap_set_chunks(struct memmap *mm, unsigned max_chunks, struct error *err);

/* The chunk holding gpa (false if gpa is not RAM). */
bool memmap_chunk_of(const struct memmap *mm, uint64_t gpa, unsigned *index);

/* The range of RAM chunk index covers. */
struct mem_slot memmap_chunk(const struct memmap *mm, unsigned index);

bool memmap_chunk_is_mapped(const struct memmap *mm, unsigned index);
void memmap_chunk_set_mapped(struct memmap *mm, unsigned index);

/* Address just past the end of all guest-physical RAM. */
uint64_t memmap_ram_end(const struct memmap *mm);

const char *memmap_kind_name(enum mem_kind kind);

#endif
