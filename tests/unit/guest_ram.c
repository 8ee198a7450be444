/* SPDX-License-Identifier: MIT */
#include "guest_ram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int guest_ram_init(struct memmap *mm, uint64_t ram_size)
{
	struct error err;

	if (memmap_init(mm, ram_size, &err) < 0) {
		fprintf(stderr, "guest_ram_init: %s\n", err.msg);
		return -1;
	}
	mm->host = calloc(1, ram_size);
	return mm->host ? 0 : -1;
}

void guest_ram_free(struct memmap *mm)
{
	free(mm->host);
	mm->host = NULL;
}

uint64_t guest_read_u64(const struct memmap *mm, uint64_t gpa)
{
	const uint8_t *p = memmap_gpa(mm, gpa, 8);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, 8);
	else
		fprintf(stderr, "guest_read_u64: %#llx is not RAM\n",
			(unsigned long long)gpa);
	return v;
}

void guest_write_u64(const struct memmap *mm, uint64_t gpa, uint64_t v)
{
	uint8_t *p = memmap_gpa(mm, gpa, 8);

	if (p)
		memcpy(p, &v, 8);
	else
		fprintf(stderr, "guest_write_u64: %#llx is not RAM\n",
			(unsigned long long)gpa);
}
