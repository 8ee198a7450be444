/* SPDX-License-Identifier: MIT */
/*
 * randimg: write one random guest image to stdout, for tests/random-guests.sh.
 *
 *   randimg SEED INDEX
 *
 * Image INDEX of seed SEED: 16 to 4096 bytes (both inclusive), random.  The
 * same SEED and INDEX give the same bytes on every machine (splitmix64, no
 * libc randomness), so a failure found by random-guests.sh can be
 * reproduced from the two numbers it prints.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define MIN_SIZE 16
#define MAX_SIZE 4096

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t seed, index, state, size, i, r = 0;
	unsigned char buf[MAX_SIZE];

	if (argc != 3 || parse_u64(argv[1], &seed) < 0 || parse_u64(argv[2], &index) < 0) {
		fprintf(stderr, "usage: randimg SEED INDEX > image\n");
		return 2;
	}
	/* One stream per (seed, index), decorrelated by a first mixing step. */
	state = seed * 0xd1342543de82ef95ULL + index;
	splitmix64(&state);
	size = MIN_SIZE + splitmix64(&state) % (MAX_SIZE - MIN_SIZE + 1);
	for (i = 0; i < size; i++) {
		if (i % 8 == 0)
			r = splitmix64(&state);
		buf[i] = (unsigned char)(r >> (8 * (i % 8)));
	}
	if (fwrite(buf, 1, (size_t)size, stdout) != size || fflush(stdout) != 0) {
		perror("randimg: write");
		return 1;
	}
	return 0;
}
