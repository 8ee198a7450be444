/* SPDX-License-Identifier: MIT */
/*
 * elf_parse and elf_load (src/load/elf.c) on fuzzed ELF files.  The first
 * input byte picks the class (odd: ELF32 for i386, even: ELF64 for
 * x86-64); the rest is the file.  Invariants:
 *
 *  - elf_parse returns 0 or -1; on 0 every segment it reports has its
 *    file bytes inside the file, p_filesz <= p_memsz, no wrap-around (and
 *    below 4 GiB for ELF32), no overlap with another segment, and the
 *    extent [lowest, end) covers them all;
 *  - elf_load (2 MiB of pattern-filled RAM, kvmrun's memory map) succeeds
 *    exactly when every segment is RAM and clear of kvmrun's reserved
 *    area and of every region already in the map (one region for their
 *    whole extent when that is RAM clear of the others, else one each); on success each
 *    segment holds its file bytes then zeros, and every byte outside the
 *    segments still holds the pattern; on failure RAM is untouched.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "kvmrun/abi.h"
#include "load/elf.h"
#include "memmap.h"

#define RAM_SIZE        (2u << 20)
#define PATTERN         0xa5

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void check_parsed(const struct elf_image *elf, uint64_t size, unsigned cls)
{
	unsigned i, j;

	FUZZ_CHECK(elf->nr_segments >= 1 && elf->nr_segments <= ELF_MAX_SEGMENTS,
		   "%u segments", elf->nr_segments);
	for (i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->seg[i];

		FUZZ_CHECK(s->memsz > 0 && s->filesz <= s->memsz, "segment %u sizes", i);
		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset,
			   "segment %u past the file", i);
		FUZZ_CHECK(s->addr + s->memsz > s->addr, "segment %u wraps", i);
		if (cls == ELFCLASS32)
			FUZZ_CHECK(s->addr + s->memsz <= 0x100000000ULL, "ELF32 past 4 GiB");
		FUZZ_CHECK(s->addr >= elf->lowest && s->addr + s->memsz <= elf->end,
			   "segment %u outside the extent", i);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(!overlaps(s->addr, s->memsz, elf->seg[j].addr,
					     elf->seg[j].memsz), "segments %u and %u overlap", j, i);
	}
}

static void check_load(const struct elf_image *elf, const uint8_t *file, uint64_t size)
{
	static struct fuzz_ram ram;
	static uint8_t pattern[RAM_SIZE];
	struct image_source src = source_bytes(file, size, "fuzz.elf");
	struct memmap mm;
	struct error err;
	bool want = true, extent_ok;
	unsigned i, j, regions;
	uint64_t a;
	int r;

	if (!ram.buf)
		fuzz_ram_alloc(&ram, RAM_SIZE);
	FUZZ_CHECK(fuzz_ram_map(&ram, &mm, RAM_SIZE, &err) == 0, "%s", err.msg);
	memset(mm.host, PATTERN, RAM_SIZE);
	regions = mm.nr_regions;
	for (i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->seg[i];

		if (!memmap_is_ram(&mm, s->addr, s->memsz) ||
		    overlaps(s->addr, s->memsz, KVMRUN_RESERVED_START,
			     KVMRUN_RESERVED_END - KVMRUN_RESERVED_START))
			want = false;
	}
	/* One region for the whole extent if it is RAM clear of the others;
	 * else one region per segment, each clear of the others. */
	extent_ok = memmap_is_ram(&mm, elf->lowest, elf->end - elf->lowest);
	for (j = 0; j < regions; j++)
		if (overlaps(elf->lowest, elf->end - elf->lowest, mm.regions[j].gpa,
			     mm.regions[j].size))
			extent_ok = false;
	if (!extent_ok)
		for (i = 0; i < elf->nr_segments; i++)
			for (j = 0; j < regions; j++)
				if (overlaps(elf->seg[i].addr, elf->seg[i].memsz,
					     mm.regions[j].gpa, mm.regions[j].size))
					want = false;
	r = elf_load(&mm, &src, elf, &err);
	FUZZ_CHECK(r == 0 || r == -1, "elf_load returned %d", r);
	FUZZ_CHECK((r == 0) == want, "elf_load returned %d, the model says %s: %s", r,
		   want ? "ok" : "fail", r ? err.msg : "-");
	if (r == 0) {
		FUZZ_CHECK(mm.nr_regions == regions + (extent_ok ? 1 : elf->nr_segments),
			   "regions");
		for (i = 0; i < elf->nr_segments; i++) {
			const struct elf_segment *s = &elf->seg[i];
			const uint8_t *p = mm.host + s->addr;

			FUZZ_CHECK(memcmp(p, file + s->offset, s->filesz) == 0,
				   "segment %u: not the file's bytes", i);
			for (a = s->filesz; a < s->memsz; a++)
				FUZZ_CHECK(p[a] == 0, "segment %u: byte %#llx not zeroed", i,
					   (unsigned long long)a);
		}
	}
	/* Outside the segments (all of RAM after a failure): the pattern. */
	if (r == 0)
		for (i = 0; i < elf->nr_segments; i++)
			memset(mm.host + elf->seg[i].addr, PATTERN, elf->seg[i].memsz);
	if (!pattern[0])
		memset(pattern, PATTERN, sizeof(pattern));
	FUZZ_CHECK(memcmp(mm.host, pattern, RAM_SIZE) == 0, "RAM outside the segments changed");
	fuzz_ram_unmap(&ram, &mm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image elf;
	struct image_source src;
	struct error err;
	unsigned cls;
	int r;

	if (size < 1)
		return 0;
	cls = data[0] & 1 ? ELFCLASS32 : ELFCLASS64;
	src = source_bytes(data + 1, size - 1, "fuzz.elf");
	memset(err.msg, 'X', sizeof(err.msg));
	r = elf_parse(&src, cls, &elf, &err);
	FUZZ_CHECK(r == 0 || r == -1, "elf_parse returned %d", r);
	if (r < 0) {
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) && err.msg[0],
			   "a refusal without a message");
		return 0;
	}
	check_parsed(&elf, size - 1, cls);
	check_load(&elf, data + 1, size - 1);
	return 0;
}
