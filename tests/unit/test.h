/* SPDX-License-Identifier: MIT */
/*
 * A tiny unit-test harness, in the spirit of redis's testhelp.h.
 *
 * A test is a function with no arguments.  It checks things with the
 * TEST_* macros below; a failed check records file:line and the expression
 * and the test goes on (TEST_REQUIRE returns from the test instead, for
 * checks that later code depends on, such as a pointer not being NULL).
 *
 * Each test_<module>.c exports a table of its tests ending in TEST_END:
 *
 *	TEST(parse_u64_decimal) { TEST_EQ(1 + 1, 2); }
 *	const struct test tests_parse[] = {
 *		TEST_ENTRY(parse_u64_decimal),
 *		TEST_END,
 *	};
 *
 * and main.c lists the tables and runs every test.
 */
#ifndef KVMRUN_TEST_H
#define KVMRUN_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct test {
	const char *name;
	void (*fn)(void);
};

#define TEST(fn)        static void fn(void)
#define TEST_ENTRY(fn)  { #fn, fn }
#define TEST_END        { NULL, NULL }

/* Record a failed check of the running test (main.c).  Returns false. */
bool test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool test_eq_u64(const char *file, int line, const char *a_expr,
		 const char *b_expr, uint64_t a, uint64_t b);
bool test_streq(const char *file, int line, const char *a_expr,
		const char *b_expr, const char *a, const char *b);
bool test_contains(const char *file, int line, const char *h_expr,
		   const char *haystack, const char *needle);

/* The check itself; an expression that is true if expr held. */
#define TEST_CHECK(expr) \
	((expr) ? true : test_fail(__FILE__, __LINE__, "%s", #expr))

/* The same, with printf-style context (which table row failed). */
#define TEST_CHECK_MSG(expr, fmt, ...) \
	((expr) ? true : test_fail(__FILE__, __LINE__, "%s [" fmt "]", \
				   #expr, __VA_ARGS__))

/* Stop the test here if expr is false. */
#define TEST_REQUIRE(expr) \
	do { if (!TEST_CHECK(expr)) return; } while (0)

/* a == b as 64-bit unsigned numbers; a failure shows both values. */
#define TEST_EQ(a, b) \
	test_eq_u64(__FILE__, __LINE__, #a, #b, (uint64_t)(a), (uint64_t)(b))

/* Two strings are equal (NULL equals only NULL). */
#define TEST_STREQ(a, b) test_streq(__FILE__, __LINE__, #a, #b, (a), (b))

/* haystack is a string containing needle. */
#define TEST_CONTAINS(haystack, needle) \
	test_contains(__FILE__, __LINE__, #haystack, (haystack), (needle))

#endif
