/* SPDX-License-Identifier: MIT */
/*
 * cachetool: change one register of one leaf in a kvmrun CPUID cache file
 * and write the file back with a correct checksum, so that the tests can
 * hand kvmrun a cache that is intact but says something KVM will not take.
 *
 * usage: cachetool FILE LEAF SUBLEAF eax|ebx|ecx|edx SET CLEAR
 *        (numbers in C notation: the register becomes (r | SET) & ~CLEAR)
 *
 * Exits 0 when it rewrote the file, 1 on any error (with a message).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speedups/cpuid_cache.h"

static int fail(const char *what)
{
	fprintf(stderr, "cachetool: %s\n", what);
	return 1;
}

int main(int argc, char **argv)
{
	static uint8_t buf[sizeof(struct cpuid_cache_header) +
			   CPUID_CACHE_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2)];
	struct kvm_cpuid_entry2 entries[CPUID_CACHE_MAX_ENTRIES];
	struct cpuid_cache_header hdr;
	uint32_t leaf, subleaf, set, clear, i;
	size_t len;
	FILE *f;

	if (argc != 7)
		return fail("usage: cachetool FILE LEAF SUBLEAF eax|ebx|ecx|edx SET CLEAR");
	leaf = (uint32_t)strtoul(argv[2], NULL, 0);
	subleaf = (uint32_t)strtoul(argv[3], NULL, 0);
	set = (uint32_t)strtoul(argv[5], NULL, 0);
	clear = (uint32_t)strtoul(argv[6], NULL, 0);
	if (!(f = fopen(argv[1], "rb")))
		return fail(strerror(errno));
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (len < sizeof(hdr))
		return fail("file too short");
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.nent == 0 || hdr.nent > CPUID_CACHE_MAX_ENTRIES ||
	    len != cpuid_cache_size(hdr.nent))
		return fail("not a cache file of a size kvmrun writes");
	memcpy(entries, buf + sizeof(hdr), hdr.nent * sizeof(entries[0]));
	for (i = 0; i < hdr.nent; i++) {
		struct kvm_cpuid_entry2 *e = &entries[i];
		uint32_t *r;

		if (e->function != leaf || e->index != subleaf)
			continue;
		if (!strcmp(argv[4], "eax"))
			r = &e->eax;
		else if (!strcmp(argv[4], "ebx"))
			r = &e->ebx;
		else if (!strcmp(argv[4], "ecx"))
			r = &e->ecx;
		else if (!strcmp(argv[4], "edx"))
			r = &e->edx;
		else
			return fail("register must be eax, ebx, ecx or edx");
		*r = (*r | set) & ~clear;
		break;
	}
	if (i == hdr.nent)
		return fail("no such leaf in the file");
	if (cpuid_cache_encode(&hdr.key, entries, hdr.nent, buf, sizeof(buf)) != len)
		return fail("cannot encode");
	if (!(f = fopen(argv[1], "wb")) || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		return fail("cannot write the file back");
	return 0;
}
