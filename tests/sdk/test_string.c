/* SPDX-License-Identifier: MIT */
/*
 * test_string.c - the SDK's string.c and strtol.c (built for the host with
 * their functions renamed sdk_*) against glibc's, on overlapping and
 * unaligned buffers and on numbers with every base, sign and overflow.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *sdk_memcpy(void *dst, const void *src, size_t n);
void *sdk_memmove(void *dst, const void *src, size_t n);
void *sdk_memset(void *dst, int c, size_t n);
int sdk_memcmp(const void *a, const void *b, size_t n);
void *sdk_memchr(const void *p, int c, size_t n);
size_t sdk_strlen(const char *s);
int sdk_strcmp(const char *a, const char *b);
int sdk_strncmp(const char *a, const char *b, size_t n);
char *sdk_strcpy(char *dst, const char *src);
char *sdk_strncpy(char *dst, const char *src, size_t n);
char *sdk_strchr(const char *s, int c);
char *sdk_strrchr(const char *s, int c);
char *sdk_strstr(const char *h, const char *n);
long sdk_strtol(const char *s, char **end, int base);
unsigned long sdk_strtoul(const char *s, char **end, int base);
int sdk_atoi(const char *s);

static unsigned long checks, failures;

#define CHECK(cond, ...) do { \
	checks++; \
	if (!(cond) && ++failures <= 30) { \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		putchar('\n'); \
	} \
} while (0)

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_mem(void)
{
	unsigned char a[96], b[96], c[96];
	size_t off, src, n;

	for (off = 0; off < 8; off++)
		for (src = 0; src < 24; src += 3)
			for (n = 0; n < 64; n += 5) {
				for (size_t i = 0; i < sizeof(a); i++)
					a[i] = b[i] = (unsigned char)(i * 7 + 1);
				sdk_memmove(a + off, a + src, n);
				memmove(b + off, b + src, n);
				CHECK(!memcmp(a, b, sizeof(a)), "memmove %zu %zu %zu", off, src, n);
				sdk_memcpy(c + off, a + 40, n);
				CHECK(!memcmp(c + off, a + 40, n), "memcpy %zu", n);
				sdk_memset(a + off, (int)(0x100 + n), n);
				memset(b + off, (int)(0x100 + n), n);
				CHECK(!memcmp(a, b, sizeof(a)), "memset %zu %zu", off, n);
				b[off + n / 2] ^= 0x80;
				CHECK(sign(sdk_memcmp(a, b, sizeof(a))) == sign(memcmp(a, b, sizeof(a))),
				      "memcmp");
				CHECK(sdk_memchr(b, b[off + n / 2], sizeof(b)) ==
				      memchr(b, b[off + n / 2], sizeof(b)), "memchr");
			}
}

static void test_str(void)
{
	static const char *const s[] = { "", "a", "ab", "abc", "abd", "hello world",
					 "hello", "\xff\x01", "aaaaab", "ab\x80" };
	static const char *const needles[] = { "", "a", "ab", "lo w", "aab", "xyz", "d" };
	size_t i, j, n;
	char x[32], y[32];

	for (i = 0; i < 10; i++) {
		CHECK(sdk_strlen(s[i]) == strlen(s[i]), "strlen %zu", i);
		for (j = 0; j < 10; j++) {
			CHECK(sign(sdk_strcmp(s[i], s[j])) == sign(strcmp(s[i], s[j])),
			      "strcmp %zu %zu", i, j);
			for (n = 0; n < 8; n++)
				CHECK(sign(sdk_strncmp(s[i], s[j], n)) ==
				      sign(strncmp(s[i], s[j], n)), "strncmp %zu %zu %zu", i, j, n);
		}
		for (j = 0; j < 7; j++)
			CHECK(sdk_strstr(s[i], needles[j]) == strstr(s[i], needles[j]),
			      "strstr \"%s\" \"%s\"", s[i], needles[j]);
		for (int c = 0; c < 256; c += 1) {
			CHECK(sdk_strchr(s[i], c) == strchr(s[i], c), "strchr %zu %d", i, c);
			CHECK(sdk_strrchr(s[i], c) == strrchr(s[i], c), "strrchr %zu %d", i, c);
		}
		for (n = 0; n < 16; n++) {
			memset(x, '#', sizeof(x));
			memset(y, '#', sizeof(y));
			sdk_strncpy(x, s[i], n);
			strncpy(y, s[i], n);
			CHECK(!memcmp(x, y, sizeof(x)), "strncpy %zu %zu", i, n);
		}
		sdk_strcpy(x, s[i]);
		CHECK(!strcmp(x, s[i]), "strcpy %zu", i);
	}
}

static void test_strtol(void)
{
	static const char *const in[] = {
		"0", "1", "-1", "+42", "  \t\n 123abc", "0x1f", "0X1F", "0x", "0xg", "017",
		"08", "z", "Zz", "-0x80000000", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
		"18446744073709551616", "99999999999999999999999", "-1", "- 1", "", "   ",
		"+", "-", "0b101", "101", "7fffffffffffffff", "ffffffffffffffff", "1e5",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	size_t i, b;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		for (b = 0; b < 6; b++) {
			char *e1, *e2;
			long l1 = sdk_strtol(in[i], &e1, bases[b]);
			long l2 = strtol(in[i], &e2, bases[b]);
			unsigned long u1, u2;

			CHECK(l1 == l2 && e1 == e2, "strtol(\"%s\", %d): %ld +%td, glibc %ld +%td",
			      in[i], bases[b], l1, e1 - in[i], l2, e2 - in[i]);
			u1 = sdk_strtoul(in[i], &e1, bases[b]);
			u2 = strtoul(in[i], &e2, bases[b]);
			CHECK(u1 == u2 && e1 == e2, "strtoul(\"%s\", %d): %lu +%td, glibc %lu +%td",
			      in[i], bases[b], u1, e1 - in[i], u2, e2 - in[i]);
		}
	CHECK(sdk_atoi("-2147483648") == INT_MIN, "atoi");
	CHECK(sdk_atoi(" 77x") == 77, "atoi");
}

int main(void)
{
	test_mem();
	test_str();
	test_strtol();
	printf("test_string: %lu checks against glibc, %lu failures\n", checks, failures);
	return failures ? 1 : 0;
}
