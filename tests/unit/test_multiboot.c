/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for load/multiboot.c: the header's checks, and a kernel with
 * the a.out-kludge address fields loaded into guest RAM with a module,
 * its information structure read back field by field (Multiboot
 * Specification 0.6.96, 3.1 and 3.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_ram.h"
#include "kvmrun/abi.h"
#include "load/multiboot.h"
#include "test.h"

#define RAM     (4u << 20)

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const struct memmap *mm, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, memmap_gpa(mm, gpa, 4), 4);
	return v;
}

/* A kernel file: the header at 0x10 with flags, then code; with flag 16,
 * address fields for a load at 0x100000 and 0x1000 bytes of bss. */
static size_t make_kernel(uint8_t *buf, uint32_t flags)
{
	memset(buf, 0x90, 0x200);
	put32(buf + 0x10, 0x1badb002);
	put32(buf + 0x14, flags);
	put32(buf + 0x18, -(0x1badb002u + flags));
	put32(buf + 0x1c, 0x100010);    /* header_addr */
	put32(buf + 0x20, 0x100000);    /* load_addr */
	put32(buf + 0x24, 0x100200);    /* load_end_addr */
	put32(buf + 0x28, 0x101200);    /* bss_end_addr */
	put32(buf + 0x2c, 0x100040);    /* entry_addr */
	return 0x200;
}

TEST(multiboot_header_checks)
{
	uint8_t buf[0x200];
	struct multiboot_header h;
	struct error err = { "" };
	struct image_source src = source_bytes(buf, make_kernel(buf, 0x10002), "k");

	TEST_REQUIRE(multiboot_header(&src, 0x10, &h, &err) == 0);
	TEST_EQ(h.load_addr, 0x100000);
	TEST_EQ(h.entry_addr, 0x100040);
	buf[0x18] ^= 1;                         /* checksum */
	TEST_EQ(multiboot_header(&src, 0x10, &h, &err), -1);
	TEST_CONTAINS(err.msg, "no valid multiboot header at 0x10");
	make_kernel(buf, 0x4);                  /* a video mode */
	TEST_EQ(multiboot_header(&src, 0x10, &h, &err), -1);
	TEST_CONTAINS(err.msg, "asks for a video mode");
	make_kernel(buf, 0x20);                 /* an unknown required bit */
	TEST_EQ(multiboot_header(&src, 0x10, &h, &err), -1);
	TEST_CONTAINS(err.msg, "requires feature 5");
}

TEST(multiboot_kludge_kernel_module_and_information)
{
	uint8_t buf[0x200];
	char modpath[] = "/tmp/kvmrun-test-module-XXXXXX";
	struct config_module mod = { .string = "mod-arg" };
	struct multiboot_header h;
	struct multiboot_boot boot;
	struct memmap mm;
	struct error err = { "" };
	struct image_source src = source_bytes(buf, make_kernel(buf, 0x10002), "k");
	uint32_t mbi, mmap, len, mods;
	int fd = mkstemp(modpath);

	TEST_REQUIRE(fd >= 0);
	TEST_REQUIRE(write(fd, "MODULE", 6) == 6);
	close(fd);
	mod.path = modpath;
	mod.path_len = strlen(modpath);
	TEST_REQUIRE(guest_ram_init(&mm, RAM) == 0);
	memset(mm.host, 0xee, RAM);
	TEST_REQUIRE(multiboot_header(&src, 0x10, &h, &err) == 0);
	TEST_REQUIRE(multiboot_load(&mm, &src, &h, 0, "k console=x", &mod, 1, &boot, &err) == 0);
	unlink(modpath);
	TEST_EQ(boot.entry, 0x100040);
	TEST_EQ(boot.kernel_start, 0x100000);
	TEST_EQ(boot.kernel_end, 0x101200);
	TEST_EQ(((uint8_t *)mm.host)[0x100000], 0x90);
	TEST_EQ(((uint8_t *)mm.host)[0x100200], 0);     /* bss zeroed */
	TEST_EQ(((uint8_t *)mm.host)[0x1011ff], 0);
	mbi = boot.info;
	TEST_EQ(mbi, MULTIBOOT_INFO_ADDR);
	TEST_EQ(get32(&mm, mbi), 0x24d);                /* mem, cmdline, mods, mmap, name */
	TEST_EQ(get32(&mm, mbi + 4), 640);              /* mem_lower, KiB */
	TEST_EQ(get32(&mm, mbi + 8), (RAM - 0x100000) / 1024);
	TEST_STREQ((const char *)memmap_gpa(&mm, get32(&mm, mbi + 16), 12), "k console=x");
	TEST_STREQ((const char *)memmap_gpa(&mm, get32(&mm, mbi + 64), 7), "kvmrun");
	/* The memory map: available, kvmrun's area reserved, available. */
	mmap = get32(&mm, mbi + 48);
	len = get32(&mm, mbi + 44);
	TEST_EQ(len, 3 * 24);
	TEST_EQ(get32(&mm, mmap), 20);
	TEST_EQ(get32(&mm, mmap + 20), 1);
	TEST_EQ(get32(&mm, mmap + 24 + 4), KVMRUN_RESERVED_START);
	TEST_EQ(get32(&mm, mmap + 24 + 20), 2);
	TEST_EQ(get32(&mm, mmap + 48 + 4), KVMRUN_RESERVED_END);
	TEST_EQ(get32(&mm, mmap + 48 + 12), RAM - KVMRUN_RESERVED_END);
	/* The module, page-aligned after the kernel's bss, and its string. */
	TEST_EQ(get32(&mm, mbi + 20), 1);
	mods = get32(&mm, mbi + 24);
	TEST_EQ(get32(&mm, mods), 0x102000);
	TEST_EQ(get32(&mm, mods + 4), 0x102006);
	TEST_CHECK(memcmp(memmap_gpa(&mm, 0x102000, 6), "MODULE", 6) == 0);
	TEST_STREQ((const char *)memmap_gpa(&mm, get32(&mm, mods + 8), 8), "mod-arg");
	guest_ram_free(&mm);
}

TEST(multiboot_kludge_refusals)
{
	uint8_t buf[0x200];
	struct multiboot_header h;
	struct multiboot_boot boot;
	struct memmap mm;
	struct error err = { "" };
	struct image_source src = source_bytes(buf, make_kernel(buf, 0x10002), "k");

	TEST_REQUIRE(guest_ram_init(&mm, RAM) == 0);
	put32(buf + 0x2c, 0x200000);            /* entry outside the kernel */
	put32(buf + 0x18, -(0x1badb002u + 0x10002));
	TEST_REQUIRE(multiboot_header(&src, 0x10, &h, &err) == 0);
	TEST_EQ(multiboot_load(&mm, &src, &h, 0, "k", NULL, 0, &boot, &err), -1);
	TEST_CONTAINS(err.msg, "entry_addr 0x200000 is outside the kernel");
	make_kernel(buf, 0x10002);
	put32(buf + 0x24, 0x100400);            /* more than the file holds */
	TEST_REQUIRE(multiboot_header(&src, 0x10, &h, &err) == 0);
	TEST_EQ(multiboot_load(&mm, &src, &h, 0, "k", NULL, 0, &boot, &err), -1);
	TEST_CONTAINS(err.msg, "is truncated");
	make_kernel(buf, 0x2);                  /* neither ELF nor addresses */
	TEST_REQUIRE(multiboot_header(&src, 0x10, &h, &err) == 0);
	TEST_EQ(multiboot_load(&mm, &src, &h, 0, "k", NULL, 0, &boot, &err), -1);
	TEST_CONTAINS(err.msg, "neither ELF nor gives its load addresses");
	guest_ram_free(&mm);
}

/* A kernel that ends exactly at the end of RAM, without bss (found by a
 * review: the bss memset was handed a NULL pointer). */
TEST(multiboot_kludge_kernel_at_the_end_of_ram)
{
	uint8_t buf[0x200];
	struct multiboot_header h;
	struct multiboot_boot boot;
	struct memmap mm;
	struct error err = { "" };
	struct image_source src = source_bytes(buf, make_kernel(buf, 0x10002), "k");

	put32(buf + 0x1c, RAM - 0x200 + 0x10);  /* header_addr */
	put32(buf + 0x20, RAM - 0x200);         /* load_addr */
	put32(buf + 0x24, 0);                   /* load_end: the end of the file */
	put32(buf + 0x28, 0);                   /* no bss */
	put32(buf + 0x2c, RAM - 0x200 + 0x40);  /* entry_addr */
	TEST_REQUIRE(guest_ram_init(&mm, RAM) == 0);
	TEST_REQUIRE(multiboot_header(&src, 0x10, &h, &err) == 0);
	TEST_EQ(multiboot_load(&mm, &src, &h, 0, "k", NULL, 0, &boot, &err), 0);
	TEST_EQ(boot.kernel_end, RAM);
	TEST_EQ(((uint8_t *)mm.host)[RAM - 1], 0x90);
	guest_ram_free(&mm);
}

const struct test tests_multiboot[] = {
	TEST_ENTRY(multiboot_kludge_kernel_at_the_end_of_ram),
	TEST_ENTRY(multiboot_header_checks),
	TEST_ENTRY(multiboot_kludge_kernel_module_and_information),
	TEST_ENTRY(multiboot_kludge_refusals),
	TEST_END,
};
