/*
 * 08-wc.c - lesson 8: a C guest that counts lines, words and bytes.
 *
 * Its text comes from --input FILE (kvmrun_input(): the bytes kvmrun put
 * in guest RAM) or, without one, from stdin through COM1 (getchar()).
 * Either way it is copied into a buffer that malloc() and realloc() grow.
 * R15 at entry (kvmrun --set r15=N) is a word length: words of at least
 * N bytes are counted too.  crt0.S keeps the 16 registers kvmrun started
 * the guest with, and kvmrun_entry_regs() returns them.
 *
 * Run:    ./kvmrun --input FILE docs/workshop/guests/08-wc.elf
 *         ./kvmrun --set r15=5 docs/workshop/guests/08-wc.elf < FILE
 * Expect: "lines L, words W, bytes B" and, with r15=N, "words of N+ bytes:
 *         K"; status 0, or 1 when the text is empty.
 */
#include <stdio.h>
#include <stdlib.h>

#include <kvmrun.h>

/* The whole text, in memory the heap gave. */
static char *slurp(size_t *len)
{
	size_t cap = 16, n = 0;
	const char *in = kvmrun_input(len);
	char *buf = malloc(*len ? *len : cap);
	int c;

	if (!buf)
		return NULL;
	if (in) {
		for (n = 0; n < *len; n++)
			buf[n] = in[n];
		return buf;
	}
	while ((c = getchar()) != EOF) {
		if (n == cap) {
			char *more = realloc(buf, cap *= 2);

			if (!more) {
				free(buf);
				return NULL;
			}
			buf = more;
		}
		buf[n++] = (char)c;
	}
	*len = n;
	return buf;
}

int main(void)
{
	unsigned long min_word = kvmrun_entry_regs()->r15;     /* --set r15=N */
	size_t len, i, lines = 0, words = 0, long_words = 0, word = 0;
	char *text = slurp(&len);

	if (!text) {
		printf("out of memory\n");
		return 2;
	}
	for (i = 0; i <= len; i++) {
		char c = i < len ? text[i] : ' ';

		if (c == '\n')
			lines++;
		if (c == ' ' || c == '\n' || c == '\t') {
			if (word) {
				words++;
				long_words += min_word && word >= min_word;
			}
			word = 0;
		} else {
			word++;
		}
	}
	free(text);
	printf("lines %zu, words %zu, bytes %zu\n", lines, words, len);
	if (min_word)
		printf("words of %lu+ bytes: %zu\n", min_word, long_words);
	return len == 0;
}
