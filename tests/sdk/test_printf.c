/* SPDX-License-Identifier: MIT */
/*
 * test_printf.c - the SDK's vsnprintf (guests/sdk/format.c, built for the
 * host as sdk_vsnprintf) against glibc's, format by format.
 *
 * Integers with every flag set, widths, precisions and lengths; strings,
 * characters, pointers, "*" arguments; doubles with %f %e %g (and F E G)
 * from 1e-300 to 1e300 and random bit patterns, the special values and
 * halfway cases that test the rounding.  Every mismatch is printed (the
 * first 50 in full); the last line counts them.  Exit status 1 if any.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sdk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int sdk_snprintf(char *buf, size_t size, const char *fmt, ...);

static unsigned long checks, mismatches, glibc_bugs;

/*
 * glibc drops the zeros that "#" keeps when %#g rounds up into a new
 * power of ten in e-style: %#.3g of 999.5 is "1.e+03" there, but C11
 * 7.21.6.1 (style e with precision P - 1; "#" keeps trailing zeros) and
 * Python give "1.00e+03".  Such a pair is counted, not failed.
 */
static int glibc_alt_g_bug(const char *fmt, const char *want, const char *got)
{
	const char *w = want, *g = got;
	char conv = fmt[strlen(fmt) - 1];

	if (!strchr(fmt, '#') || (conv != 'g' && conv != 'G') || !strchr(want, '.'))
		return 0;
	while (*w && *w == *g && *w != '.')
		w++, g++;
	if (*w != '.' || *g != '.')
		return 0;
	w++, g++;
	while (*g == '0')		/* the zeros glibc left out */
		g++;
	return (*w == 'e' || *w == 'E') && !strcmp(w, g);
}

static void compare(const char *fmt, ...)
{
	static char want[8192], got[8192];
	va_list ap, ap2;
	int rw, rg;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	rw = vsnprintf(want, sizeof(want), fmt, ap);
	rg = sdk_vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	checks++;
	if (rw != rg || strcmp(want, got)) {
		if (glibc_alt_g_bug(fmt, want, got)) {
			glibc_bugs++;
			return;
		}
		if (++mismatches <= 50)
			printf("MISMATCH %-12s glibc %d \"%s\"\n%-21s sdk %d \"%s\"\n",
			       fmt, rw, want, "", rg, got);
	}
}

/* ---- integers ---------------------------------------------------------- */

static const long long int_values[] = {
	0, 1, -1, 7, 8, 42, -42, 127, 128, -128, -129, 255, 256, 32767, -32768,
	65535, 65536, 100000, 2147483647, -2147483647 - 1, 4294967295LL,
	4294967296LL, 0x123456789abcdefLL, LLONG_MAX, LLONG_MIN, -1234567890123LL,
};

static void check_int(const char *fmt, const char *len, long long v)
{
	if (!strcmp(len, "") || !strcmp(len, "h") || !strcmp(len, "hh"))
		compare(fmt, (int)v);
	else if (!strcmp(len, "ll"))
		compare(fmt, v);
	else if (!strcmp(len, "z"))
		compare(fmt, (size_t)v);
	else if (!strcmp(len, "j"))
		compare(fmt, (intmax_t)v);
	else if (!strcmp(len, "t"))
		compare(fmt, (ptrdiff_t)v);
	else
		compare(fmt, (long)v);
}

/* The flags of set bits in mask, from "-+ #0". */
static void flags_of(unsigned mask, char *out)
{
	static const char all[] = "-+ #0";
	int i;

	for (i = 0; i < 5; i++)
		if (mask & 1u << i)
			*out++ = all[i];
	*out = '\0';
}

static void test_integers(void)
{
	static const char *const widths[] = { "", "1", "6", "22" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".25" };
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "j", "t" };
	static const char convs[] = "diuoxX";
	char fmt[64], flags[8];
	unsigned mask;
	size_t w, p, l, c, v;

	for (mask = 0; mask < 32; mask++) {
		flags_of(mask, flags);
		for (w = 0; w < 4; w++)
			for (p = 0; p < 6; p++)
				for (l = 0; l < 8; l++)
					for (c = 0; c < 6; c++) {
						snprintf(fmt, sizeof(fmt), "%%%s%s%s%s%c",
							 flags, widths[w], precs[p], lens[l], convs[c]);
						for (v = 0; v < sizeof(int_values) / sizeof(int_values[0]); v++)
							check_int(fmt, lens[l], int_values[v]);
					}
	}
	/* Widths and precisions from arguments, negative ones included. */
	for (int a = -12; a <= 12; a += 3)
		for (int b = -3; b <= 8; b++) {
			compare("[%*d]", a, 12345);
			compare("[%-*x]", a, 0xbeef);
			compare("[%.*d]", b, 42);
			compare("[%*.*u]", a, b, 0u);
			compare("[%0*.*d]", a, b, -7);
			compare("[%*.*s]", a, b, "abcdefgh");
			compare("[%*.*f]", a, b, 3.14159);
			compare("[%*.*e]", a, b, -2.5e-7);
			compare("[%*.*g]", a, b, 123456.789);
		}
}

/* ---- strings, characters, pointers, the rest ---------------------------- */

static void test_strings(void)
{
	static const char *const fmts[] = {
		"%s", "%10s", "%-10s", "%.3s", "%10.3s", "%-10.3s", "%.0s", "%.20s",
		"%1s", "[%s|%s]", "%s%%",
	};
	static const char *const strs[] = { "", "a", "hello", "hello, world", "tab\there" };
	static const char *const cfmts[] = { "%c", "%5c", "%-5c", "%1c", "[%c%c]" };
	static const char *const pfmts[] = { "%p", "%20p", "%-20p", "%5p", "[%p]" };
	static void *const ptrs[] = { NULL, (void *)1, (void *)0x10000,
				      (void *)0x7fffffffe000, (void *)~(uintptr_t)0 };
	size_t i, j;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		for (j = 0; j < sizeof(strs) / sizeof(strs[0]); j++)
			compare(fmts[i], strs[j], strs[(j + 1) % 5]);
	for (i = 0; i < sizeof(cfmts) / sizeof(cfmts[0]); i++)
		for (j = 1; j < 256; j += 7)
			compare(cfmts[i], (int)j, 'x');
	for (i = 0; i < sizeof(pfmts) / sizeof(pfmts[0]); i++)
		for (j = 0; j < sizeof(ptrs) / sizeof(ptrs[0]); j++)
			compare(pfmts[i], ptrs[j]);
	compare("%%");
	compare("plain text, no conversions");
	compare("%d%%%s%c|%5d|%-5d|", 1, "two", '3', 4, 5);
	compare("%s", "(null) by hand");
	compare("%s", (char *)NULL);
	compare("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	compare("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	compare("%zu %zd %jd %ju %td", SIZE_MAX, (ssize_t)-1, INTMAX_MIN, UINTMAX_MAX,
		(ptrdiff_t)-5);
}

/* ---- doubles ------------------------------------------------------------ */

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double double_of_bits(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static void check_double_all(const char *const *fmts, size_t nfmts, double v)
{
	size_t i;

	for (i = 0; i < nfmts; i++)
		compare(fmts[i], v);
}

static void test_doubles(void)
{
	static const double specials[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 3.5, -0.5, -2.5, 0.125, 0.375,
		0.05, 0.25, 0.35, 9.9999995, 9.5, 99.5, 999.5, 0.95, 0.995, 0.9999995,
		9999995.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 123456789.0, 0.1, 0.2,
		0.3, 1.0 / 3, 2.0 / 3, 3.14159265358979323846, 2.718281828459045,
		1e-5, 1e-4, 9.99e-5, 0.0001, 0.00001234, 100000.0, 999999.5,
		1234567.0, 5e-324, 2.2250738585072014e-308, 2.2250738585072009e-308,
		DBL_MAX, -DBL_MAX, DBL_MIN, DBL_EPSILON, 4503599627370495.5,
		9007199254740993.0, 0.1 + 0.2, 1e300, 1e-300, -1e-300, 1.7976931348623157e308,
		65536.0, 4294967296.0, 18446744073709551616.0, 0.015625, 1e-10, 6.02214076e23,
	};
	static const char *const flag_convs[] = { "f", "e", "g", "F", "E", "G" };
	static const char *const widths[] = { "", "1", "12", "30" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".2", ".3", ".6",
					     ".10", ".15", ".17", ".20", ".40" };
	static const char *const wide[] = {
		"%.0f", "%.1f", "%.3f", "%f", "%.10f", "%.17f", "%.30f",
		"%.0e", "%.1e", "%.5e", "%e", "%.14e", "%.16e", "%.20e", "%.40e",
		"%g", "%.1g", "%.3g", "%.10g", "%.15g", "%.17g", "%.25g", "%#g", "%#.3g",
		"%+.4e", "% .8f", "%-25.12g", "%025.10e", "%#.0f", "%#.0e",
	};
	static const char *const exact[] = { "%.1100f", "%.780e", "%.800g" };
	char fmt[64], flags[8];
	unsigned mask;
	size_t c, w, p, s;
	int k;
	double m;

	/* Every flag set, width and precision on the special values. */
	for (mask = 0; mask < 32; mask++) {
		flags_of(mask, flags);
		for (c = 0; c < 6; c++)
			for (w = 0; w < 4; w++)
				for (p = 0; p < 12; p++) {
					snprintf(fmt, sizeof(fmt), "%%%s%s%s%s", flags,
						 widths[w], precs[p], flag_convs[c]);
					for (s = 0; s < sizeof(specials) / sizeof(specials[0]); s += 7)
						compare(fmt, specials[s]);
					compare(fmt, INFINITY);
					compare(fmt, -INFINITY);
					compare(fmt, NAN);
					compare(fmt, -NAN);
				}
	}
	for (s = 0; s < sizeof(specials) / sizeof(specials[0]); s++) {
		check_double_all(wide, sizeof(wide) / sizeof(wide[0]), specials[s]);
		check_double_all(wide, sizeof(wide) / sizeof(wide[0]), -specials[s]);
		check_double_all(exact, 3, specials[s]);
	}

	/* Magnitudes 1e-300 .. 1e300, a few mantissas each. */
	for (k = -300; k <= 300; k++)
		for (m = 1.0; m < 10.0; m += 1.37) {
			double v = m * pow(10.0, k);

			check_double_all(wide, sizeof(wide) / sizeof(wide[0]), v);
			if (k % 37 == 0)
				check_double_all(exact, 3, -v);
		}

	/* Random bit patterns (all exponents) and random values near 1. */
	for (s = 0; s < 20000; s++) {
		double v = double_of_bits(rng());

		check_double_all(wide, sizeof(wide) / sizeof(wide[0]), v);
		v = (double)(rng() >> 11) / (double)(1ULL << 53) * 1000.0;
		check_double_all(wide, sizeof(wide) / sizeof(wide[0]), v);
	}
	/* Exact ties: k/2^n printed with just too few digits. */
	for (s = 1; s < 4096; s += 3) {
		double v = (double)s / 4096.0;

		compare("%.0f %.1f %.2f %.3f %.4f %.5f", v, v, v, v, v, v);
		compare("%.0e %.1e %.2e %.3e %.4e", v, v, v, v, v);
		compare("%.1g %.2g %.3g %.4g", v, v, v, v);
	}
	compare("%Lf %Le %Lg", 1.5L, -2.25e10L, 0.0001L);
}

/* ---- the size argument --------------------------------------------------- */

static void test_truncation(void)
{
	static const char *const fmt = "%s|%08.3f|%x";
	char want[64], got[64];
	size_t n;
	int rw, rg;

	for (n = 0; n < 32; n++) {
		memset(want, '#', sizeof(want));
		memset(got, '#', sizeof(got));
		rw = snprintf(want, n, fmt, "truncate me", 3.14159, 0xabcdefu);
		rg = sdk_snprintf(got, n, fmt, "truncate me", 3.14159, 0xabcdefu);
		checks++;
		if (rw != rg || memcmp(want, got, sizeof(want))) {
			mismatches++;
			printf("MISMATCH snprintf size %zu: glibc %d \"%.*s\" sdk %d \"%.*s\"\n",
			       n, rw, (int)n, want, rg, (int)n, got);
		}
	}
}

int main(void)
{
	test_integers();
	test_strings();
	test_doubles();
	test_truncation();
	printf("test_printf: %lu comparisons with glibc, %lu mismatches "
	       "(and %lu of glibc's %%#g bug, where the SDK follows C11)\n",
	       checks, mismatches, glibc_bugs);
	return mismatches ? 1 : 0;
}
