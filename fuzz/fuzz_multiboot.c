/* SPDX-License-Identifier: MIT */
/*
 * multiboot_header and multiboot_load (src/load/multiboot.c) on fuzzed
 * kernels: the input is the file.  Invariants:
 *
 *  - a file imagefmt calls multiboot gets 0 or -1 from multiboot_header,
 *    with a message on -1;
 *  - multiboot_load (4 MiB of pattern-filled RAM with kvmrun's memory map,
 *    a fixed command line, no modules) returns 0 or -1; on 0 the kernel's
 *    extent and the entry lie in RAM below 4 GiB and clear of kvmrun's
 *    area, the information structure at MULTIBOOT_INFO_ADDR has the flags
 *    kvmrun sets, its command line is the one given, its memory map lies
 *    inside the information area and describes RAM in order, and RAM
 *    outside the kernel and that area still holds the pattern.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "imagefmt.h"
#include "kvmrun/abi.h"
#include "load/multiboot.h"
#include "memmap.h"

#define RAM_SIZE        (4u << 20)
#define PATTERN         0xa5
#define CMDLINE         "kernel console=fuzz"

static uint32_t rd32(const struct memmap *mm, uint64_t gpa)
{
	const uint8_t *p = memmap_gpa(mm, gpa, 4);
	uint32_t v;

	FUZZ_CHECK(p != NULL, "%#llx is not RAM", (unsigned long long)gpa);
	memcpy(&v, p, 4);
	return v;
}

static void check_info(const struct memmap *mm, const struct multiboot_boot *boot)
{
	uint32_t mbi = boot->info, mmap, len, off;
	uint64_t prev_end = 0;
	const char *cmd;

	FUZZ_CHECK(mbi == MULTIBOOT_INFO_ADDR, "info at %#x", mbi);
	FUZZ_CHECK(rd32(mm, mbi) == 0x24d, "flags %#x", rd32(mm, mbi));
	cmd = memmap_gpa(mm, rd32(mm, mbi + 16), sizeof(CMDLINE));
	FUZZ_CHECK(cmd && memcmp(cmd, CMDLINE, sizeof(CMDLINE)) == 0, "command line");
	mmap = rd32(mm, mbi + 48);
	len = rd32(mm, mbi + 44);
	FUZZ_CHECK(mmap >= MULTIBOOT_INFO_ADDR && mmap + len <= MULTIBOOT_INFO_END,
		   "memory map outside the information area");
	for (off = 0; off < len; off += 24) {
		uint64_t base, size;

		FUZZ_CHECK(rd32(mm, mmap + off) == 20, "entry size");
		memcpy(&base, memmap_gpa(mm, mmap + off + 4, 8), 8);
		memcpy(&size, memmap_gpa(mm, mmap + off + 12, 8), 8);
		FUZZ_CHECK(base >= prev_end && size > 0, "memory map out of order");
		prev_end = base + size;
	}
	FUZZ_CHECK(rd32(mm, mbi + 20) == 0, "modules");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_ram ram;
	static uint8_t pattern[RAM_SIZE];
	struct image_source src = source_bytes(data, size, "fuzz-kernel");
	struct multiboot_header h;
	struct multiboot_boot boot;
	struct imagefmt f;
	struct memmap mm;
	struct error err;
	int r;

	imagefmt_detect(data, size < IMAGEFMT_HEAD ? size : IMAGEFMT_HEAD, &f);
	if (f.kind != IMAGEFMT_MULTIBOOT)
		return 0;
	memset(err.msg, 'X', sizeof(err.msg));
	r = multiboot_header(&src, f.header_offset, &h, &err);
	FUZZ_CHECK(r == 0 || r == -1, "multiboot_header returned %d", r);
	if (r < 0) {
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) && err.msg[0], "no message");
		return 0;
	}
	if (!ram.buf) {
		fuzz_ram_alloc(&ram, RAM_SIZE);
		memset(pattern, PATTERN, sizeof(pattern));
	}
	FUZZ_CHECK(fuzz_ram_map(&ram, &mm, RAM_SIZE, &err) == 0, "%s", err.msg);
	memset(mm.host, PATTERN, RAM_SIZE);
	r = multiboot_load(&mm, &src, &h, f.elf_type == 2 ? f.elf_class : 0, CMDLINE,
			   NULL, 0, &boot, &err);
	FUZZ_CHECK(r == 0 || r == -1, "multiboot_load returned %d", r);
	if (r == 0) {
		FUZZ_CHECK(boot.kernel_start < boot.kernel_end &&
			   boot.kernel_end <= RAM_SIZE, "kernel outside RAM");
		FUZZ_CHECK(boot.kernel_start >= KVMRUN_RESERVED_END ||
			   boot.kernel_end <= KVMRUN_RESERVED_START, "kernel in kvmrun's area");
		check_info(&mm, &boot);
		/* Only the kernel and the information area were written. */
		memset(mm.host + boot.kernel_start, PATTERN, boot.kernel_end - boot.kernel_start);
		memset(mm.host + MULTIBOOT_INFO_ADDR, PATTERN,
		       MULTIBOOT_INFO_END - MULTIBOOT_INFO_ADDR);
		FUZZ_CHECK(memcmp(mm.host, pattern, RAM_SIZE) == 0,
			   "RAM outside the kernel and the information changed");
	}
	fuzz_ram_unmap(&ram, &mm);
	return 0;
}
