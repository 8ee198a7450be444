/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for load/elf.c: ELF images built here byte by byte, one
 * field wrong at a time, each refused with a message naming the problem;
 * and a good one loaded into guest RAM that was filled with a pattern, so
 * that a segment's zeroed tail and the bytes around it are checked.
 */
#include <elf.h>
#include <string.h>

#include "guest_ram.h"
#include "kvmrun/abi.h"
#include "load/elf.h"
#include "test.h"

#define RAM     (4u << 20)

/* An ELF64 executable of up to 4 segments, its bytes in buf. */
struct elfbuf {
	uint8_t buf[0x3000];
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
};

/* Two segments: code (16 bytes at 0x100000) and data (8 bytes from the
 * file, 0x20 in memory, at 0x101000); the entry at 0x100000. */
static void make_elf64(struct elfbuf *e)
{
	memset(e->buf, 0, sizeof(e->buf));
	e->eh = (Elf64_Ehdr *)e->buf;
	e->ph = (Elf64_Phdr *)(e->buf + sizeof(Elf64_Ehdr));
	memcpy(e->eh->e_ident, ELFMAG, SELFMAG);
	e->eh->e_ident[EI_CLASS] = ELFCLASS64;
	e->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh->e_ident[EI_VERSION] = EV_CURRENT;
	e->eh->e_type = ET_EXEC;
	e->eh->e_machine = EM_X86_64;
	e->eh->e_version = EV_CURRENT;
	e->eh->e_entry = 0x100000;
	e->eh->e_phoff = sizeof(Elf64_Ehdr);
	e->eh->e_ehsize = sizeof(Elf64_Ehdr);
	e->eh->e_phentsize = sizeof(Elf64_Phdr);
	e->eh->e_phnum = 2;
	e->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
				 .p_offset = 0x1000, .p_vaddr = 0x100000, .p_paddr = 0x100000,
				 .p_filesz = 16, .p_memsz = 16, .p_align = 0x1000 };
	e->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
				 .p_offset = 0x2000, .p_vaddr = 0x101000, .p_paddr = 0x101000,
				 .p_filesz = 8, .p_memsz = 0x20, .p_align = 0x1000 };
	memset(e->buf + 0x1000, 0xc3, 16);
	memset(e->buf + 0x2000, 0x5a, 8);
}

static int parse(const struct elfbuf *e, size_t size, unsigned cls,
		 struct elf_image *elf, struct error *err)
{
	struct image_source src = source_bytes(e->buf, size, "t.elf");

	return elf_parse(&src, cls, elf, err);
}

TEST(elf_loads_segments_and_zeroes_their_tails)
{
	struct elfbuf e;
	struct elf_image elf;
	struct memmap mm;
	struct error err;
	uint8_t *ram;
	unsigned regions;

	make_elf64(&e);
	TEST_REQUIRE(guest_ram_init(&mm, RAM) == 0);
	regions = mm.nr_regions;
	memset(mm.host, 0xee, RAM);
	TEST_REQUIRE(parse(&e, sizeof(e.buf), ELFCLASS64, &elf, &err) == 0);
	TEST_EQ(elf.nr_segments, 2);
	TEST_EQ(elf.entry, 0x100000);
	TEST_EQ(elf.lowest, 0x100000);
	TEST_EQ(elf.end, 0x101020);
	{
		struct image_source src = source_bytes(e.buf, sizeof(e.buf), "t.elf");

		TEST_REQUIRE(elf_load(&mm, &src, &elf, &err) == 0);
	}
	ram = memmap_gpa(&mm, 0x100000, 0x1020);
	TEST_REQUIRE(ram != NULL);
	TEST_EQ(ram[-1], 0xee);                 /* before the first segment */
	TEST_EQ(ram[0], 0xc3);
	TEST_EQ(ram[15], 0xc3);
	TEST_EQ(ram[16], 0xee);                 /* between the segments */
	TEST_EQ(ram[0x1000], 0x5a);
	TEST_EQ(ram[0x1007], 0x5a);
	TEST_EQ(ram[0x1008], 0);                /* p_memsz - p_filesz zeroed */
	TEST_EQ(ram[0x101f], 0);
	TEST_EQ(ram[0x1020], 0xee);             /* after the last one */
	TEST_EQ(mm.nr_regions, regions + 1);   /* the whole extent */
	guest_ram_free(&mm);
}

/* One thing wrong at a time: the message names it. */
TEST(elf_refusals)
{
	static const struct {
		const char *what;
		const char *needle;
	} cases[] = {
		{ "magic", "is not an ELF file" },
		{ "class", "is an ELF32 file where an ELF64 one is needed" },
		{ "big-endian", "not a little-endian ELF file" },
		{ "machine", "for machine 3, not x86-64" },
		{ "ET_DYN", "of type 3, not an executable (ET_EXEC)" },
		{ "ET_REL", "of type 1, not an executable" },
		{ "phentsize", "program headers of 40 bytes, not 56" },
		{ "no phdrs", "has no program headers" },
		{ "phdrs past end", "its program headers start at 0x100000, past its end" },
		{ "filesz > memsz", "segment 1 has more bytes in the file (0x8) than in memory (0x4)" },
		{ "segment past end", "segment 0 (0x10 bytes at offset 0xfff8) goes past its end" },
		{ "wraps", "segment 1 (0x20 bytes at 0xfffffffffffffff0) wraps around" },
		{ "align", "segment 0 has an alignment of 0x1001, not a power of two" },
		{ "misaligned", "segment 1 is misaligned: its address 0x101008 and file offset 0x2000" },
		{ "overlap", "segments 0 and 1 overlap in memory (0x100000-0x10000f and 0x100008-0x100027)" },
		{ "interp", "is dynamically linked" },
		{ "no load", "has no loadable segment" },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct elfbuf e;
		struct elf_image elf;
		struct error err = { "" };
		const char *w = cases[i].what;

		make_elf64(&e);
		if (!strcmp(w, "magic"))
			e.eh->e_ident[1] = 'X';
		else if (!strcmp(w, "class"))
			e.eh->e_ident[EI_CLASS] = ELFCLASS32;
		else if (!strcmp(w, "big-endian"))
			e.eh->e_ident[EI_DATA] = ELFDATA2MSB;
		else if (!strcmp(w, "machine"))
			e.eh->e_machine = EM_386;
		else if (!strcmp(w, "ET_DYN"))
			e.eh->e_type = ET_DYN;
		else if (!strcmp(w, "ET_REL"))
			e.eh->e_type = ET_REL;
		else if (!strcmp(w, "phentsize"))
			e.eh->e_phentsize = 40;
		else if (!strcmp(w, "no phdrs"))
			e.eh->e_phnum = 0;
		else if (!strcmp(w, "phdrs past end"))
			e.eh->e_phoff = 0x100000;
		else if (!strcmp(w, "filesz > memsz"))
			e.ph[1].p_memsz = 4;
		else if (!strcmp(w, "segment past end"))
			e.ph[0].p_offset = 0xfff8, e.ph[0].p_align = 0x8, e.ph[0].p_vaddr = 0x100000;
		else if (!strcmp(w, "wraps"))
			e.ph[1].p_paddr = e.ph[1].p_vaddr = 0xfffffffffffffff0ULL,
			e.ph[1].p_align = 0x10;
		else if (!strcmp(w, "align"))
			e.ph[0].p_align = 0x1001;
		else if (!strcmp(w, "misaligned"))
			e.ph[1].p_vaddr = e.ph[1].p_paddr = 0x101008;
		else if (!strcmp(w, "overlap"))
			e.ph[1].p_vaddr = e.ph[1].p_paddr = 0x100008, e.ph[1].p_align = 8;
		else if (!strcmp(w, "interp"))
			e.ph[1].p_type = PT_INTERP;
		else if (!strcmp(w, "no load"))
			e.ph[0].p_type = e.ph[1].p_type = PT_NOTE;
		TEST_CHECK_MSG(parse(&e, sizeof(e.buf), ELFCLASS64, &elf, &err) == -1,
			       "%s", w);
		TEST_CHECK_MSG(strstr(err.msg, cases[i].needle) != NULL,
			       "%s: got \"%s\"", w, err.msg);
	}
}

/* Headers cut short: every prefix of the file is refused, none crashes. */
TEST(elf_every_truncation_is_refused)
{
	struct elfbuf e;
	struct elf_image elf;
	struct error err;
	size_t n;

	make_elf64(&e);
	for (n = 0; n < 0x2008; n++)
		TEST_CHECK_MSG(parse(&e, n, ELFCLASS64, &elf, &err) == -1, "%zu bytes", n);
	TEST_EQ(parse(&e, 0x2008, ELFCLASS64, &elf, &err), 0);
}

/* Loading checks RAM, kvmrun's reserved area and other regions. */
TEST(elf_load_refusals)
{
	static const struct {
		uint64_t addr;
		const char *needle;
	} cases[] = {
		{ 0x3ff000, "segment 1 (0x400000-0x40001f) is not in guest RAM (RAM ends at 0x400000" },
		{ 0xe000, "segment 0 (0xe000-0xe00f) overlaps kvmrun's reserved area (0x1000-0xffff)" },
		{ 0x200000, "segment 0: image at 0x200000-0x20000f overlaps the other" },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct elfbuf e;
		struct elf_image elf;
		struct memmap mm;
		struct error err = { "" };
		struct image_source src = source_bytes(e.buf, sizeof(e.buf), "t.elf");

		make_elf64(&e);
		e.ph[0].p_vaddr = e.ph[0].p_paddr = cases[i].addr;
		e.ph[1].p_vaddr = e.ph[1].p_paddr = cases[i].addr + 0x1000;
		TEST_REQUIRE(guest_ram_init(&mm, RAM) == 0);     /* with kvmrun's area */
		TEST_REQUIRE(memmap_add(&mm, 0x200000, 0x1000, MEM_KIND_IMAGE, "other",
					&err) == 0);
		memset(mm.host, 0xee, RAM);
		TEST_REQUIRE(parse(&e, sizeof(e.buf), ELFCLASS64, &elf, &err) == 0);
		TEST_CHECK_MSG(elf_load(&mm, &src, &elf, &err) == -1, "%#llx",
			       (unsigned long long)cases[i].addr);
		TEST_CHECK_MSG(strstr(err.msg, cases[i].needle) != NULL, "got \"%s\"", err.msg);
		/* Nothing was written. */
		TEST_EQ(((uint8_t *)mm.host)[0x100000], 0xee);
		TEST_EQ(((uint8_t *)mm.host)[0x3ff000], 0xee);
		guest_ram_free(&mm);
	}
}

/* p_paddr 0: the segment goes to p_vaddr. */
TEST(elf_paddr_zero_means_vaddr)
{
	struct elfbuf e;
	struct elf_image elf;
	struct error err;

	make_elf64(&e);
	e.ph[0].p_paddr = 0;
	TEST_REQUIRE(parse(&e, sizeof(e.buf), ELFCLASS64, &elf, &err) == 0);
	TEST_EQ(elf.seg[0].addr, 0x100000);
	e.ph[0].p_paddr = 0x300000;     /* linked high, loaded low */
	TEST_REQUIRE(parse(&e, sizeof(e.buf), ELFCLASS64, &elf, &err) == 0);
	TEST_EQ(elf.seg[0].addr, 0x300000);
	TEST_EQ(elf.seg[0].vaddr, 0x100000);
}

/* ELF32 for i386 (multiboot kernels): the same checks, 32-bit layout. */
TEST(elf32_parses)
{
	uint8_t buf[0x2000] = { 0 };
	Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
	Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof(*eh));
	struct image_source src = source_bytes(buf, sizeof(buf), "k.elf");
	struct elf_image elf;
	struct error err = { "" };

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_entry = 0x100010;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	*ph = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = 0x100000,
			    .p_paddr = 0x100000, .p_filesz = 0x100, .p_memsz = 0x400,
			    .p_align = 0x1000 };
	TEST_REQUIRE(elf_parse(&src, ELFCLASS32, &elf, &err) == 0);
	TEST_EQ(elf.entry, 0x100010);
	TEST_EQ(elf.seg[0].memsz, 0x400);
	/* A segment past 4 GiB cannot be ELF32. */
	ph->p_paddr = ph->p_vaddr = 0xfffff000;
	ph->p_offset = 0;
	ph->p_memsz = 0x2000;
	TEST_CHECK(elf_parse(&src, ELFCLASS32, &elf, &err) == -1);
	TEST_CONTAINS(err.msg, "wraps around");
	/* An ELF64 file is not an ELF32 one. */
	eh->e_machine = EM_X86_64;
	ph->p_paddr = ph->p_vaddr = 0x100000;
	TEST_CHECK(elf_parse(&src, ELFCLASS32, &elf, &err) == -1);
	TEST_CONTAINS(err.msg, "not i386");
}

const struct test tests_elf[] = {
	TEST_ENTRY(elf_loads_segments_and_zeroes_their_tails),
	TEST_ENTRY(elf_refusals),
	TEST_ENTRY(elf_every_truncation_is_refused),
	TEST_ENTRY(elf_load_refusals),
	TEST_ENTRY(elf_paddr_zero_means_vaddr),
	TEST_ENTRY(elf32_parses),
	TEST_END,
};
