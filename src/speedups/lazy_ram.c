/* SPDX-License-Identifier: MIT */
/* Guest RAM handed to KVM a chunk at a time, on first touch (lazy_ram.h). */
#include "speedups/lazy_ram.h"

#include <string.h>

#include "cpu.h"
#include "paging.h"

void lazy_ram_init(struct lazy_ram *lr, struct kvm *kvm, struct memmap *mem)
{
	*lr = (struct lazy_ram){ .kvm = kvm, .mem = mem };
}

/* Hand RAM chunk idx to KVM as memory slot idx, once. */
static int map_chunk(struct lazy_ram *lr, unsigned idx, struct error *err)
{
	struct mem_slot c;

	if (memmap_chunk_is_mapped(lr->mem, idx))
		return 0;
	c = memmap_chunk(lr->mem, idx);
	if (kvm_set_memory(lr->kvm, idx, c.gpa, c.size, lr->mem->host + c.host_offset,
			   err) < 0)
		return -1;
	memmap_chunk_set_mapped(lr->mem, idx);
	lr->chunks_mapped++;
	return 0;
}

int lazy_ram_map(struct lazy_ram *lr, uint64_t gpa, uint64_t len, struct error *err)
{
	unsigned first, last, i;

	if (len == 0 || !memmap_chunk_of(lr->mem, gpa, &first) ||
	    !memmap_chunk_of(lr->mem, gpa + len - 1, &last))
		return error_set(err, "%#llx is not guest RAM", (unsigned long long)gpa);
	for (i = first; i <= last; i++)
		if (map_chunk(lr, i, err) < 0)
			return -1;
	return 0;
}

int lazy_ram_map_all(struct lazy_ram *lr, struct error *err)
{
	unsigned i;

	for (i = 0; i < lr->mem->nr_chunks; i++)
		if (map_chunk(lr, i, err) < 0)
			return -1;
	return 0;
}

int lazy_ram_first_touch(struct lazy_ram *lr, struct kvm_run *run, struct error *err)
{
	uint8_t *p;

	if (!memmap_is_ram(lr->mem, run->mmio.phys_addr, run->mmio.len))
		return 0;
	p = memmap_gpa(lr->mem, run->mmio.phys_addr, run->mmio.len);
	if (lazy_ram_map(lr, run->mmio.phys_addr, run->mmio.len, err) < 0)
		return -1;
	if (run->mmio.is_write)
		memcpy(p, run->mmio.data, run->mmio.len);
	else
		memcpy(run->mmio.data, p, run->mmio.len);
	return 1;
}

/*
 * The code's own chunk if that is missing, else, once, every chunk left,
 * since the data an instruction KVM cannot emulate (an AVX store, say)
 * was going to touch cannot be told from its bytes.
 */
bool lazy_ram_for_emulation(struct lazy_ram *lr)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct error err;
	uint64_t pa;
	unsigned idx;

	if (cpu_get(lr->kvm, &regs, &sregs, &err) < 0)
		return false;
	if (paging_translate(lr->mem, &sregs, regs.rip, &pa) &&
	    memmap_chunk_of(lr->mem, pa, &idx) && !memmap_chunk_is_mapped(lr->mem, idx))
		return lazy_ram_map(lr, pa, 1, &err) == 0;
	if (lr->all_mapped || lr->chunks_mapped == lr->mem->nr_chunks)
		return false;
	lr->all_mapped = true;
	return lazy_ram_map_all(lr, &err) == 0;
}
