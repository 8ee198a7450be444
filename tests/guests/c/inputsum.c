/*
 * inputsum.c - reads its --input, for kvmrun --input (tests/sections/
 * repeat.sh): prints the input's size, the sum of its bytes and its first
 * line, and exits with the size's low 7 bits.
 *
 * Run:    ./kvmrun --input tests/guests/c/inputsum.c tests/guests/c/inputsum.elf
 * Expect: "input N bytes, sum S, first line: " and the first line (the
 *         comment opener of this file), status N & 0x7f.
 */
#include <stdio.h>

#include <kvmrun.h>

int main(void)
{
	size_t n, len = 0;
	const unsigned char *in = kvmrun_input(&n);
	unsigned long sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += in[i];
	while (len < n && in[len] != '\n')
		len++;
	printf("input %zu bytes, sum %lu, first line: %.*s\n", n, sum, (int)len,
	       in ? (const char *)in : "");
	return (int)(n & 0x7f);
}
