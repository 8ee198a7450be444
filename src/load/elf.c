/* SPDX-License-Identifier: MIT */
/* ELF executables: checked, then loaded (elf.h). */
#include "load/elf.h"

#include <elf.h>
#include <string.h>

#include "kvmrun/abi.h"

#define MAX_PHDRS       256     /* program headers read at most */

/* The header fields kvmrun uses, the same for both classes. */
struct ehdr {
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};

static int read_ehdr(const struct image_source *src, unsigned elf_class,
		     struct ehdr *h, struct error *err)
{
	unsigned char ident[EI_NIDENT];

	if (source_read(src, 0, ident, sizeof(ident), "its ELF identification", err) < 0)
		return -1;
	if (memcmp(ident, ELFMAG, SELFMAG) != 0)
		return error_set(err, "image %s is not an ELF file", src->name);
	if (ident[EI_CLASS] != elf_class)
		return error_set(err, "image %s is an ELF%s file where an ELF%s one is "
				 "needed", src->name, ident[EI_CLASS] == ELFCLASS32 ? "32" :
				 ident[EI_CLASS] == ELFCLASS64 ? "64" : " (unknown class)",
				 elf_class == ELFCLASS32 ? "32" : "64");
	if (ident[EI_DATA] != ELFDATA2LSB || ident[EI_VERSION] != EV_CURRENT)
		return error_set(err, "image %s is not a little-endian ELF file of "
				 "version 1", src->name);
	if (elf_class == ELFCLASS64) {
		Elf64_Ehdr e;

		if (source_read(src, 0, &e, sizeof(e), "its ELF header", err) < 0)
			return -1;
		*h = (struct ehdr){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
				    e.e_entry, e.e_phoff };
		if (h->phentsize != sizeof(Elf64_Phdr))
			return error_set(err, "image %s: program headers of %u bytes, not %zu",
					 src->name, h->phentsize, sizeof(Elf64_Phdr));
	} else {
		Elf32_Ehdr e;

		if (source_read(src, 0, &e, sizeof(e), "its ELF header", err) < 0)
			return -1;
		*h = (struct ehdr){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
				    e.e_entry, e.e_phoff };
		if (h->phentsize != sizeof(Elf32_Phdr))
			return error_set(err, "image %s: program headers of %u bytes, not %zu",
					 src->name, h->phentsize, sizeof(Elf32_Phdr));
	}
	if (h->machine != (elf_class == ELFCLASS64 ? EM_X86_64 : EM_386))
		return error_set(err, "image %s is an ELF file for machine %u, not %s",
				 src->name, h->machine,
				 elf_class == ELFCLASS64 ? "x86-64" : "i386");
	if (h->type != ET_EXEC)
		return error_set(err, "image %s is an ELF file of type %u, not an executable "
				 "(ET_EXEC): link it with -static -no-pie and a fixed "
				 "address (guests/guest.ld)", src->name, h->type);
	if (h->phnum == 0)
		return error_set(err, "image %s has no program headers: nothing to load",
				 src->name);
	if (h->phnum >= PN_XNUM)
		return error_set(err, "image %s counts its program headers in a section "
				 "header (extended numbering), which kvmrun does not read",
				 src->name);
	if (h->phnum > MAX_PHDRS)
		return error_set(err, "image %s has %u program headers (kvmrun reads at most %d)",
				 src->name, h->phnum, MAX_PHDRS);
	return 0;
}

/* Program header i, in the 64-bit layout whatever the class. */
static int read_phdr(const struct image_source *src, unsigned elf_class,
		     const struct ehdr *h, unsigned i, Elf64_Phdr *p, struct error *err)
{
	uint64_t at = h->phoff + (uint64_t)i * h->phentsize;

	if (h->phoff > src->size)
		return error_set(err, "image %s is truncated: its program headers start at "
				 "%#llx, past its end", src->name, (unsigned long long)h->phoff);
	if (elf_class == ELFCLASS64)
		return source_read(src, at, p, sizeof(*p), "its program headers", err);
	Elf32_Phdr q;

	if (source_read(src, at, &q, sizeof(q), "its program headers", err) < 0)
		return -1;
	*p = (Elf64_Phdr){
		.p_type = q.p_type, .p_flags = q.p_flags, .p_offset = q.p_offset,
		.p_vaddr = q.p_vaddr, .p_paddr = q.p_paddr, .p_filesz = q.p_filesz,
		.p_memsz = q.p_memsz, .p_align = q.p_align,
	};
	return 0;
}

/* One PT_LOAD segment's own checks (SysV ABI, "Program Header"). */
static int check_segment(const struct image_source *src, unsigned elf_class,
			 unsigned i, const Elf64_Phdr *p, struct error *err)
{
	uint64_t addr = p->p_paddr ? p->p_paddr : p->p_vaddr;
	uint64_t limit = elf_class == ELFCLASS32 ? 0x100000000ULL : 0;

	if (p->p_filesz > p->p_memsz)
		return error_set(err, "image %s: segment %u has more bytes in the file "
				 "(%#llx) than in memory (%#llx)", src->name, i,
				 (unsigned long long)p->p_filesz,
				 (unsigned long long)p->p_memsz);
	if (!source_has(src, p->p_offset, p->p_filesz))
		return error_set(err, "image %s is truncated: segment %u (%#llx bytes at "
				 "offset %#llx) goes past its end (%llu bytes)", src->name, i,
				 (unsigned long long)p->p_filesz,
				 (unsigned long long)p->p_offset,
				 (unsigned long long)src->size);
	if (addr + p->p_memsz < addr || (limit && addr + p->p_memsz > limit))
		return error_set(err, "image %s: segment %u (%#llx bytes at %#llx) wraps "
				 "around the end of the address space", src->name, i,
				 (unsigned long long)p->p_memsz, (unsigned long long)addr);
	if (p->p_vaddr + p->p_memsz < p->p_vaddr || (limit && p->p_vaddr + p->p_memsz > limit))
		return error_set(err, "image %s: segment %u (%#llx bytes at virtual %#llx) "
				 "wraps around the end of the address space", src->name, i,
				 (unsigned long long)p->p_memsz, (unsigned long long)p->p_vaddr);
	if (p->p_align > 1 && (p->p_align & (p->p_align - 1)))
		return error_set(err, "image %s: segment %u has an alignment of %#llx, "
				 "not a power of two", src->name, i,
				 (unsigned long long)p->p_align);
	if (p->p_align > 1 && p->p_vaddr % p->p_align != p->p_offset % p->p_align)
		return error_set(err, "image %s: segment %u is misaligned: its address "
				 "%#llx and file offset %#llx differ modulo its alignment "
				 "%#llx", src->name, i, (unsigned long long)p->p_vaddr,
				 (unsigned long long)p->p_offset,
				 (unsigned long long)p->p_align);
	return 0;
}

int elf_parse(const struct image_source *src, unsigned elf_class,
	      struct elf_image *elf, struct error *err)
{
	struct ehdr h = { 0 };
	unsigned i, j;

	memset(elf, 0, sizeof(*elf));
	elf->elf_class = elf_class;
	if (read_ehdr(src, elf_class, &h, err) < 0)
		return -1;
	elf->entry = h.entry;
	for (i = 0; i < h.phnum; i++) {
		Elf64_Phdr p;
		struct elf_segment *s;

		if (read_phdr(src, elf_class, &h, i, &p, err) < 0)
			return -1;
		if (p.p_type == PT_INTERP || p.p_type == PT_DYNAMIC)
			return error_set(err, "image %s is dynamically linked: link it with "
					 "-static -nostdlib (nothing in a guest can load "
					 "shared libraries)", src->name);
		if (p.p_type != PT_LOAD || p.p_memsz == 0)
			continue;
		if (check_segment(src, elf_class, i, &p, err) < 0)
			return -1;
		if (elf->nr_segments == ELF_MAX_SEGMENTS)
			return error_set(err, "image %s has more than %d loadable segments",
					 src->name, ELF_MAX_SEGMENTS);
		s = &elf->seg[elf->nr_segments++];
		*s = (struct elf_segment){
			.index = i, .addr = p.p_paddr ? p.p_paddr : p.p_vaddr,
			.vaddr = p.p_vaddr, .offset = p.p_offset, .filesz = p.p_filesz,
			.memsz = p.p_memsz, .flags = p.p_flags,
		};
		/* Segments overlapping in memory would load over each other. */
		for (j = 0; j + 1 < elf->nr_segments; j++) {
			const struct elf_segment *t = &elf->seg[j];

			if (s->addr < t->addr + t->memsz && t->addr < s->addr + s->memsz)
				return error_set(err, "image %s: segments %u and %u overlap "
						 "in memory (%#llx-%#llx and %#llx-%#llx)",
						 src->name, t->index, s->index,
						 (unsigned long long)t->addr,
						 (unsigned long long)(t->addr + t->memsz - 1),
						 (unsigned long long)s->addr,
						 (unsigned long long)(s->addr + s->memsz - 1));
		}
		if (elf->nr_segments == 1 || s->addr < elf->lowest)
			elf->lowest = s->addr;
		if (s->addr + s->memsz > elf->end)
			elf->end = s->addr + s->memsz;
	}
	if (!elf->nr_segments)
		return error_set(err, "image %s has no loadable segment", src->name);
	return 0;
}

int elf_load(struct memmap *mm, const struct image_source *src,
	     const struct elf_image *elf, struct error *err)
{
	struct error why;
	unsigned i;

	/* Every segment checked before any is written. */
	for (i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->seg[i];

		if (!memmap_is_ram(mm, s->addr, s->memsz))
			return error_set(err, "image %s: segment %u (%#llx-%#llx) is not in "
					 "guest RAM (RAM ends at %#llx; more with --mem)",
					 src->name, s->index, (unsigned long long)s->addr,
					 (unsigned long long)(s->addr + s->memsz - 1),
					 (unsigned long long)memmap_ram_end(mm));
		if (s->addr < KVMRUN_RESERVED_END && s->addr + s->memsz > KVMRUN_RESERVED_START)
			return error_set(err, "image %s: segment %u (%#llx-%#llx) overlaps "
					 "kvmrun's reserved area (%#x-%#x): link the image "
					 "at %#x or above (a segment just below the code "
					 "often holds only the ELF headers; guests/elf.ld "
					 "leaves them out)", src->name, s->index,
					 (unsigned long long)s->addr,
					 (unsigned long long)(s->addr + s->memsz - 1),
					 KVMRUN_RESERVED_START, KVMRUN_RESERVED_END - 1,
					 KVMRUN_RESERVED_END);
	}
	/* The whole extent is the image's, gaps and .bss included: the boot
	 * information never offers it as free RAM. */
	if (memmap_add(mm, elf->lowest, elf->end - elf->lowest, MEM_KIND_IMAGE, "image",
		       &why) < 0) {
		/* Segments on both sides of the MMIO window or of kvmrun's
		 * area: one region each, then. */
		for (i = 0; i < elf->nr_segments; i++)
			if (memmap_add(mm, elf->seg[i].addr, elf->seg[i].memsz,
				       MEM_KIND_IMAGE, "image", &why) < 0)
				return error_set(err, "image %s: segment %u: %s", src->name,
						 elf->seg[i].index, why.msg);
	}
	for (i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->seg[i];
		uint8_t *to = memmap_gpa(mm, s->addr, s->memsz);

		if (!to)
			return error_set(err, "guest RAM is not mapped");
		if (source_read(src, s->offset, to, s->filesz, "a segment", err) < 0)
			return -1;
		memset(to + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}
