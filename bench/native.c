/* SPDX-License-Identifier: MIT */
/* The compute benchmark natively: the same machine code as the guest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t bench_compute(uint8_t *buf);

int main(void)
{
	uint8_t *buf = aligned_alloc(4096, 16 << 20);

	if (!buf)
		return 125;
	return (int)(bench_compute(buf) & 0xff);
}
