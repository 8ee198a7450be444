/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM for tests of code that writes guest memory (paging, GDT): a
 * memory map whose host mapping is a zeroed heap buffer instead of the
 * mmap() machine.c makes.  Use small sizes (1-16 MiB).
 */
#ifndef KVMRUN_TEST_GUEST_RAM_H
#define KVMRUN_TEST_GUEST_RAM_H

#include <stdint.h>

#include "memmap.h"

/* memmap_init(mm, ram_size) plus a host buffer; 0 or -1. */
int guest_ram_init(struct memmap *mm, uint64_t ram_size);
void guest_ram_free(struct memmap *mm);

/* Read or write a little-endian u64 at gpa (which must be RAM). */
uint64_t guest_read_u64(const struct memmap *mm, uint64_t gpa);
void guest_write_u64(const struct memmap *mm, uint64_t gpa, uint64_t v);

#endif
