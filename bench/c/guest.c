/* SPDX-License-Identifier: MIT */
/* The C compute benchmark as a guest: its checksum's low byte as status. */
#include <stdlib.h>

#include "compute.h"

#define SIZE    (16u << 20)

int main(void)
{
	uint8_t *buf = malloc(SIZE);

	if (!buf)
		return 125;
	return (int)(bench_compute_c(buf, SIZE) & 0xff);
}
