/* SPDX-License-Identifier: MIT */
/*
 * The compute benchmark natively: the same machine code as the guest, on
 * memory backed like the guest's (anonymous, transparent huge pages), so
 * that the comparison is of execution and not of page faults.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define SIZE    (16 << 20)

uint64_t bench_compute(uint8_t *buf);

int main(void)
{
	uint8_t *buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		return 125;
	madvise(buf, SIZE, MADV_HUGEPAGE);      /* as kvmrun does for guest RAM */
	return (int)(bench_compute(buf) & 0xff);
}
