/* SPDX-License-Identifier: MIT */
/*
 * Runs every unit test and prints one line per test:
 *
 *	ok <name>
 *	FAIL <name>: file:line: expression
 *
 * (further failed checks of the same test follow on indented lines), then
 * "unit: N passed, N failed".  Exits 1 if any test failed.
 *
 * An argument runs only the tests whose name contains it:
 *	build/out/unit-tests bus_
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

extern const struct test tests_error[];
extern const struct test tests_parse[];
extern const struct test tests_memmap[];
extern const struct test tests_paging[];
extern const struct test tests_gdt[];
extern const struct test tests_bus[];
extern const struct test tests_unclaimed[];
extern const struct test tests_cli[];
extern const struct test tests_insn[];
extern const struct test tests_supervisor[];
extern const struct test tests_sha256[];
extern const struct test tests_json[];
extern const struct test tests_kvm[];
extern const struct test tests_stats[];
extern const struct test tests_cpuid_cache[];
extern const struct test tests_imagefmt[];
extern const struct test tests_console[];
extern const struct test tests_cpu[];
extern const struct test tests_trace[];
extern const struct test tests_elf[];
extern const struct test tests_multiboot[];
extern const struct test tests_gdb[];

static const struct test *const suites[] = {
	tests_error, tests_parse, tests_memmap, tests_paging, tests_gdt,
	tests_bus, tests_unclaimed, tests_cli, tests_insn, tests_supervisor,
	tests_sha256, tests_json, tests_kvm, tests_stats, tests_cpuid_cache,
	tests_imagefmt, tests_console, tests_cpu, tests_trace, tests_elf,
	tests_multiboot, tests_gdb,
};

static const char *current_test;
static unsigned current_failures;

bool test_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (current_failures++ == 0)
		printf("FAIL %s: %s:%d: %s\n", current_test, file, line, msg);
	else
		printf("    also %s:%d: %s\n", file, line, msg);
	return false;
}

bool test_eq_u64(const char *file, int line, const char *a_expr,
		 const char *b_expr, uint64_t a, uint64_t b)
{
	if (a == b)
		return true;
	return test_fail(file, line, "%s == %s (%#" PRIx64 " != %#" PRIx64 ")",
			 a_expr, b_expr, a, b);
}

bool test_streq(const char *file, int line, const char *a_expr,
		const char *b_expr, const char *a, const char *b)
{
	if (a == b || (a && b && strcmp(a, b) == 0))
		return true;
	return test_fail(file, line, "%s == %s (\"%s\" != \"%s\")", a_expr,
			 b_expr, a ? a : "(null)", b ? b : "(null)");
}

bool test_contains(const char *file, int line, const char *h_expr,
		   const char *haystack, const char *needle)
{
	if (haystack && strstr(haystack, needle))
		return true;
	return test_fail(file, line, "%s contains \"%s\" (it is \"%s\")",
			 h_expr, needle, haystack ? haystack : "(null)");
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned passed = 0, failed = 0, s;
	const struct test *t;

	/* One line at a time, so a crash still shows which test ran. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		for (t = suites[s]; t->name; t++) {
			if (filter && !strstr(t->name, filter))
				continue;
			current_test = t->name;
			current_failures = 0;
			t->fn();
			if (current_failures) {
				failed++;
			} else {
				passed++;
				printf("ok %s\n", t->name);
			}
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
