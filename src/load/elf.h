/* SPDX-License-Identifier: MIT */
/*
 * ELF executables (the System V ABI's "Object Files" chapter, and its
 * x86-64 supplement): what the program headers ask to be loaded where,
 * checked before a byte of guest RAM is written, and then loaded.
 *
 * kvmrun loads ET_EXEC files for x86-64 (ELF64) and, for multiboot
 * kernels, for i386 (ELF32).  Each PT_LOAD segment goes to its physical
 * address (p_paddr; where that is 0, p_vaddr), its p_filesz bytes from
 * the file and the rest of p_memsz zeroed.  Sections and symbols are not
 * looked at: they stay in the file, for a debugger.
 */
#ifndef KVMRUN_LOAD_ELF_H
#define KVMRUN_LOAD_ELF_H

#include <stdint.h>

#include "error.h"
#include "load/source.h"
#include "memmap.h"

#define ELF_MAX_SEGMENTS        8       /* PT_LOAD segments kvmrun loads */

struct elf_segment {
	unsigned index;         /* its program header's index, for messages */
	uint64_t addr;          /* guest-physical: p_paddr, else p_vaddr */
	uint64_t vaddr;
	uint64_t offset, filesz, memsz;
	uint32_t flags;         /* PF_X, PF_W, PF_R */
};

struct elf_image {
	unsigned elf_class;     /* 1: ELF32, 2: ELF64 */
	uint64_t entry;         /* e_entry */
	unsigned nr_segments;   /* PT_LOAD segments with p_memsz > 0 */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	uint64_t lowest, end;   /* extent of all segments in guest memory */
};

/*
 * Read and check the ELF header and program headers of src: an ELF file
 * of class elf_class (1 or 2) for x86 (i386 for ELF32, x86-64 for
 * ELF64), little-endian, ET_EXEC, statically linked, with at least one
 * loadable segment; every segment's bytes in the file, its p_filesz at
 * most its p_memsz, its addresses without wrap-around, its alignment a
 * power of two that p_vaddr and p_offset agree on, and no two segments
 * overlapping in memory.  Refusals name the segment and say what to do.
 */
int elf_parse(const struct image_source *src, unsigned elf_class,
	      struct elf_image *elf, struct error *err);

/*
 * Load the segments into guest RAM: each must be RAM and clear of
 * kvmrun's reserved area and any other region (it is recorded as an
 * image region of the memory map).  Nothing is written unless all fit.
 */
int elf_load(struct memmap *mm, const struct image_source *src,
	     const struct elf_image *elf, struct error *err);

#endif
