/* SPDX-License-Identifier: MIT */
/* Unit tests for parse.c: strict number parsing for the command line. */
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "test.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5aULL  /* "not written" marker for *out */
#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)
#define NS  1000000000ULL

/* ---- parse_u64 ------------------------------------------------------ */

TEST(parse_u64_decimal)
{
	static const struct { const char *s; uint64_t v; } cases[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "65536", 65536 },
		{ "007", 7 },           /* leading zeros: still decimal, not octal */
		{ "010", 10 },
		{ "18446744073709551615", UINT64_MAX },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_u64(cases[i].s, 0, UINT64_MAX, &v, &why) == 0,
			       "\"%s\": %s", cases[i].s, why);
		TEST_CHECK_MSG(v == cases[i].v, "\"%s\"", cases[i].s);
	}
}

TEST(parse_u64_hex)
{
	static const struct { const char *s; uint64_t v; } cases[] = {
		{ "0x0", 0 },
		{ "0x10000", 0x10000 },
		{ "0XaBcD", 0xabcd },   /* either case, for prefix and digits */
		{ "0x00000000000000001", 1 },   /* leading zeros do not overflow */
		{ "0xffffffffffffffff", UINT64_MAX },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_u64(cases[i].s, 0, UINT64_MAX, &v, &why) == 0,
			       "\"%s\": %s", cases[i].s, why);
		TEST_CHECK_MSG(v == cases[i].v, "\"%s\"", cases[i].s);
	}
}

TEST(parse_u64_rejects_garbage)
{
	/* strtoull would accept several of these ("-1", " 5", "5x"...). */
	static const char *const bad[] = {
		"", "-1", "+1", " 5", "5 ", "5x", "x5", "0x", "0x ", "0xg",
		"0x-1", "1.5", "1e3", "0b101", "1_000", "\t1", "5\n",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_u64(bad[i], 0, UINT64_MAX, &v, &why) == -1,
			       "\"%s\"", bad[i]);
		TEST_CHECK_MSG(why != NULL, "\"%s\"", bad[i]);
		TEST_CHECK_MSG(v == SENTINEL, "\"%s\" wrote *out", bad[i]);
	}
}

TEST(parse_u64_reasons)
{
	uint64_t v;
	const char *why;

	TEST_EQ(parse_u64("", 0, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "is empty");
	TEST_EQ(parse_u64("5x", 0, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "is not a number");
	TEST_EQ(parse_u64("0x", 0, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "is not a number");
}

TEST(parse_u64_overflow)
{
	uint64_t v = SENTINEL;
	const char *why = NULL;

	/* UINT64_MAX + 1, in decimal and in hex. */
	TEST_EQ(parse_u64("18446744073709551616", 0, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "is too large");
	why = NULL;
	TEST_EQ(parse_u64("0x10000000000000000", 0, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "is too large");
	why = NULL;
	/* Far too large: must not wrap around to something small. */
	TEST_EQ(parse_u64("99999999999999999999999999", 0, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "is too large");
	TEST_EQ(v, SENTINEL);
}

TEST(parse_u64_range)
{
	uint64_t v = SENTINEL;
	const char *why = NULL;

	/* Both bounds are inclusive. */
	TEST_EQ(parse_u64("10", 10, 20, &v, &why), 0);
	TEST_EQ(v, 10);
	TEST_EQ(parse_u64("20", 10, 20, &v, &why), 0);
	TEST_EQ(v, 20);
	TEST_EQ(parse_u64("0x14", 10, 20, &v, &why), 0);
	TEST_EQ(v, 20);

	v = SENTINEL;
	TEST_EQ(parse_u64("9", 10, 20, &v, &why), -1);
	TEST_STREQ(why, "is too small");
	TEST_EQ(parse_u64("21", 10, 20, &v, &why), -1);
	TEST_STREQ(why, "is too large");
	TEST_EQ(v, SENTINEL);

	/* Zero: accepted when min is 0, with its own reason when it is not. */
	TEST_EQ(parse_u64("0", 0, 20, &v, &why), 0);
	TEST_EQ(v, 0);
	TEST_EQ(parse_u64("0", 1, 20, &v, &why), -1);
	TEST_STREQ(why, "must not be zero");
	TEST_EQ(parse_u64("0x0", 1, 20, &v, &why), -1);
	TEST_STREQ(why, "must not be zero");
}

/* ---- parse_size ----------------------------------------------------- */

TEST(parse_size_suffixes)
{
	static const struct { const char *s; uint64_t v; } cases[] = {
		{ "4096", 4096 },
		{ "1k", KIB }, { "1K", KIB }, { "1KB", KIB }, { "1KiB", KIB },
		{ "64m", 64 * MIB }, { "64M", 64 * MIB }, { "64MB", 64 * MIB },
		{ "64MiB", 64 * MIB }, { "64mB", 64 * MIB },
		{ "2g", 2 * GIB }, { "2G", 2 * GIB }, { "2GiB", 2 * GIB },
		{ "1t", TIB }, { "1T", TIB }, { "1TB", TIB },
		{ "0x10M", 16 * MIB }, { "0x10", 16 },
		{ "0K", 0 },
		/* B is a hex digit: "0x1B" is 27 bytes, "0x1KB" is 1 KiB. */
		{ "0x1B", 27 }, { "0x1KB", KIB },
		/* The largest multiples that still fit in 64 bits. */
		{ "17179869183G", 17179869183ULL * GIB },
		{ "16777215T", 16777215ULL * TIB },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_size(cases[i].s, 0, UINT64_MAX, &v, &why) == 0,
			       "\"%s\": %s", cases[i].s, why);
		TEST_CHECK_MSG(v == cases[i].v, "\"%s\" gave %#llx", cases[i].s,
			       (unsigned long long)v);
	}
}

TEST(parse_size_rejects_bad_suffixes)
{
	static const char *const bad[] = {
		"64X", "64Q", "64MiBx", "64Mi", "64MiBB", "64Mb", "64Mib",
		"64KK", "64 M", "64M ", "64iB", "64B", "1.5G",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_size(bad[i], 0, UINT64_MAX, &v, &why) == -1,
			       "\"%s\"", bad[i]);
		TEST_CHECK_MSG(why && strstr(why, "suffix"), "\"%s\": %s", bad[i], why);
		TEST_CHECK_MSG(v == SENTINEL, "\"%s\" wrote *out", bad[i]);
	}
}

TEST(parse_size_rejects_non_numbers)
{
	static const char *const bad[] = { "", "M", "-1M", " 1M", "0x", "0xM", "K1" };
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_size(bad[i], 0, UINT64_MAX, &v, &why) == -1,
			       "\"%s\"", bad[i]);
		TEST_CHECK_MSG(why != NULL, "\"%s\"", bad[i]);
		TEST_CHECK_MSG(v == SENTINEL, "\"%s\" wrote *out", bad[i]);
	}
}

TEST(parse_size_overflow_on_shift)
{
	static const char *const bad[] = {
		"17179869184G",         /* 2^34 GiB = 2^64 */
		"16777216T",            /* 2^24 TiB = 2^64 */
		"18014398509481984K",   /* 2^54 KiB = 2^64 */
		"0xffffffffffffffffK",
		"18446744073709551616", /* too large before any shift */
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_size(bad[i], 0, UINT64_MAX, &v, &why) == -1,
			       "\"%s\" gave %#llx", bad[i], (unsigned long long)v);
		TEST_CHECK_MSG(why && strcmp(why, "is too large") == 0,
			       "\"%s\": %s", bad[i], why);
	}
}

TEST(parse_size_range_applies_after_suffix)
{
	uint64_t v = SENTINEL;
	const char *why = NULL;

	TEST_EQ(parse_size("1M", MIB, 256 * GIB, &v, &why), 0);
	TEST_EQ(v, MIB);
	TEST_EQ(parse_size("256G", MIB, 256 * GIB, &v, &why), 0);
	TEST_EQ(v, 256 * GIB);

	v = SENTINEL;
	TEST_EQ(parse_size("1023K", MIB, 256 * GIB, &v, &why), -1);
	TEST_STREQ(why, "is too small");
	TEST_EQ(parse_size("257G", MIB, 256 * GIB, &v, &why), -1);
	TEST_STREQ(why, "is too large");
	TEST_EQ(parse_size("0M", 1, UINT64_MAX, &v, &why), -1);
	TEST_STREQ(why, "must not be zero");
	TEST_EQ(v, SENTINEL);
}

/* ---- parse_seconds -------------------------------------------------- */

TEST(parse_seconds_values)
{
	static const struct { const char *s; uint64_t ns; } cases[] = {
		{ "2", 2 * NS },
		{ "0.25", 250000000 },
		{ "1.5", 1500000000 },
		{ ".5", 500000000 },
		{ "5.", 5 * NS },
		{ "0.000000001", 1 },                   /* 1 ns: 9 digits */
		{ "007.010", 7010000000ULL },
		{ "12.345678901", 12345678901ULL },     /* 11 digits: extra ignored */
		{ "1.9999999999", 1999999999 },         /* truncated, not rounded */
		{ "31536000", 31536000 * NS },          /* max_s itself */
		{ "31535999.999999999", 31535999999999999ULL },
		/* Units, as timeout(1) takes them, and ms. */
		{ "1s", 1 * NS },
		{ "0.5s", 500000000 },
		{ "500ms", 500000000 },
		{ "1ms", 1000000 },
		{ "0.5ms", 500000 },
		{ "1m", 60 * NS },
		{ "1.5m", 90 * NS },
		{ "2h", 7200 * NS },
		{ "1d", 86400 * NS },
		{ "365d", 31536000 * NS },              /* max_s itself */
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t ns = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_seconds(cases[i].s, 31536000, &ns, &why) == 0,
			       "\"%s\": %s", cases[i].s, why);
		TEST_CHECK_MSG(ns == cases[i].ns, "\"%s\" gave %llu ns", cases[i].s,
			       (unsigned long long)ns);
	}
}

TEST(parse_seconds_rejects_garbage)
{
	static const char *const bad[] = {
		"", ".", "abc", "1e3", "-1", "+1", " 1", "1 ", "1.2.3", "1,5",
		"0x10", "..5", "1.5x", "inf", "nan", "1S", "1 s", "1sec", "1mss",
		"s", "ms", "1us", "1e", "1.5.s",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t ns = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_seconds(bad[i], 1000, &ns, &why) == -1,
			       "\"%s\"", bad[i]);
		TEST_CHECK_MSG(why != NULL, "\"%s\"", bad[i]);
		TEST_CHECK_MSG(ns == SENTINEL, "\"%s\" wrote *ns", bad[i]);
	}
}

TEST(parse_seconds_rejects_zero)
{
	/* Zero would mean "no time limit", which is the absence of -t. */
	static const char *const zeros[] = {
		"0", "0.0", "00", ".0", "0.", "0.000000000", "0s", "0ms", "0.0d",
	};
	unsigned i;

	for (i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
		uint64_t ns = SENTINEL;
		const char *why = NULL;

		TEST_CHECK_MSG(parse_seconds(zeros[i], 1000, &ns, &why) == -1,
			       "\"%s\"", zeros[i]);
		TEST_CHECK_MSG(why && strcmp(why, "must not be zero") == 0,
			       "\"%s\": %s", zeros[i], why);
		TEST_CHECK_MSG(ns == SENTINEL, "\"%s\" wrote *ns", zeros[i]);
	}
}

/* Below a nanosecond is not zero, and not a duration kvmrun can keep. */
TEST(parse_seconds_below_a_nanosecond)
{
	uint64_t ns = SENTINEL;
	const char *why = NULL;

	TEST_EQ(parse_seconds("0.0000000001", 1000, &ns, &why), -1);
	TEST_STREQ(why, "is less than a nanosecond");
	TEST_EQ(parse_seconds("0.0000009ms", 1000, &ns, &why), -1);
	TEST_STREQ(why, "is less than a nanosecond");
	TEST_EQ(ns, SENTINEL);
}

TEST(parse_seconds_max)
{
	uint64_t ns = SENTINEL;
	const char *why = NULL;

	TEST_EQ(parse_seconds("10", 10, &ns, &why), 0);
	TEST_EQ(ns, 10 * NS);
	TEST_EQ(parse_seconds("10.000", 10, &ns, &why), 0);
	TEST_EQ(ns, 10 * NS);

	ns = SENTINEL;
	TEST_EQ(parse_seconds("11", 10, &ns, &why), -1);
	TEST_STREQ(why, "is too large");
	why = NULL;
	TEST_EQ(parse_seconds("10.000000001", 10, &ns, &why), -1);
	TEST_STREQ(why, "is too large");
	why = NULL;
	/* Many digits: rejected, not wrapped around. */
	TEST_EQ(parse_seconds("99999999999999999999999999", 10, &ns, &why), -1);
	TEST_STREQ(why, "is too large");
	TEST_EQ(ns, SENTINEL);
}

/*
 * max_s is any uint64_t; a number of seconds whose nanoseconds do not fit
 * in 64 bits cannot be returned and must be rejected, not wrapped.
 * 18446744074 s = 18446744074000000000 ns > UINT64_MAX (18446744073709551615).
 */
TEST(parse_seconds_large_max_does_not_wrap)
{
	uint64_t ns = SENTINEL;
	const char *why = NULL;

	TEST_EQ(parse_seconds("18446744073", UINT64_MAX, &ns, &why), 0);
	TEST_EQ(ns, 18446744073000000000ULL);

	ns = SENTINEL;
	TEST_CHECK(parse_seconds("18446744074", UINT64_MAX, &ns, &why) == -1);
	TEST_CHECK(parse_seconds("1000000000000", UINT64_MAX, &ns, &why) == -1);
	TEST_CHECK(parse_seconds("99999999999999999999", UINT64_MAX, &ns, &why) == -1);
	TEST_EQ(ns, SENTINEL);
}

const struct test tests_parse[] = {
	TEST_ENTRY(parse_u64_decimal),
	TEST_ENTRY(parse_u64_hex),
	TEST_ENTRY(parse_u64_rejects_garbage),
	TEST_ENTRY(parse_u64_reasons),
	TEST_ENTRY(parse_u64_overflow),
	TEST_ENTRY(parse_u64_range),
	TEST_ENTRY(parse_size_suffixes),
	TEST_ENTRY(parse_size_rejects_bad_suffixes),
	TEST_ENTRY(parse_size_rejects_non_numbers),
	TEST_ENTRY(parse_size_overflow_on_shift),
	TEST_ENTRY(parse_size_range_applies_after_suffix),
	TEST_ENTRY(parse_seconds_values),
	TEST_ENTRY(parse_seconds_rejects_garbage),
	TEST_ENTRY(parse_seconds_rejects_zero),
	TEST_ENTRY(parse_seconds_below_a_nanosecond),
	TEST_ENTRY(parse_seconds_max),
	TEST_ENTRY(parse_seconds_large_max_does_not_wrap),
	TEST_END,
};
