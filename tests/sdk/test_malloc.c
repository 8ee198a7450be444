/* SPDX-License-Identifier: MIT */
/*
 * test_malloc.c - the SDK's heap (guests/sdk/malloc.c, built for the host
 * with malloc renamed sdk_malloc, ...) on a 4 MiB buffer: random malloc,
 * calloc, realloc and free, each block filled with a pattern that must
 * survive; the free list checked after every step; at the end everything
 * freed must merge back into one block.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmrun/sdk/kvmrun.h>

void *sdk_malloc(size_t n);
void *sdk_calloc(size_t n, size_t size);
void *sdk_realloc(void *p, size_t n);
void sdk_free(void *p);

#define ARENA	(4u << 20)
#define SLOTS	512
#define STEPS	200000

/* What malloc.c needs from the rest of the SDK. */
uint64_t __kvmrun_entry_rdi;

const struct kvmrun_bootinfo *kvmrun_bootinfo(void)
{
	return NULL;			/* the heap is only the test's buffer */
}

void __kvmrun_die(int status, const char *msg)
{
	fprintf(stderr, "test_malloc: the heap died (%d): %s", status, msg);
	exit(1);
}

static unsigned failures;

static void check(int cond, const char *what, unsigned long step)
{
	if (!cond && ++failures <= 20)
		printf("FAIL step %lu: %s\n", step, what);
}

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};

static int intact(const struct slot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->p[i] != s->fill)
			return 0;
	return 1;
}

int main(void)
{
	static _Alignas(16) unsigned char arena[ARENA];
	static struct slot slots[SLOTS];
	struct kvmrun_heap_stats st, start;
	uint64_t r = 88172645463325252ULL;
	unsigned long step, allocs = 0, nulls = 0;
	size_t i;

	kvmrun_heap_add(arena, sizeof(arena));
	kvmrun_heap_stats(&start);
	check(start.ok && start.free_blocks == 1, "initial heap is one block", 0);

	for (step = 0; step < STEPS; step++) {
		struct slot *s;
		size_t n;
		int op;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		s = &slots[r % SLOTS];
		op = (int)(r >> 20) % 4;
		/* Mostly small, now and then up to 64 KiB. */
		n = (r >> 32) % ((r >> 30) % 8 ? 200 : 65536);
		if (s->p && !intact(s))
			check(0, "block contents changed", step);
		if (!s->p || op == 0) {
			if (s->p)
				sdk_free(s->p);
			s->p = op == 1 ? sdk_calloc(1, n) : sdk_malloc(n);
			s->n = s->p ? n : 0;
			allocs++;
			nulls += !s->p;
			if (s->p && op == 1)
				for (i = 0; i < n; i++)
					check(s->p[i] == 0, "calloc memory is zero", step);
		} else if (op == 1) {
			unsigned char *q = sdk_realloc(s->p, n);

			if (!n) {	/* realloc(p, 0) frees p, as glibc's does */
				check(q == NULL, "realloc to 0 returns NULL", step);
				s->p = NULL;
				s->n = 0;
				continue;
			}
			if (q) {	/* the common prefix survives */
				for (i = 0; i < (n < s->n ? n : s->n); i++)
					if (q[i] != s->fill)
						check(0, "realloc kept the contents", step);
				s->p = q;
				s->n = n;
			}
		} else {
			sdk_free(s->p);
			s->p = NULL;
			s->n = 0;
			continue;
		}
		if (s->p) {
			check(((uintptr_t)s->p & 15) == 0, "16-byte aligned", step);
			check(s->p >= arena && s->p + s->n <= arena + ARENA, "inside the arena",
			      step);
			s->fill = (unsigned char)(step * 31 + 7);
			memset(s->p, s->fill, s->n);
		}
		if (step % 64 == 0) {
			kvmrun_heap_stats(&st);
			check(st.ok, "free list sorted, merged, aligned", step);
		}
	}
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].p && !intact(&slots[i]))
			check(0, "block contents at the end", STEPS);
		sdk_free(slots[i].p);
	}
	kvmrun_heap_stats(&st);
	check(st.ok && st.free_blocks == 1 && st.free_bytes == start.free_bytes,
	      "everything freed merges back into one block", STEPS);
	check(sdk_malloc(ARENA) == NULL, "too big: NULL", STEPS);
	check(sdk_malloc(SIZE_MAX) == NULL, "SIZE_MAX: NULL", STEPS);
	check(sdk_calloc(SIZE_MAX / 2, 4) == NULL, "calloc overflow: NULL", STEPS);

	printf("test_malloc: %lu steps, %lu allocations (%lu NULL), %u failures\n",
	       (unsigned long)STEPS, allocs, nulls, failures);
	return failures ? 1 : 0;
}
