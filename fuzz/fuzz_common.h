/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for the libFuzzer harnesses: a checked assertion that
 * aborts (libFuzzer then saves the input as a crash), a reader that takes
 * fixed-size fields off the front of the input (zeros once it runs out),
 * and guest RAM backed by a heap buffer whose last byte is the last byte
 * of the allocation, with everything before it poisoned, so ASan reports
 * any access outside the RAM the memory map describes.
 */
#ifndef KVMRUN_FUZZ_COMMON_H
#define KVMRUN_FUZZ_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include "memmap.h"

/* A violated invariant: say which, then abort so libFuzzer keeps the input. */
__attribute__((noreturn, format(printf, 3, 4)))
static inline void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nFUZZ INVARIANT VIOLATED at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_fail(__FILE__, __LINE__, "(" #cond ") " __VA_ARGS__); \
	} while (0)

/* ---- input reader ------------------------------------------------------ */

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fuzz_bytes(struct fuzz_in *in, unsigned len)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < len && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)in->p[0] << (8 * i);
	return v;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)   { return (uint8_t)fuzz_bytes(in, 1); }
static inline uint16_t fuzz_u16(struct fuzz_in *in) { return (uint16_t)fuzz_bytes(in, 2); }
static inline uint32_t fuzz_u32(struct fuzz_in *in) { return (uint32_t)fuzz_bytes(in, 4); }
static inline uint64_t fuzz_u64(struct fuzz_in *in) { return fuzz_bytes(in, 8); }

/* ---- guest RAM --------------------------------------------------------- */

/*
 * One buffer of cap bytes, allocated once.  fuzz_ram_map() gives a memory
 * map of ram_size bytes whose host mapping is the last ram_size bytes of
 * the buffer; the bytes in front of it are poisoned, the heap redzone
 * guards the end.
 */
struct fuzz_ram {
	uint8_t *buf;
	size_t cap;
	uint8_t *host;
	size_t size;
};

static inline void fuzz_ram_alloc(struct fuzz_ram *r, size_t cap)
{
	r->buf = malloc(cap);
	if (!r->buf) {
		perror("fuzz_ram_alloc");
		abort();
	}
	r->cap = cap;
	r->host = NULL;
	r->size = 0;
}

/* memmap_init() plus the host buffer; 0, or -1 if memmap_init refused. */
static inline int fuzz_ram_map(struct fuzz_ram *r, struct memmap *mm,
			       uint64_t ram_size, struct error *err)
{
	if (ram_size > r->cap) {
		fprintf(stderr, "fuzz_ram_map: %llu bytes > capacity %zu\n",
			(unsigned long long)ram_size, r->cap);
		abort();
	}
	if (memmap_init(mm, ram_size, err) < 0)
		return -1;
	r->size = (size_t)ram_size;
	r->host = r->buf + r->cap - r->size;
	ASAN_POISON_MEMORY_REGION(r->buf, r->cap - r->size);
	mm->host = r->host;
	return 0;
}

/* Undo fuzz_ram_map (before the next one). */
static inline void fuzz_ram_unmap(struct fuzz_ram *r, struct memmap *mm)
{
	ASAN_UNPOISON_MEMORY_REGION(r->buf, r->cap);
	mm->host = NULL;
	r->host = NULL;
	r->size = 0;
}

#endif
