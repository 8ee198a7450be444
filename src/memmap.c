/* SPDX-License-Identifier: MIT */
#include "memmap.h"

#include <string.h>

#include "kvmrun/abi.h"

#define GIB (1ULL << 30)

int memmap_init(struct memmap *mm, uint64_t ram_size, struct error *err)
{
	uint64_t low, high, mapped;

	memset(mm, 0, sizeof(*mm));
	if (ram_size < MEMMAP_MIN_RAM)
		return error_set(err, "memory size %#llx is too small (at least 1 MiB)",
			       (unsigned long long)ram_size);
	if (ram_size > MEMMAP_MAX_RAM)
		return error_set(err, "memory size %#llx is too large (at most 256 GiB)",
			       (unsigned long long)ram_size);
	if (ram_size % MEMMAP_PAGE_SIZE)
		return error_set(err, "memory size %#llx is not a multiple of 4 KiB",
			       (unsigned long long)ram_size);

	low = ram_size < KVMRUN_LOW_RAM_MAX ? ram_size : KVMRUN_LOW_RAM_MAX;
	high = ram_size - low;
	mm->ram_size = ram_size;
	mm->slots[0] = (struct mem_slot){ .gpa = 0, .size = low };
	mm->nr_slots = 1;
	/* One page directory maps 1 GiB: the first 4 GiB always, then RAM. */
	mapped = 4 * GIB;
	if (high) {
		mm->slots[1] = (struct mem_slot){
			.gpa = KVMRUN_HIGH_RAM_START, .size = high,
			.host_offset = low,
		};
		mm->nr_slots = 2;
		mapped = KVMRUN_HIGH_RAM_START + high;
	}
	mm->nr_pds = (unsigned)((mapped + GIB - 1) / GIB);

	if (memmap_add(mm, KVMRUN_RESERVED_START,
		       KVMRUN_STACK_BOTTOM - KVMRUN_RESERVED_START,
		       MEM_KIND_RESERVED, "page tables, GDT, boot info, supervisor", err) < 0 ||
	    memmap_add(mm, KVMRUN_STACK_BOTTOM,
		       KVMRUN_STACK_TOP - KVMRUN_STACK_BOTTOM,
		       MEM_KIND_STACK, "initial stack", err) < 0)
		return -1;
	if (high) {
		/* Page directories for RAM above 4 GiB sit at the top of RAM. */
		uint64_t size = (uint64_t)(mm->nr_pds - 4) * MEMMAP_PAGE_SIZE;

		if (size > high)
			return error_set(err, "memory size %#llx leaves no room for "
				       "page tables above 4 GiB",
				       (unsigned long long)ram_size);
		mm->high_pd_gpa = KVMRUN_HIGH_RAM_START + high - size;
		if (memmap_add(mm, mm->high_pd_gpa, size, MEM_KIND_RESERVED,
			       "page directories above 4 GiB", err) < 0)
			return -1;
	}
	return 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int memmap_add(struct memmap *mm, uint64_t gpa, uint64_t size,
	       enum mem_kind kind, const char *name, struct error *err)
{
	unsigned i;

	if (size == 0)
		return error_set(err, "%s is empty", name);
	if (!memmap_is_ram(mm, gpa, size))
		return error_set(err, "%s at %#llx-%#llx is not inside guest RAM "
			       "(RAM ends at %#llx; use --mem)", name,
			       (unsigned long long)gpa,
			       (unsigned long long)(gpa + size - 1),
			       (unsigned long long)memmap_ram_end(mm));
	for (i = 0; i < mm->nr_regions; i++) {
		const struct mem_region *r = &mm->regions[i];

		if (ranges_overlap(gpa, size, r->gpa, r->size))
			return error_set(err, "%s at %#llx-%#llx overlaps %s%s "
				       "at %#llx-%#llx", name,
				       (unsigned long long)gpa,
				       (unsigned long long)(gpa + size - 1),
				       r->kind == MEM_KIND_IMAGE ? "the " : "kvmrun's reserved ",
				       r->name, (unsigned long long)r->gpa,
				       (unsigned long long)(r->gpa + r->size - 1));
	}
	if (mm->nr_regions == MEMMAP_MAX_REGIONS)
		return error_set(err, "too many memory regions");
	mm->regions[mm->nr_regions++] = (struct mem_region){
		.gpa = gpa, .size = size, .kind = kind, .name = name,
	};
	return 0;
}

static const struct mem_slot *slot_of(const struct memmap *mm, uint64_t gpa,
				      uint64_t len)
{
	unsigned i;

	for (i = 0; i < mm->nr_slots; i++) {
		const struct mem_slot *s = &mm->slots[i];

		/* Written so that no sum can overflow. */
		if (gpa >= s->gpa && gpa - s->gpa <= s->size &&
		    len <= s->size - (gpa - s->gpa) &&
		    (len > 0 || gpa - s->gpa < s->size))
			return s;
	}
	return NULL;
}

bool memmap_is_ram(const struct memmap *mm, uint64_t gpa, uint64_t len)
{
	return slot_of(mm, gpa, len) != NULL;
}

void *memmap_gpa(const struct memmap *mm, uint64_t gpa, uint64_t len)
{
	const struct mem_slot *s = slot_of(mm, gpa, len);

	if (!s || !mm->host)
		return NULL;
	return mm->host + s->host_offset + (gpa - s->gpa);
}

uint64_t memmap_ram_left(const struct memmap *mm, uint64_t gpa)
{
	const struct mem_slot *s = slot_of(mm, gpa, 0);

	return s ? s->size - (gpa - s->gpa) : 0;
}

uint64_t memmap_ram_end(const struct memmap *mm)
{
	const struct mem_slot *s = &mm->slots[mm->nr_slots - 1];

	return s->gpa + s->size;
}

const char *memmap_kind_name(enum mem_kind kind)
{
	switch (kind) {
	case MEM_KIND_RESERVED: return "reserved";
	case MEM_KIND_STACK:    return "stack";
	case MEM_KIND_IMAGE:    return "image";
	case MEM_KIND_INPUT:    return "input";
	}
	return "?";
}

static unsigned chunks_for(uint64_t size, uint64_t chunk)
{
	return (unsigned)((size + chunk - 1) / chunk);
}

int memmap_set_chunks(struct memmap *mm, unsigned max_chunks, struct error *err)
{
	uint64_t chunk = MEMMAP_CHUNK_MIN;
	uint64_t low = mm->slots[0].size;
	uint64_t high = mm->nr_slots > 1 ? mm->slots[1].size : 0;
	unsigned split = low > MEMMAP_BOOT_CHUNK;       /* struct memmap */
	uint64_t tail = mm->high_pd_gpa & ~(MEMMAP_BOOT_CHUNK - 1);

	if (!high || tail <= mm->slots[1].gpa)
		tail = 0;
	if (tail)               /* the grid covers what lies below the tail */
		high = tail - mm->slots[1].gpa;
	if (max_chunks > MEMMAP_MAX_CHUNKS)
		max_chunks = MEMMAP_MAX_CHUNKS;
	while (chunks_for(low, chunk) + split + chunks_for(high, chunk) + !!tail > max_chunks) {
		if (chunk >= (1ULL << 40))
			return error_set(err, "guest RAM needs more than %u memory slots",
				       max_chunks);
		chunk *= 2;
	}
	mm->chunk_size = chunk;
	mm->boot_chunk = split ? MEMMAP_BOOT_CHUNK : 0;
	mm->tail_gpa = tail;
	mm->chunks_low = chunks_for(low, chunk) + split;
	mm->nr_chunks = mm->chunks_low + chunks_for(high, chunk) + !!tail;
	memset(mm->chunk_mapped, 0, sizeof(mm->chunk_mapped));
	return 0;
}

/*
 * Chunks of a slot lie on a grid of chunk_size from its start; with a boot
 * chunk, low RAM's first cell is two chunks, so the cells after it are
 * numbered one higher.  The tail chunk, if any, is the last of all.
 */
bool memmap_chunk_of(const struct memmap *mm, uint64_t gpa, unsigned *index)
{
	const struct mem_slot *s = slot_of(mm, gpa, 0);
	uint64_t cell;

	if (!s || !mm->chunk_size)
		return false;
	cell = (gpa - s->gpa) / mm->chunk_size;
	if (s != &mm->slots[0] && mm->tail_gpa && gpa >= mm->tail_gpa)
		*index = mm->nr_chunks - 1;
	else if (s != &mm->slots[0])
		*index = mm->chunks_low + (unsigned)cell;
	else if (mm->boot_chunk)
		*index = gpa < mm->boot_chunk ? 0 : (unsigned)cell + 1;
	else
		*index = (unsigned)cell;
	return true;
}

struct mem_slot memmap_chunk(const struct memmap *mm, unsigned index)
{
	bool low = index < mm->chunks_low;
	const struct mem_slot *s = &mm->slots[low ? 0 : 1];
	uint64_t cell = low ? index : index - mm->chunks_low;
	uint64_t start, end, size = s->size;

	if (!low && mm->tail_gpa) {
		if (index == mm->nr_chunks - 1)
			return (struct mem_slot){
				.gpa = mm->tail_gpa, .size = s->gpa + s->size - mm->tail_gpa,
				.host_offset = s->host_offset + (mm->tail_gpa - s->gpa),
			};
		size = mm->tail_gpa - s->gpa;   /* the grid ends at the tail */
	}
	if (low && mm->boot_chunk) {
		if (index == 0)
			return (struct mem_slot){ .gpa = s->gpa, .size = mm->boot_chunk,
						  .host_offset = s->host_offset };
		cell--;
	}
	start = cell * mm->chunk_size;
	end = start + mm->chunk_size < size ? start + mm->chunk_size : size;
	if (low && mm->boot_chunk && start < mm->boot_chunk)
		start = mm->boot_chunk;
	return (struct mem_slot){
		.gpa = s->gpa + start, .size = end - start,
		.host_offset = s->host_offset + start,
	};
}

bool memmap_chunk_is_mapped(const struct memmap *mm, unsigned index)
{
	return index < mm->nr_chunks &&
	       (mm->chunk_mapped[index / 64] >> (index % 64)) & 1;
}

void memmap_chunk_set_mapped(struct memmap *mm, unsigned index)
{
	if (index < mm->nr_chunks)
		mm->chunk_mapped[index / 64] |= 1ULL << (index % 64);
}

void memmap_clear_regions(struct memmap *mm)
{
	mm->nr_regions = 0;
	mm->high_pd_gpa = 0;
}
