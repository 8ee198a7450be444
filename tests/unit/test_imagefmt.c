/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for imagefmt.c: crafted file heads in, the kind of file out.
 * Every kind kvmrun refuses, the edges of each rule (alignment, reach,
 * checksums), and flat binaries that must stay flat.
 */
#include <stdint.h>
#include <string.h>

#include "imagefmt.h"
#include "test.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* An ELF header: class (1, 2), type, machine, little-endian. */
static void make_elf(uint8_t *b, unsigned cls, uint16_t type, uint16_t machine)
{
	memset(b, 0, 64);
	memcpy(b, "\177ELF", 4);
	b[4] = (uint8_t)cls;
	b[5] = 1;
	b[6] = 1;
	put16(b + 16, type);
	put16(b + 18, machine);
}

static enum imagefmt_kind kind_of(const uint8_t *b, size_t len)
{
	struct imagefmt f;

	imagefmt_detect(b, len, &f);
	return f.kind;
}

TEST(imagefmt_flat_code_stays_flat)
{
	static const uint8_t hlt[] = { 0xf4 };
	/* The LWN article's real-mode guest: mov dx,0x3f8; add al,bl; ... */
	static const uint8_t lwn[] = { 0xba, 0xf8, 0x03, 0x00, 0xd8, 0x04, 0x30,
				       0xee, 0xb0, 0x0a, 0xee, 0xf4 };
	static const uint8_t hello_start[] = { 0x48, 0x8d, 0x35, 0x1f, 0x00, 0x00, 0x00 };
	struct imagefmt f;

	TEST_EQ(kind_of(hlt, sizeof(hlt)), IMAGEFMT_FLAT);
	TEST_EQ(kind_of(lwn, sizeof(lwn)), IMAGEFMT_FLAT);
	TEST_EQ(kind_of(hello_start, sizeof(hello_start)), IMAGEFMT_FLAT);
	imagefmt_detect(hlt, sizeof(hlt), &f);
	TEST_STREQ(f.what, "a flat binary");
	TEST_EQ(f.elf_class, 0);
}

TEST(imagefmt_elf_kinds)
{
	static const struct {
		unsigned cls; uint16_t type, machine; const char *what, *advice;
	} rows[] = {
		{ 2, 1, 62, "an ELF 64-bit relocatable object for x86-64", "gcc -c" },
		{ 2, 2, 62, "an ELF 64-bit executable for x86-64", "objcopy -O binary" },
		{ 1, 2, 3, "an ELF 32-bit executable for i386", "--mode protected" },
		{ 1, 1, 3, "an ELF 32-bit relocatable object for i386", "gcc -c" },
		{ 2, 2, 183, "an ELF 64-bit executable for AArch64", "x86-64 code only" },
		{ 2, 3, 243, "an ELF 64-bit shared object or position-independent "
			     "executable for RISC-V", "x86-64 code only" },
		{ 2, 4, 62, "an ELF 64-bit core dump for x86-64", "core dump" },
		{ 2, 2, 9999, "an ELF 64-bit executable for machine 9999", "x86-64 code only" },
		{ 2, 77, 62, "an ELF 64-bit file of unknown type for x86-64", "objcopy" },
	};
	uint8_t b[64];
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct imagefmt f;

		make_elf(b, rows[i].cls, rows[i].type, rows[i].machine);
		imagefmt_detect(b, sizeof(b), &f);
		TEST_CHECK_MSG(f.kind == IMAGEFMT_ELF, "row %u", i);
		TEST_STREQ(f.what, rows[i].what);
		TEST_CONTAINS(f.advice, rows[i].advice);
		TEST_EQ(f.elf_class, rows[i].cls);
		TEST_EQ(f.elf_type, rows[i].type);
		TEST_EQ(f.elf_machine, rows[i].machine);
	}
}

/* A big-endian ELF's fields are read in its own byte order. */
TEST(imagefmt_elf_big_endian)
{
	uint8_t b[64];
	struct imagefmt f;

	make_elf(b, 2, 0, 0);
	b[5] = 2;
	b[17] = 2;              /* e_type 2, big-endian */
	b[19] = 22;             /* S/390 */
	imagefmt_detect(b, sizeof(b), &f);
	TEST_EQ(f.elf_type, 2);
	TEST_STREQ(f.what, "an ELF 64-bit executable for S/390");
}

/* A program with PT_INTERP is a Linux program, not a guest. */
TEST(imagefmt_elf_interp_is_a_linux_program)
{
	uint8_t b[64 + 2 * 56];
	struct imagefmt f;

	make_elf(b, 2, 3, 62);
	memset(b + 64, 0, 2 * 56);
	b[32] = 64;             /* e_phoff */
	put16(b + 54, 56);      /* e_phentsize */
	put16(b + 56, 2);       /* e_phnum */
	put32(b + 64, 6);       /* PT_PHDR */
	put32(b + 64 + 56, 3);  /* PT_INTERP */
	imagefmt_detect(b, sizeof(b), &f);
	TEST_CONTAINS(f.advice, "Linux program");
	/* Past the bytes given: not looked at, and not a crash. */
	put16(b + 56, 60000);
	put32(b + 64 + 56, 1);
	imagefmt_detect(b, sizeof(b), &f);
	TEST_CHECK(strstr(f.advice, "Linux program") == NULL);
	b[32] = 0xff;
	b[39] = 0xff;           /* e_phoff near 2^64: no wrap-around */
	imagefmt_detect(b, sizeof(b), &f);
	TEST_EQ(f.kind, IMAGEFMT_ELF);
}

TEST(imagefmt_short_elf_is_truncated_elf)
{
	uint8_t b[64];

	struct imagefmt f;

	make_elf(b, 2, 2, 62);
	TEST_EQ(kind_of(b, 3), IMAGEFMT_FLAT);
	imagefmt_detect(b, 19, &f);
	TEST_EQ(f.kind, IMAGEFMT_ELF);
	TEST_STREQ(f.what, "a truncated ELF file");
	TEST_EQ(kind_of(b, 20), IMAGEFMT_ELF);
}

/* Multiboot v1: magic, flags, checksum summing to 0, 4-aligned, first 8 KiB. */
TEST(imagefmt_multiboot1)
{
	static uint8_t b[IMAGEFMT_HEAD];
	static const size_t offsets[] = { 0, 4, 0x1000, IMAGEFMT_MB1_REACH - 12 };
	struct imagefmt f;
	unsigned i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		memset(b, 0x90, sizeof(b));
		put32(b + offsets[i], IMAGEFMT_MB1_MAGIC);
		put32(b + offsets[i] + 4, 0x00010003);
		put32(b + offsets[i] + 8, 0u - (IMAGEFMT_MB1_MAGIC + 0x00010003));
		imagefmt_detect(b, sizeof(b), &f);
		TEST_CHECK_MSG(f.kind == IMAGEFMT_MULTIBOOT, "offset %zu", offsets[i]);
		TEST_EQ(f.header_offset, offsets[i]);
		TEST_STREQ(f.what, "a multiboot kernel");
		TEST_CONTAINS(f.advice, "multiboot");
	}
	/* Not 4-aligned, past 8 KiB, or a wrong checksum: not multiboot. */
	memset(b, 0, sizeof(b));
	put32(b + 2, IMAGEFMT_MB1_MAGIC);
	put32(b + 10, 0u - IMAGEFMT_MB1_MAGIC);
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_FLAT);
	memset(b, 0, sizeof(b));
	put32(b + IMAGEFMT_MB1_REACH - 8, IMAGEFMT_MB1_MAGIC);
	put32(b + IMAGEFMT_MB1_REACH, 0u - IMAGEFMT_MB1_MAGIC);
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_FLAT);
	memset(b, 0, sizeof(b));
	put32(b + 8, IMAGEFMT_MB1_MAGIC);
	put32(b + 16, 1u - IMAGEFMT_MB1_MAGIC);
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_FLAT);
	/* A header cut off by the end of the file is not one. */
	memset(b, 0, sizeof(b));
	put32(b + 4, IMAGEFMT_MB1_MAGIC);
	put32(b + 12, 0u - IMAGEFMT_MB1_MAGIC);
	TEST_EQ(kind_of(b, 15), IMAGEFMT_FLAT);
	TEST_EQ(kind_of(b, 16), IMAGEFMT_MULTIBOOT);
}

/* A multiboot header inside an ELF file: named as both. */
TEST(imagefmt_multiboot_elf)
{
	static uint8_t b[8192];
	struct imagefmt f;

	memset(b, 0, sizeof(b));
	make_elf(b, 1, 2, 3);
	put32(b + 0x1000, IMAGEFMT_MB1_MAGIC);
	put32(b + 0x1008, 0u - IMAGEFMT_MB1_MAGIC);
	imagefmt_detect(b, sizeof(b), &f);
	TEST_EQ(f.kind, IMAGEFMT_MULTIBOOT);
	TEST_STREQ(f.what, "a multiboot kernel (an ELF 32-bit executable for i386)");
	TEST_EQ(f.elf_class, 1);
	TEST_EQ(f.elf_machine, 3);
}

TEST(imagefmt_multiboot2)
{
	static uint8_t b[IMAGEFMT_HEAD];
	struct imagefmt f;

	memset(b, 0, sizeof(b));
	put32(b + 0x7ff0, IMAGEFMT_MB2_MAGIC);
	put32(b + 0x7ff4, 0);
	put32(b + 0x7ff8, 16);
	put32(b + 0x7ffc, 0u - (IMAGEFMT_MB2_MAGIC + 16));
	imagefmt_detect(b, sizeof(b), &f);
	TEST_EQ(f.kind, IMAGEFMT_MULTIBOOT2);
	TEST_EQ(f.header_offset, 0x7ff0);
	/* Only 8-byte aligned. */
	memset(b, 0, sizeof(b));
	put32(b + 4, IMAGEFMT_MB2_MAGIC);
	put32(b + 12, 16);
	put32(b + 16, 0u - (IMAGEFMT_MB2_MAGIC + 16));
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_FLAT);
}

TEST(imagefmt_linux_pe_mz_gzip)
{
	static uint8_t b[1024];
	struct imagefmt f;

	/* An EFI-stub bzImage starts with MZ: the Linux header wins. */
	memset(b, 0, sizeof(b));
	b[0] = 'M';
	b[1] = 'Z';
	memcpy(b + 0x202, "HdrS", 4);
	put32(b + 0x3c, 0x80);
	memcpy(b + 0x80, "PE\0\0", 4);
	imagefmt_detect(b, sizeof(b), &f);
	TEST_EQ(f.kind, IMAGEFMT_BZIMAGE);
	TEST_CONTAINS(f.advice, "not supported yet");
	memset(b + 0x202, 0, 4);
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_PE);
	put32(b + 0x3c, 0x100000);      /* e_lfanew outside the file */
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_MZ);
	TEST_EQ(kind_of(b, 2), IMAGEFMT_MZ);
	memset(b, 0, sizeof(b));
	b[0] = 0x1f;
	b[1] = 0x8b;
	b[2] = 8;
	TEST_EQ(kind_of(b, 10), IMAGEFMT_GZIP);
}

TEST(imagefmt_script_and_text)
{
	static const char script[] = "#!/usr/bin/env\tpython3\nprint(1)\n";
	static const char text[] = "\t.code64\n_start:\thlt\r\n";
	static const char utf8[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n";
	struct imagefmt f;

	imagefmt_detect((const uint8_t *)script, strlen(script), &f);
	TEST_EQ(f.kind, IMAGEFMT_SCRIPT);
	TEST_STREQ(f.what, "a script (#!/usr/bin/env python3)");
	TEST_EQ(kind_of((const uint8_t *)text, strlen(text)), IMAGEFMT_TEXT);
	TEST_EQ(kind_of((const uint8_t *)utf8, strlen(utf8)), IMAGEFMT_TEXT);
	/* Control bytes, bad UTF-8, a sequence cut off at the end: code. */
	TEST_EQ(kind_of((const uint8_t *)"abc\0def", 7), IMAGEFMT_FLAT);
	TEST_EQ(kind_of((const uint8_t *)"ab\xc3(", 4), IMAGEFMT_FLAT);
	TEST_EQ(kind_of((const uint8_t *)"ab\xc0\x80", 4), IMAGEFMT_FLAT);
	TEST_EQ(kind_of((const uint8_t *)"ab\xe2\x82", 4), IMAGEFMT_FLAT);
	TEST_EQ(kind_of((const uint8_t *)"\xf4", 1), IMAGEFMT_FLAT);
}

/* Text is judged on the first 4 KiB; a sequence the window cuts is fine. */
TEST(imagefmt_text_window)
{
	static uint8_t b[IMAGEFMT_TEXT_REACH + 100];

	memset(b, 'a', sizeof(b));
	b[IMAGEFMT_TEXT_REACH + 10] = 0;        /* past the window */
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_TEXT);
	b[IMAGEFMT_TEXT_REACH - 1] = 0xe2;      /* cut by the window */
	b[IMAGEFMT_TEXT_REACH] = 0x82;
	b[IMAGEFMT_TEXT_REACH + 1] = 0xac;
	TEST_EQ(kind_of(b, sizeof(b)), IMAGEFMT_TEXT);
	TEST_EQ(kind_of(b, IMAGEFMT_TEXT_REACH), IMAGEFMT_FLAT);
	TEST_EQ(kind_of(b, 0), IMAGEFMT_FLAT);
}

const struct test tests_imagefmt[] = {
	TEST_ENTRY(imagefmt_flat_code_stays_flat),
	TEST_ENTRY(imagefmt_elf_kinds),
	TEST_ENTRY(imagefmt_elf_big_endian),
	TEST_ENTRY(imagefmt_elf_interp_is_a_linux_program),
	TEST_ENTRY(imagefmt_short_elf_is_truncated_elf),
	TEST_ENTRY(imagefmt_multiboot1),
	TEST_ENTRY(imagefmt_multiboot_elf),
	TEST_ENTRY(imagefmt_multiboot2),
	TEST_ENTRY(imagefmt_linux_pe_mz_gzip),
	TEST_ENTRY(imagefmt_script_and_text),
	TEST_ENTRY(imagefmt_text_window),
	TEST_END,
};
