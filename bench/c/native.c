/* SPDX-License-Identifier: MIT */
/* The C compute benchmark on the host, on memory backed like a guest's. */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include "compute.h"

#define SIZE    (16u << 20)

int main(void)
{
	uint8_t *buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		return 125;
	madvise(buf, SIZE, MADV_HUGEPAGE);      /* as kvmrun does for guest RAM */
	return (int)(bench_compute_c(buf, SIZE) & 0xff);
}
