/*
 * 08-sum.c - lesson 8, exercise: add up the numbers in the input.
 *
 * One number per line in the --input bytes (or stdin), read with strtol;
 * the sum is printed and is also the exit status (its low byte).
 *
 * Run:    printf '10\n20\n30\n' >n.txt
 *         ./kvmrun --input n.txt docs/workshop/solutions/08-sum.elf
 * Expect: "3 numbers, sum 60", status 60.
 */
#include <stdio.h>
#include <stdlib.h>

#include <kvmrun.h>

static const char *in;
static size_t in_len, in_at;

/* The next byte of the input, or of stdin without one. */
static int next(void)
{
	if (!in)
		return getchar();
	return in_at < in_len ? (unsigned char)in[in_at++] : EOF;
}

int main(void)
{
	size_t count = 0, n = 0;
	char line[32];
	long sum = 0;
	int c;

	in = kvmrun_input(&in_len);
	do {
		c = next();
		if (c != EOF && c != '\n') {
			if (n < sizeof(line) - 1)
				line[n++] = (char)c;
			continue;
		}
		line[n] = '\0';
		if (n) {
			sum += strtol(line, NULL, 10);
			count++;
		}
		n = 0;
	} while (c != EOF);
	printf("%zu numbers, sum %ld\n", count, sum);
	return (int)(sum & 0xff);
}
