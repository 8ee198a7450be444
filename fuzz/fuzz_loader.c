/* SPDX-License-Identifier: MIT */
/*
 * loader_flat on fuzzed images, RAM sizes and load addresses.
 *
 * Input: an 8-byte header, then the image.
 *   byte 0     flags: bits 0-2 how to pick the load address, bit 3 load the
 *              image a second time (bits 4-6 pick that address), bit 7 a
 *              path that is not a regular file (or does not exist)
 *   bytes 1-2  RAM size: 1 MiB + n * 4 KiB, n modulo 1793 (so 1-8 MiB)
 *   bytes 3-7  raw material for the load addresses
 * The image goes into a memfd; the loader opens /proc/self/fd/N.
 *
 * RAM is filled with a pattern first.  Checked: the loader succeeds
 * exactly when a model of the rules says it should (non-empty regular
 * file, inside RAM, no overlap with kvmrun's reserved area 0x1000-0xffff or
 * the other image); on success the image bytes are in RAM at the load
 * address, the loaded_image and the memory map's new region describe it,
 * and no byte outside the image changed; on failure RAM is untouched and
 * the error says why.  The RAM buffer ends where the allocation ends and
 * the unused space in front of it is poisoned, so ASan reports any access
 * outside guest RAM.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "imagefmt.h"
#include "kvmrun/abi.h"
#include "loader.h"

#define RAM_MAX         (8ULL << 20)
#define HEADER          8

static struct fuzz_ram ram;
static uint8_t *pattern;        /* RAM_MAX bytes: what RAM holds before loading */
static uint8_t *expect;         /* RAM_MAX bytes: what RAM should hold after */
static int image_fd = -1;
static char image_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_ram_alloc(&ram, RAM_MAX);
	pattern = malloc(RAM_MAX);
	expect = malloc(RAM_MAX);
	if (!pattern || !expect)
		abort();
	for (i = 0; i < RAM_MAX; i++) {         /* xorshift: no repeats to hide in */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pattern[i] = (uint8_t)x;
	}
	image_fd = memfd_create("fuzz-image", MFD_CLOEXEC);
	if (image_fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(image_path, sizeof(image_path), "/proc/self/fd/%d", image_fd);
	return 0;
}

/* A load address in one of a few interesting places. */
static uint64_t pick_load(unsigned how, uint64_t raw, uint64_t ram_size,
			  uint64_t size)
{
	int64_t delta = (int8_t)(raw & 0xff) * 16 + (int64_t)((raw >> 8) & 0xf);

	switch (how & 7) {
	case 0: return KVMRUN_DEFAULT_LOAD;
	case 1: return raw % (ram_size + 0x4000);               /* anywhere in RAM, or just past */
	case 2: return ram_size - size + (uint64_t)delta;      /* against the end of RAM */
	case 3: return KVMRUN_RESERVED_END + (uint64_t)delta;  /* against the reserved area */
	case 4: return KVMRUN_RESERVED_START - size + (uint64_t)delta; /* in the null page */
	case 5: return raw * 0x1000 + 0x10000;                  /* page-aligned, maybe huge */
	case 6: return UINT64_MAX - (raw & 0xffff);              /* wrap-around */
	default: return raw << 20;
	}
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Should loading size bytes at load succeed? (RAM is one slot from 0.) */
static bool model_ok(uint64_t ram_size, uint64_t load, uint64_t size,
		     bool have_prev, uint64_t prev, uint64_t prev_size)
{
	if (size == 0 || load >= ram_size || size > ram_size - load)
		return false;
	if (overlaps(load, size, KVMRUN_RESERVED_START,
		     KVMRUN_STACK_TOP - KVMRUN_RESERVED_START))
		return false;
	if (have_prev && overlaps(load, size, prev, prev_size))
		return false;
	return true;
}

/* Is the image flat as far as --format auto is concerned? */
static bool looks_flat(const uint8_t *img, uint64_t size)
{
	struct imagefmt f;

	imagefmt_detect(img, size < IMAGEFMT_HEAD ? (size_t)size : IMAGEFMT_HEAD, &f);
	return f.kind == IMAGEFMT_FLAT;
}

/* An ELF64 executable for x86-64: --format auto hands it to the ELF
 * loader, which fuzz_elf checks; here only "no crash, 0 or -1". */
static bool looks_elf64(const uint8_t *img, uint64_t size)
{
	struct imagefmt f;

	imagefmt_detect(img, size < IMAGEFMT_HEAD ? (size_t)size : IMAGEFMT_HEAD, &f);
	return f.kind == IMAGEFMT_ELF && f.elf_class == 2 && f.elf_machine == 62 &&
	       f.elf_type == 2;
}

static void load_and_check(struct memmap *mm, const char *path, bool regular,
			   enum image_format format, uint64_t load,
			   const uint8_t *img, uint64_t size, bool have_prev,
			   uint64_t prev, uint64_t prev_size, bool *ok_out)
{
	struct loaded_image li;
	struct error err;
	unsigned regions = mm->nr_regions;
	bool want = regular && model_ok(mm->ram_size, load, size, have_prev,
					prev, prev_size) &&
		    (format == IMAGE_FLAT || looks_flat(img, size));
	int r;

	struct load_request req = { .format = format, .load = load, .load_set = true };

	memset(&li, 0xa5, sizeof(li));
	memset(err.msg, 'X', sizeof(err.msg));
	r = loader_file(mm, path, &req, &li, &err);
	FUZZ_CHECK(r == 0 || r == -1, "loader_file returned %d", r);
	if (format == IMAGE_AUTO && looks_elf64(img, size)) {
		*ok_out = r == 0;
		return;
	}
	FUZZ_CHECK((r == 0) == want, "loader_file(load %#llx, %llu bytes, RAM %#llx%s) "
		   "returned %d, the model says %s: %s", (unsigned long long)load,
		   (unsigned long long)size, (unsigned long long)mm->ram_size,
		   have_prev ? ", second image" : "", r, want ? "ok" : "fail",
		   r ? err.msg : "-");
	if (r == 0) {
		FUZZ_CHECK(li.addr == load && li.size == size && li.entry == load,
			   "loaded_image {%#llx, %llu, %#llx} for %llu bytes at %#llx",
			   (unsigned long long)li.addr, (unsigned long long)li.size,
			   (unsigned long long)li.entry, (unsigned long long)size,
			   (unsigned long long)load);
		FUZZ_CHECK(mm->nr_regions == regions + 1, "no region recorded");
		FUZZ_CHECK(mm->regions[regions].gpa == load &&
			   mm->regions[regions].size == size &&
			   mm->regions[regions].kind == MEM_KIND_IMAGE,
			   "image region recorded wrong");
		memcpy(expect + load, img, size);
	} else {
		FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) && err.msg[0],
			   "failure without a message");
		FUZZ_CHECK(mm->nr_regions == regions, "a failed load left a region");
	}
	*ok_out = r == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t flags = fuzz_u8(&in);
	uint64_t ram_size = MEMMAP_MIN_RAM + (uint64_t)(fuzz_u16(&in) % 1793) * MEMMAP_PAGE_SIZE;
	uint64_t raw = fuzz_bytes(&in, 5);
	const uint8_t *img = size > HEADER ? data + HEADER : data + size;
	uint64_t img_size = size > HEADER ? size - HEADER : 0;
	const char *path = image_path;
	bool regular = true, ok1 = false, ok2;
	enum image_format format;
	uint64_t load, load2;
	struct memmap mm;
	struct error err;

	if (flags & 0x80) {
		static const char *const others[] = {
			"/", "/dev/null", "/nonexistent/kvmrun-fuzz", "",
		};
		unsigned which = (unsigned)(raw >> 32) % 5;

		if (which < 4) {        /* else: the memfd after all */
			path = others[which];
			regular = false;
		}
	}
	if (ftruncate(image_fd, 0) < 0 ||
	    (img_size && pwrite(image_fd, img, img_size, 0) != (ssize_t)img_size)) {
		perror("memfd");
		abort();
	}
	FUZZ_CHECK(fuzz_ram_map(&ram, &mm, ram_size, &err) == 0,
		   "memmap_init(%#llx): %s", (unsigned long long)ram_size, err.msg);
	memcpy(ram.host, pattern, ram_size);
	memcpy(expect, pattern, ram_size);

	load = pick_load(flags & 7, raw, ram_size, img_size);
	/* The top bit of the raw address bytes: --format auto, else flat. */
	format = (raw >> 39) & 1 ? IMAGE_AUTO : IMAGE_FLAT;
	load_and_check(&mm, path, regular, format, load, img, img_size, false, 0, 0, &ok1);
	if (flags & 8) {
		load2 = pick_load((flags >> 4) & 7, raw >> 12 ^ raw << 7, ram_size, img_size);
		load_and_check(&mm, path, regular, format, load2, img, img_size, ok1, load,
			       img_size, &ok2);
	}
	if (memcmp(ram.host, expect, ram_size)) {
		size_t i;

		for (i = 0; i < ram_size && ram.host[i] == expect[i]; i++)
			;
		FUZZ_CHECK(0, "RAM differs at %#zx: %#x, want %#x (load %#llx, "
			   "%llu bytes)", i, ram.host[i], expect[i],
			   (unsigned long long)load, (unsigned long long)img_size);
	}
	fuzz_ram_unmap(&ram, &mm);
	return 0;
}
