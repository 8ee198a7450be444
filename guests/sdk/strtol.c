/* SPDX-License-Identifier: MIT */
/*
 * strtol.c - numbers from text: strtol, strtoul and friends, atoi.
 *
 * As C says, except that there is no errno: a value out of range is
 * clamped (LONG_MAX, LONG_MIN, ULONG_MAX) and that is all a caller sees.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <ctype.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/* The magnitude, clamped to limit; *neg tells the sign. */
static unsigned long long parse(const char *s, char **end, int base, int *neg,
				unsigned long long limit, int *over)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	int d;

	*neg = 0;
	*over = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    tolower((unsigned char)p[1]) == 'x' && digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	digits = p;
	if (base >= 2 && base <= 36) {
		for (; (d = digit_value((unsigned char)*p)) < base; p++) {
			if (v > (limit - d) / base)
				*over = 1;
			else
				v = v * base + d;
		}
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return *over ? limit : v;
}

long long strtoll(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, &neg, 1ULL << 63, &over);

	if (!neg && v > INT64_MAX)
		return INT64_MAX;
	return neg ? (long long)(0 - v) : (long long)v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, &neg, UINT64_MAX, &over);

	return neg && !over ? 0 - v : v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

long long llabs(long long v)
{
	return v < 0 ? -v : v;
}
