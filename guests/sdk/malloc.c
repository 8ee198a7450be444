/* SPDX-License-Identifier: MIT */
/*
 * malloc.c - the heap: a first-fit free list with coalescing.
 *
 * The heap is every usable RAM region of the boot information block, cut
 * to start at _end: the block describes a flat image by its file size, so
 * its .bss, past the file, would otherwise look free.  Blocks are 16-byte
 * aligned and start with a 16-byte header (the block's size; while free,
 * the next free block, in address order, so that neighbours merge on free;
 * while allocated, a marker that catches a bad or double free).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmrun/sdk/kvmrun.h>

#include "sdk.h"

#define ALIGN		16
#define MIN_BLOCK	32		/* header + the smallest payload */
#define USED_MARK	((struct block *)0x5553454455534544ULL)	/* "DESUDESU" */

struct block {
	size_t size;			/* the whole block, header included */
	struct block *next;		/* free: next free block; used: USED_MARK */
};

_Static_assert(sizeof(struct block) == ALIGN, "header keeps payloads aligned");

extern char _end[];			/* the linker script's end of the image */

static struct block *free_list;
static int heap_ready;

/* Put b in the free list in address order, merging with its neighbours. */
static void free_insert(struct block *b)
{
	struct block **link = &free_list, *prev = NULL, *next;

	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	next = *link;
	b->next = next;
	*link = b;
	if (next && (char *)b + b->size == (char *)next) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

void kvmrun_heap_add(void *start, size_t size)
{
	uintptr_t lo = ((uintptr_t)start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	uintptr_t hi = ((uintptr_t)start + size) & ~(uintptr_t)(ALIGN - 1);
	struct block *b;

	if ((uintptr_t)start + size < (uintptr_t)start || hi <= lo ||
	    hi - lo < MIN_BLOCK)
		return;
	b = (struct block *)lo;
	b->size = hi - lo;
	free_insert(b);
}

static void heap_init(void)
{
	const struct kvmrun_bootinfo *bi = kvmrun_bootinfo();
	uintptr_t floor = (uintptr_t)_end;
	uint32_t i;

	heap_ready = 1;
	if (!bi)
		return;
	for (i = 0; i < bi->mem_count && i < KVMRUN_BOOTINFO_MAX_MEM; i++) {
		const struct kvmrun_mem_region *r = &bi->mem[i];
		uint64_t lo = r->addr, hi = r->addr + r->size;

		if (r->type != KVMRUN_MEM_USABLE || hi <= floor)
			continue;
		if (lo < floor)
			lo = floor;
		kvmrun_heap_add((void *)(uintptr_t)lo, hi - lo);
	}
}

static size_t block_size_for(size_t n)
{
	if (n > SIZE_MAX / 2)
		return 0;
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return n + sizeof(struct block);
}

/* Take need bytes from the front of free block b (linked at *link). */
static void *take(struct block **link, struct block *b, size_t need)
{
	if (b->size - need >= MIN_BLOCK) {
		struct block *rest = (struct block *)((char *)b + need);

		rest->size = b->size - need;
		rest->next = b->next;
		*link = rest;
		b->size = need;
	} else {
		*link = b->next;
	}
	b->next = USED_MARK;
	return b + 1;
}

void *malloc(size_t n)
{
	size_t need = block_size_for(n ? n : 1);
	struct block **link, *b;

	if (!need)
		return NULL;
	if (!heap_ready)
		heap_init();
	for (link = &free_list; (b = *link); link = &b->next)
		if (b->size >= need)
			return take(link, b, need);
	return NULL;
}

static struct block *used_block(void *p)
{
	struct block *b = (struct block *)p - 1;

	if (((uintptr_t)p & (ALIGN - 1)) || b->next != USED_MARK)
		__kvmrun_die(KVMRUN_ABORT_STATUS,
			     "free/realloc: not a block from malloc, or freed twice\n");
	return b;
}

void free(void *p)
{
	if (p)
		free_insert(used_block(p));
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	struct block *b, **link, *next;
	size_t need;
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	b = used_block(p);
	need = block_size_for(n);
	if (!need)
		return NULL;
	if (b->size >= need) {		/* shrink in place, freeing the tail */
		if (b->size - need >= MIN_BLOCK) {
			struct block *tail = (struct block *)((char *)b + need);

			tail->size = b->size - need;
			b->size = need;
			free_insert(tail);
		}
		return p;
	}
	/* Grow into the free block right after it, if there is one. */
	for (link = &free_list; (next = *link) && next < b; link = &next->next)
		;
	if (next && (char *)b + b->size == (char *)next &&
	    b->size + next->size >= need) {
		size_t more = need - b->size;

		if (next->size - more >= MIN_BLOCK) {
			struct block *rest = (struct block *)((char *)next + more);

			rest->size = next->size - more;
			rest->next = next->next;
			*link = rest;
			b->size = need;
		} else {
			*link = next->next;
			b->size += next->size;
		}
		return p;
	}
	q = malloc(n);
	if (q) {
		memcpy(q, p, b->size - sizeof(struct block));
		free(p);
	}
	return q;
}

void kvmrun_heap_stats(struct kvmrun_heap_stats *st)
{
	struct block *b, *prev = NULL;

	if (!heap_ready)
		heap_init();
	memset(st, 0, sizeof(*st));
	st->ok = 1;
	for (b = free_list; b; prev = b, b = b->next) {
		if (((uintptr_t)b & (ALIGN - 1)) || b->size < MIN_BLOCK ||
		    (b->size & (ALIGN - 1)) ||
		    (prev && (char *)prev + prev->size >= (char *)b))
			st->ok = 0;	/* unsorted, overlapping or not merged */
		st->free_bytes += b->size;
		st->free_blocks++;
		if (b->size > st->largest_free)
			st->largest_free = b->size;
		if (!st->ok)
			break;
	}
}
