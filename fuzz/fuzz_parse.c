/* SPDX-License-Identifier: MIT */
/*
 * parse_u64, parse_size and parse_seconds against reference parsers
 * written from parse.h's contract.
 *
 * Input: the string to parse, up to the first NUL byte (or all of it);
 * after the NUL: one mode byte and two u64s (little-endian) that give the
 * limits.  A plain text file ("64M") is a valid input: no limits given
 * means min 0, max UINT64_MAX.  Every input goes to all three functions.
 *
 * Checked: success and failure agree with the reference, the value
 * agrees, min <= value <= max, a failure sets a non-empty reason and
 * leaves the output alone.  The string sits at the very end of a heap
 * buffer of exactly its size, so ASan catches a read past its NUL.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "parse.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

static int digit(char c, unsigned base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v >= 0 && (unsigned)v < base ? v : -1;
}

/* Decimal or 0x hex, maximal munch.  false: no digits, or overflow. */
static bool ref_number(const char *s, uint64_t *v, const char **end)
{
	unsigned base = 10;
	unsigned __int128 acc = 0;
	bool overflow = false;
	const char *p = s;
	int d, nd = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; (d = digit(*p, base)) >= 0; p++, nd++) {
		if (!overflow) {
			acc = acc * base + (unsigned)d;
			if (acc > UINT64_MAX)
				overflow = true;
		}
	}
	*v = (uint64_t)acc;
	*end = p;
	return nd > 0 && !overflow;
}

static bool ref_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end;

	if (!ref_number(s, out, &end) || *end)
		return false;
	return *out >= min && *out <= max;
}

static bool ref_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *end;
	unsigned shift = 0;
	uint64_t v;

	if (!ref_number(s, &v, &end))
		return false;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift) {
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
	}
	if (*end)
		return false;
	if (shift && (v >> (64 - shift)))
		return false;           /* does not fit once shifted */
	*out = v << shift;
	return *out >= min && *out <= max;
}

/*
 * [0-9]*(.[0-9]*)? with at least one digit, then a unit: none or s, ms,
 * m, h, d; nanoseconds, anything below a nanosecond ignored.
 */
static bool ref_seconds(const char *s, uint64_t max_s, uint64_t *ns)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "", 1000000000ULL }, { "s", 1000000000ULL }, { "ms", 1000000ULL },
		{ "m", 60000000000ULL }, { "h", 3600000000000ULL },
		{ "d", 86400000000000ULL },
	};
	const unsigned __int128 ns_per_s = 1000000000;
	unsigned __int128 whole = 0, limit, unit = 0;
	uint64_t frac = 0, scale = 1000000000;
	const char *p = s;
	bool any = false;
	unsigned i;

	for (; *p >= '0' && *p <= '9'; p++, any = true) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > UINT64_MAX)
			whole = (unsigned __int128)UINT64_MAX + 1;      /* saturate */
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, any = true)
			if (scale >= 10) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].name) == 0)
			unit = units[i].ns;
	if (!any || !unit)
		return false;
	/* At most max_s seconds, and the nanoseconds must fit in a u64. */
	limit = (unsigned __int128)max_s * ns_per_s;
	if (limit > UINT64_MAX)
		limit = UINT64_MAX;
	whole = whole * unit + (unsigned __int128)frac * unit / ns_per_s;
	if (whole == 0 || whole > limit)
		return false;
	*ns = (uint64_t)whole;
	return true;
}

static void limits(struct fuzz_in *in, uint64_t *min, uint64_t *max,
		   uint64_t *max_s)
{
	uint8_t mode = fuzz_u8(in);
	uint64_t a = fuzz_u64(in), b = fuzz_u64(in);

	switch (mode & 3) {
	case 0:                 /* what cli.c asks for, roughly */
		*min = 0;
		*max = UINT64_MAX;
		*max_s = 365ULL * 24 * 3600;
		break;
	case 1:                 /* a sorted pair */
		*min = a < b ? a : b;
		*max = a < b ? b : a;
		*max_s = a;
		break;
	case 2:                 /* anything, min > max included */
		*min = a;
		*max = b;
		*max_s = b;
		break;
	default:                /* small limits: boundaries are reachable */
		*min = a & 0xffff;
		*max = *min + (b & 0xffffffff);
		*max_s = b & 0xff;
		break;
	}
	if (mode & 4)
		*max_s = UINT64_MAX;    /* exercises the clamp to what fits in ns */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t len = nul ? (size_t)(nul - data) : size;
	struct fuzz_in in = { 0 };
	uint64_t min, max, max_s, got, want;
	const char *why;
	char *s;
	int r;
	bool ok;

	if (nul)
		in = (struct fuzz_in){ nul + 1, size - len - 1 };
	limits(&in, &min, &max, &max_s);
	if (!nul)
		min = 0, max = UINT64_MAX, max_s = 365ULL * 24 * 3600;

	s = malloc(len + 1);
	if (!s)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';

	/* parse_u64 */
	got = SENTINEL;
	why = NULL;
	r = parse_u64(s, min, max, &got, &why);
	ok = ref_u64(s, min, max, &want);
	FUZZ_CHECK(r == 0 || r == -1, "parse_u64 returned %d", r);
	FUZZ_CHECK((r == 0) == ok, "parse_u64(\"%s\", %#llx, %#llx) returned %d, "
		   "reference says %s (why: %s)", s, (unsigned long long)min,
		   (unsigned long long)max, r, ok ? "ok" : "fail", why ? why : "-");
	if (r == 0) {
		FUZZ_CHECK(got == want, "parse_u64(\"%s\") = %#llx, want %#llx", s,
			   (unsigned long long)got, (unsigned long long)want);
		FUZZ_CHECK(got >= min && got <= max, "parse_u64 result out of range");
	} else {
		FUZZ_CHECK(why && *why, "parse_u64 failed without a reason");
		FUZZ_CHECK(got == SENTINEL, "parse_u64 wrote *out on failure");
	}

	/* parse_size */
	got = SENTINEL;
	why = NULL;
	r = parse_size(s, min, max, &got, &why);
	ok = ref_size(s, min, max, &want);
	FUZZ_CHECK(r == 0 || r == -1, "parse_size returned %d", r);
	FUZZ_CHECK((r == 0) == ok, "parse_size(\"%s\", %#llx, %#llx) returned %d, "
		   "reference says %s (why: %s)", s, (unsigned long long)min,
		   (unsigned long long)max, r, ok ? "ok" : "fail", why ? why : "-");
	if (r == 0) {
		FUZZ_CHECK(got == want, "parse_size(\"%s\") = %#llx, want %#llx", s,
			   (unsigned long long)got, (unsigned long long)want);
		FUZZ_CHECK(got >= min && got <= max, "parse_size result out of range");
	} else {
		FUZZ_CHECK(why && *why, "parse_size failed without a reason");
		FUZZ_CHECK(got == SENTINEL, "parse_size wrote *out on failure");
	}

	/* parse_seconds */
	got = SENTINEL;
	why = NULL;
	r = parse_seconds(s, max_s, &got, &why);
	ok = ref_seconds(s, max_s, &want);
	FUZZ_CHECK(r == 0 || r == -1, "parse_seconds returned %d", r);
	FUZZ_CHECK((r == 0) == ok, "parse_seconds(\"%s\", %llu) returned %d, "
		   "reference says %s (why: %s)", s, (unsigned long long)max_s, r,
		   ok ? "ok" : "fail", why ? why : "-");
	if (r == 0) {
		FUZZ_CHECK(got == want, "parse_seconds(\"%s\") = %llu ns, want %llu",
			   s, (unsigned long long)got, (unsigned long long)want);
		FUZZ_CHECK(got != 0, "parse_seconds accepted zero");
		FUZZ_CHECK(got / 1000000000 <= max_s, "parse_seconds above max_s");
	} else {
		FUZZ_CHECK(why && *why, "parse_seconds failed without a reason");
		FUZZ_CHECK(got == SENTINEL, "parse_seconds wrote *ns on failure");
	}

	free(s);
	return 0;
}
