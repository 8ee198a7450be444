/* SPDX-License-Identifier: MIT */
#include "parse.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static int digit_value(char c, unsigned base)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

/*
 * Parse the leading number of s; *end points after it.  Sign characters,
 * spaces and empty digit strings are rejected (strtoull would accept "-1"
 * and " 5").
 */
static int parse_prefix(const char *s, uint64_t *out, const char **end,
			const char **why)
{
	unsigned base = 10;
	uint64_t v = 0;
	const char *p = s;
	int d;

	if (!s || !*s) {
		*why = "is empty";
		return -1;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p, base) < 0) {
		*why = "is not a number";
		return -1;
	}
	while ((d = digit_value(*p, base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base) {
			*why = "is too large";
			return -1;
		}
		v = v * base + (uint64_t)d;
		p++;
	}
	*out = v;
	*end = p;
	return 0;
}

static int check_range(uint64_t v, uint64_t min, uint64_t max,
		       const char **why)
{
	if (v < min) {
		*why = v == 0 ? "must not be zero" : "is too small";
		return -1;
	}
	if (v > max) {
		*why = "is too large";
		return -1;
	}
	return 0;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      const char **why)
{
	const char *end;
	uint64_t v;

	if (parse_prefix(s, &v, &end, why) < 0)
		return -1;
	if (*end) {
		*why = "is not a number";
		return -1;
	}
	if (check_range(v, min, max, why) < 0)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	       const char **why)
{
	const char *end;
	unsigned shift = 0;
	uint64_t v;

	if (parse_prefix(s, &v, &end, why) < 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	case '\0': break;
	default:
		*why = "has an unknown suffix (use K, M, G or T)";
		return -1;
	}
	if (shift) {
		end++;
		if (end[0] == 'i' && end[1] == 'B')
			end += 2;
		else if (end[0] == 'B')
			end++;
	}
	if (*end) {
		*why = "has an unknown suffix (use K, M, G or T)";
		return -1;
	}
	if (v > (UINT64_MAX >> shift)) {
		*why = "is too large";
		return -1;
	}
	v <<= shift;
	if (check_range(v, min, max, why) < 0)
		return -1;
	*out = v;
	return 0;
}

/*
 * A time unit after the number, as timeout(1) takes them (s, m, h, d),
 * and ms: its length in nanoseconds, or 0 if the suffix is not a unit.
 */
static uint64_t unit_ns(const char *suffix)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "", 1000000000ULL }, { "s", 1000000000ULL },
		{ "ms", 1000000ULL }, { "m", 60000000000ULL },
		{ "h", 3600000000000ULL }, { "d", 86400000000000ULL },
	};
	unsigned i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		const char *a = suffix, *b = units[i].name;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return units[i].ns;
	}
	return 0;
}

int parse_seconds(const char *s, uint64_t max_s, uint64_t *ns,
		  const char **why)
{
	const uint64_t ns_per_s = 1000000000;
	uint64_t whole = 0, frac = 0, scale = ns_per_s, unit, max_ns, v;
	const char *p = s;
	int any = 0;

	if (!s || !*s) {
		*why = "is empty";
		return -1;
	}
	/* The result must fit in nanoseconds. */
	max_ns = max_s > UINT64_MAX / ns_per_s ? UINT64_MAX : max_s * ns_per_s;
	for (; *p >= '0' && *p <= '9'; p++, any = 1) {
		if (whole > (UINT64_MAX - 9) / 10) {
			*why = "is too large";
			return -1;
		}
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, any = 1) {
			/* Digits past a billionth are accepted and ignored. */
			if (scale >= 10) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	unit = unit_ns(p);
	if (!any || !unit) {
		*why = "is not a number of seconds (a unit may follow: ms, s, m, h or d)";
		return -1;
	}
	/* whole units, plus the fraction of one (frac is in billionths). */
	if (whole > max_ns / unit) {
		*why = "is too large";
		return -1;
	}
	v = whole * unit;
	/* frac < 10^9 and unit <= 86400 * 10^9: split to stay in 64 bits. */
	frac = (frac / 1000) * (unit / 1000000) + (frac % 1000) * (unit / 1000000) / 1000;
	if (frac > max_ns - v) {
		*why = "is too large";
		return -1;
	}
	v += frac;
	if (v == 0) {
		/* Digits that are not all zeros, but less than 1 ns. */
		*why = strpbrk(s, "123456789") ? "is less than a nanosecond" :
						 "must not be zero";
		return -1;
	}
	*ns = v;
	return 0;
}
