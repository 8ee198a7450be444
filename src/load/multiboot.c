/* SPDX-License-Identifier: MIT */
/* Multiboot (v1) kernels: header, kernel, modules, information (multiboot.h). */
#include "load/multiboot.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvmrun/abi.h"
#include "load/elf.h"

#define MB_MAGIC                0x1badb002u
#define MB_FLAG_ALIGN_MODULES   (1u << 0)
#define MB_FLAG_MEMORY_INFO     (1u << 1)
#define MB_FLAG_VIDEO_MODE      (1u << 2)
#define MB_FLAG_ADDRESSES       (1u << 16)
#define MB_REQUIRED_KNOWN       (MB_FLAG_ALIGN_MODULES | MB_FLAG_MEMORY_INFO)

/* The information structure's flags (spec 3.3): which fields are valid. */
#define MBI_MEMORY              (1u << 0)
#define MBI_CMDLINE             (1u << 2)
#define MBI_MODULES             (1u << 3)
#define MBI_MMAP                (1u << 6)
#define MBI_LOADER_NAME         (1u << 9)

/* Byte offsets in the information structure (spec 3.3). */
#define MBI_FLAGS               0
#define MBI_MEM_LOWER           4
#define MBI_MEM_UPPER           8
#define MBI_CMDLINE_ADDR        16
#define MBI_MODS_COUNT          20
#define MBI_MODS_ADDR           24
#define MBI_MMAP_LENGTH         44
#define MBI_MMAP_ADDR           48
#define MBI_LOADER_NAME_ADDR    64
#define MBI_SIZE                120     /* with the framebuffer fields, rounded */

#define MB_MMAP_AVAILABLE       1
#define MB_MMAP_RESERVED        2

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int multiboot_header(const struct image_source *src, uint32_t offset,
		     struct multiboot_header *h, struct error *err)
{
	uint8_t b[32];
	uint32_t required;
	unsigned bit;

	memset(h, 0, sizeof(*h));
	if (source_read(src, offset, b, 12, "its multiboot header", err) < 0)
		return -1;
	h->offset = offset;
	h->flags = le32(b + 4);
	if (le32(b) != MB_MAGIC || le32(b) + h->flags + le32(b + 8) != 0)
		return error_set(err, "image %s: no valid multiboot header at %#x",
				 src->name, offset);
	if (h->flags & MB_FLAG_VIDEO_MODE)
		return error_set(err, "image %s is a multiboot kernel that asks for a "
				 "video mode (header flag 2): kvmrun has no display",
				 src->name);
	required = h->flags & 0xffff & ~MB_REQUIRED_KNOWN;
	if (required) {
		for (bit = 0; !(required & (1u << bit)); bit++)
			;
		return error_set(err, "image %s is a multiboot kernel that requires "
				 "feature %u (header flag bit %u), which kvmrun does "
				 "not know", src->name, bit, bit);
	}
	if (!(h->flags & MB_FLAG_ADDRESSES))
		return 0;
	/* The whole header, address fields included, lies in the first 8 KiB
	 * (spec 3.1.1). */
	if (offset + 32 > 8192)
		return error_set(err, "image %s: the multiboot header at %#x gives load "
				 "addresses (flag 16) that go past the first 8 KiB",
				 src->name, offset);
	if (source_read(src, offset, b, 32, "its multiboot header's address fields",
			err) < 0)
		return -1;
	h->header_addr = le32(b + 12);
	h->load_addr = le32(b + 16);
	h->load_end_addr = le32(b + 20);
	h->bss_end_addr = le32(b + 24);
	h->entry_addr = le32(b + 28);
	return 0;
}

/*
 * The a.out kludge (header flag 16): the file from the offset that lands
 * at load_addr, up to load_end_addr (0: the end of the file), then zeros
 * up to bss_end_addr (0: none).  Checked whole before anything is written.
 */
static int load_kludge(struct memmap *mm, const struct image_source *src,
		       const struct multiboot_header *h, struct multiboot_boot *boot,
		       struct error *err)
{
	uint64_t skip = (uint64_t)h->header_addr - h->load_addr;
	uint64_t start, size, end;

	if (h->header_addr < h->load_addr || skip > h->offset)
		return error_set(err, "image %s: multiboot header_addr %#x and load_addr "
				 "%#x do not match the header's place in the file (%#x)",
				 src->name, h->header_addr, h->load_addr, h->offset);
	start = h->offset - skip;
	size = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr
				: src->size - start;
	if (h->load_end_addr && h->load_end_addr <= h->load_addr)
		return error_set(err, "image %s: multiboot load_end_addr %#x is not above "
				 "load_addr %#x", src->name, h->load_end_addr, h->load_addr);
	if (!source_has(src, start, size))
		return error_set(err, "image %s is truncated: the multiboot kernel's %#llx "
				 "bytes from offset %#llx go past its end", src->name,
				 (unsigned long long)size, (unsigned long long)start);
	end = h->bss_end_addr ? h->bss_end_addr : h->load_addr + size;
	if (end < h->load_addr + size)
		return error_set(err, "image %s: multiboot bss_end_addr %#x is below the "
				 "end of the loaded kernel", src->name, h->bss_end_addr);
	if (h->entry_addr < h->load_addr || h->entry_addr >= end)
		return error_set(err, "image %s: multiboot entry_addr %#x is outside the "
				 "kernel (%#x-%#llx)", src->name, h->entry_addr, h->load_addr,
				 (unsigned long long)end - 1);
	if (memmap_add(mm, h->load_addr, end - h->load_addr, MEM_KIND_IMAGE, "kernel",
		       err) < 0 ||
	    source_read(src, start, memmap_gpa(mm, h->load_addr, size), size,
			"the kernel", err) < 0)
		return -1;
	if (end > h->load_addr + size)         /* the bss */
		memset(memmap_gpa(mm, h->load_addr + size, end - h->load_addr - size), 0,
		       end - h->load_addr - size);
	boot->entry = h->entry_addr;
	boot->kernel_start = h->load_addr;
	boot->kernel_end = end;
	return 0;
}

/* An ELF kernel: its segments; the entry translated to where it was put. */
static int load_elf_kernel(struct memmap *mm, const struct image_source *src,
			   unsigned elf_class, struct multiboot_boot *boot,
			   struct error *err)
{
	struct elf_image elf;
	uint64_t entry;
	unsigned i;

	if (elf_parse(src, elf_class, &elf, err) < 0 || elf_load(mm, src, &elf, err) < 0)
		return -1;
	/* A kernel linked high but loaded low (p_vaddr != p_paddr) is entered
	 * at the physical address of its entry point, as GRUB does. */
	for (i = 0; i < elf.nr_segments; i++)
		if (elf.entry >= elf.seg[i].vaddr &&
		    elf.entry - elf.seg[i].vaddr < elf.seg[i].memsz)
			break;
	if (i == elf.nr_segments)
		return error_set(err, "image %s: the multiboot kernel's entry point %#llx is "
				 "not in any of its segments", src->name,
				 (unsigned long long)elf.entry);
	entry = elf.entry - elf.seg[i].vaddr + elf.seg[i].addr;
	if (entry >= 0x100000000ULL || elf.end > 0x100000000ULL)
		return error_set(err, "image %s: a multiboot kernel must lie below 4 GiB "
				 "(its entry is %#llx)", src->name, (unsigned long long)entry);
	boot->entry = (uint32_t)entry;
	boot->kernel_start = elf.lowest;
	boot->kernel_end = elf.end;
	return 0;
}

/* Writes into the information area, bounds-checked. */
struct info_area {
	struct memmap *mm;
	uint32_t next;          /* first free byte */
};

static int area_put(struct info_area *a, const void *data, uint32_t len, uint32_t *at,
		    struct error *err)
{
	uint8_t *p;

	a->next = (a->next + 7) & ~7u;
	if (len > MULTIBOOT_INFO_END - a->next)
		return error_set(err, "the multiboot information (command line, module "
				 "strings) does not fit in %u bytes",
				 MULTIBOOT_INFO_END - MULTIBOOT_INFO_ADDR);
	p = memmap_gpa(a->mm, a->next, len);
	if (!p)
		return error_set(err, "guest RAM is not mapped");
	memcpy(p, data, len);
	*at = a->next;
	a->next += len;
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A module file: its bytes at addr (in RAM, checked by the caller). */
static int load_module(struct memmap *mm, const struct config_module *mod, uint64_t addr,
		       uint64_t *size, struct error *err)
{
	char path[PATH_MAX];
	struct image_source src;
	struct stat st;
	int fd, r = -1;

	if (mod->path_len == 0)
		return error_set(err, "--module: a file name is needed");
	if (mod->path_len >= sizeof(path))
		return error_set(err, "--module: the file name is longer than %zu bytes",
				 sizeof(path) - 1);
	memcpy(path, mod->path, mod->path_len);
	path[mod->path_len] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return error_errno(err, errno, "--module %s", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		error_set(err, "--module %s is not a regular file", path);
		goto out;
	}
	*size = (uint64_t)st.st_size;
	if (memmap_add(mm, addr, *size ? *size : 1, MEM_KIND_IMAGE, "module", err) < 0) {
		struct error why = *err;

		error_set(err, "--module %s: %s", path, why.msg);
		goto out;
	}
	src = (struct image_source){ .name = path, .size = *size, .fd = fd };
	r = source_read(&src, 0, memmap_gpa(mm, addr, *size ? *size : 1), *size,
			"the module", err);
out:
	close(fd);
	return r;
}

/* The memory map: RAM available but for kvmrun's area (spec 3.3). */
static int write_mmap(struct info_area *a, struct memmap *mm, uint8_t *mbi,
		      struct error *err)
{
	uint8_t e[24 * 4];
	unsigned n = 0, i;
	uint32_t at;

	struct { uint64_t base, len; uint32_t type; } r[4] = {
		{ 0, KVMRUN_RESERVED_START, MB_MMAP_AVAILABLE },
		{ KVMRUN_RESERVED_START, KVMRUN_RESERVED_END - KVMRUN_RESERVED_START,
		  MB_MMAP_RESERVED },
		{ KVMRUN_RESERVED_END, mm->slots[0].size - KVMRUN_RESERVED_END,
		  MB_MMAP_AVAILABLE },
		{ mm->nr_slots > 1 ? mm->slots[1].gpa : 0,
		  mm->nr_slots > 1 ? mm->slots[1].size : 0, MB_MMAP_AVAILABLE },
	};
	for (i = 0; i < 4; i++) {
		if (!r[i].len)
			continue;
		put32(e + 24 * n, 20);  /* size: the rest of the entry */
		memcpy(e + 24 * n + 4, &r[i].base, 8);
		memcpy(e + 24 * n + 12, &r[i].len, 8);
		put32(e + 24 * n + 20, r[i].type);
		n++;
	}
	if (area_put(a, e, 24 * n, &at, err) < 0)
		return -1;
	put32(mbi + MBI_MMAP_LENGTH, 24 * n);
	put32(mbi + MBI_MMAP_ADDR, at);
	return 0;
}

int multiboot_load(struct memmap *mm, const struct image_source *src,
		   const struct multiboot_header *h, unsigned elf_class,
		   const char *cmdline, const struct config_module *modules,
		   unsigned nr_modules, struct multiboot_boot *boot, struct error *err)
{
	struct info_area a = { .mm = mm, .next = MULTIBOOT_INFO_ADDR + MBI_SIZE };
	uint8_t *mbi = memmap_gpa(mm, MULTIBOOT_INFO_ADDR, MBI_SIZE);
	uint8_t mods[16 * CONFIG_MAX_MODULES];
	uint64_t next, low_kb, upper_end;
	uint32_t at;
	unsigned i;

	if (!mbi)
		return error_set(err, "guest RAM is not mapped");
	memset(boot, 0, sizeof(*boot));
	if ((h->flags & MB_FLAG_ADDRESSES) ? load_kludge(mm, src, h, boot, err) < 0 :
	    elf_class ? load_elf_kernel(mm, src, elf_class, boot, err) < 0 :
	    error_set(err, "image %s is a multiboot kernel that is neither ELF nor "
		      "gives its load addresses (header flag 16)", src->name) < 0)
		return -1;

	memset(mbi, 0, MBI_SIZE);
	/* Memory: KiB from 0 (at most 640) and from 1 MiB up to the first hole. */
	low_kb = mm->slots[0].size >= 0xa0000 ? 640 : mm->slots[0].size / 1024;
	upper_end = mm->slots[0].size;
	put32(mbi + MBI_MEM_LOWER, (uint32_t)low_kb);
	put32(mbi + MBI_MEM_UPPER, upper_end > 0x100000 ?
	      (uint32_t)((upper_end - 0x100000) / 1024) : 0);
	if (area_put(&a, cmdline, (uint32_t)strlen(cmdline) + 1, &at, err) < 0)
		return -1;
	put32(mbi + MBI_CMDLINE_ADDR, at);
	if (area_put(&a, "kvmrun", 7, &at, err) < 0)
		return -1;
	put32(mbi + MBI_LOADER_NAME_ADDR, at);
	if (write_mmap(&a, mm, mbi, err) < 0)
		return -1;

	/* Modules after the kernel, each on a page boundary. */
	next = (boot->kernel_end + 0xfff) & ~0xfffULL;
	memset(mods, 0, sizeof(mods));
	for (i = 0; i < nr_modules; i++) {
		uint64_t size;
		uint32_t str;

		if (load_module(mm, &modules[i], next, &size, err) < 0)
			return -1;
		if (next + size > 0x100000000ULL)
			return error_set(err, "--module: the modules go past 4 GiB");
		if (area_put(&a, modules[i].string, (uint32_t)strlen(modules[i].string) + 1,
			     &str, err) < 0)
			return -1;
		put32(mods + 16 * i, (uint32_t)next);
		put32(mods + 16 * i + 4, (uint32_t)(next + size));     /* exclusive */
		put32(mods + 16 * i + 8, str);
		next = (next + size + 0xfff) & ~0xfffULL;
	}
	if (area_put(&a, mods, 16 * (nr_modules ? nr_modules : 1), &at, err) < 0)
		return -1;
	put32(mbi + MBI_MODS_COUNT, nr_modules);
	put32(mbi + MBI_MODS_ADDR, at);
	put32(mbi + MBI_FLAGS, MBI_MEMORY | MBI_CMDLINE | MBI_MODULES | MBI_MMAP |
	      MBI_LOADER_NAME);
	boot->info = MULTIBOOT_INFO_ADDR;
	return 0;
}
