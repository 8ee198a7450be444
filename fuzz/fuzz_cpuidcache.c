/* SPDX-License-Identifier: MIT */
/*
 * cpuid_cache_decode (src/speedups/cpuid_cache.c) on arbitrary file contents.
 *
 * Input: one mode byte, then the bytes of a cache file.  Mode bit 0: the
 * harness first rewrites the file's checksum to the right one (where the
 * size fits the entry count), so that mutations reach the checks behind
 * it; bit 1: the key to compare with is the one in the file, else a fixed
 * key; bits 2-3 pick the room the caller has (1, 8, 64 or 256 entries).
 *
 * Checked: decode succeeds exactly when a reference written from
 * cpuid_cache.h says it should (size, magic, format, entry count within
 * 1..CPUID_CACHE_MAX_ENTRIES and the room, checksum, key, the leaves every
 * x86-64 KVM offers, checked again here); on success the
 * entries are the file's bytes and encoding them again gives back the
 * file exactly; on failure there is a reason.  The file sits at the very
 * end of a heap block of exactly its size, so ASan catches a read past it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "speedups/cpuid_cache.h"

static const struct cpuid_cache_key fixed_key = {
	.boot_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
	.dev = 5, .ino = 1234, .rdev = (10 << 8) | 232,
	.ctime_sec = 1764547200, .ctime_nsec = 123456789,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t rooms[] = { 1, 8, 64, CPUID_CACHE_MAX_ENTRIES };
	struct cpuid_cache_header hdr;
	struct cpuid_cache_key key;
	struct kvm_cpuid_entry2 *out;
	uint8_t mode, *file, *again;
	uint32_t cap, nent = 0xdeadbeef;
	const char *why = NULL;
	bool expect;
	size_t len;
	int r;

	if (size < 1)
		return 0;
	mode = data[0];
	len = size - 1;
	file = malloc(len ? len : 1);
	if (!file)
		return 0;
	memcpy(file, data + 1, len);
	cap = rooms[(mode >> 2) & 3];

	memset(&hdr, 0, sizeof(hdr));
	if (len >= sizeof(hdr))
		memcpy(&hdr, file, sizeof(hdr));
	/* Bit 0: make the checksum right, by encoding the file's own parts. */
	if ((mode & 1) && len >= sizeof(hdr) && hdr.nent >= 1 &&
	    hdr.nent <= CPUID_CACHE_MAX_ENTRIES && len == cpuid_cache_size(hdr.nent)) {
		uint8_t *fixed = malloc(len);

		FUZZ_CHECK(fixed, "malloc");
		FUZZ_CHECK(cpuid_cache_encode(&hdr.key,
					      (const struct kvm_cpuid_entry2 *)(file + sizeof(hdr)),
					      hdr.nent, fixed, len) == len, "encode of a valid size");
		/* Keep the file's own magic and format: only the sum changes. */
		memcpy(&hdr.checksum, fixed + offsetof(struct cpuid_cache_header, checksum),
		       sizeof(hdr.checksum));
		memcpy(file + offsetof(struct cpuid_cache_header, checksum), &hdr.checksum,
		       sizeof(hdr.checksum));
		free(fixed);
	}
	key = (mode & 2) ? hdr.key : fixed_key;

	/* The reference.  The checksum is right exactly when encoding the
	 * file's key and entries (with its magic and format, which encode
	 * writes as the constants) reproduces the file byte for byte. */
	expect = len >= sizeof(hdr) &&
		 memcmp(hdr.magic, CPUID_CACHE_MAGIC, sizeof(hdr.magic)) == 0 &&
		 hdr.format == CPUID_CACHE_FORMAT && hdr.nent >= 1 &&
		 hdr.nent <= CPUID_CACHE_MAX_ENTRIES && len == cpuid_cache_size(hdr.nent) &&
		 hdr.nent <= cap && memcmp(&hdr.key, &key, sizeof(key)) == 0;
	again = malloc(len ? len : 1);
	FUZZ_CHECK(again, "malloc");
	if (expect) {
		const struct kvm_cpuid_entry2 *e =
			(const struct kvm_cpuid_entry2 *)(file + sizeof(hdr));
		/* Seen: the first entry of the leaf was found; then it
		 * alone says (KVM looks leaves up front to back). */
		bool seen0 = false, seen1 = false, seen_ext = false, seen_lm = false;
		bool basic = false, leaf1 = false, ext = false, lm = false;

		FUZZ_CHECK(cpuid_cache_encode(&hdr.key, e, hdr.nent, again, len) == len,
			   "encode");
		expect = memcmp(again, file, len) == 0;
		for (uint32_t i = 0; i < hdr.nent; i++) {
			if (e[i].function == 0 && !seen0) {
				seen0 = true;
				basic = e[i].eax >= 1;
			}
			if (e[i].function == 1 && !seen1)
				seen1 = leaf1 = true;
			if (e[i].function == 0x80000000 && !seen_ext) {
				seen_ext = true;
				ext = e[i].eax >= 0x80000001;
			}
			if (e[i].function == 0x80000001 && !seen_lm) {
				seen_lm = true;
				lm = (e[i].edx >> 29) & 1;
			}
		}
		expect = expect && basic && leaf1 && ext && lm;
	}

	out = malloc((size_t)cap * sizeof(*out));
	FUZZ_CHECK(out, "malloc");
	r = cpuid_cache_decode(file, len, &key, out, cap, &nent, &why);
	FUZZ_CHECK((r == 0) == expect, "decode returned %d, reference says %s", r,
		   expect ? "accept" : "reject");
	if (r == 0) {
		FUZZ_CHECK(nent == hdr.nent, "nent %u, file says %u", nent, hdr.nent);
		FUZZ_CHECK(memcmp(out, file + sizeof(hdr), (size_t)nent * sizeof(*out)) == 0,
			   "entries differ from the file");
		FUZZ_CHECK(cpuid_cache_encode(&key, out, nent, again, len) == len &&
			   memcmp(again, file, len) == 0, "re-encoding differs");
	} else {
		FUZZ_CHECK(why && *why, "no reason for a rejection");
		FUZZ_CHECK(nent == 0xdeadbeef, "nent written on failure");
	}
	free(out);
	free(again);
	free(file);
	return 0;
}
