/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for cli.c: command lines in, struct config or an error out.
 * getopt may reorder argv, so each run copies its arguments into writable
 * strings (cli_args) and frees them afterwards (cli_done).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cpu.h"
#include "kvmrun/abi.h"
#include "memmap.h"
#include "test.h"

#define MAX_ARGS 16

struct cli_run {
	char *argv[MAX_ARGS + 1];
	int argc;
	struct config cfg;
	struct error err;
};

/* Run cli_parse on "kvmrun" followed by the arguments up to NULL. */
static enum cli_action cli_args(struct cli_run *r, ...)
{
	const char *arg;
	va_list ap;

	memset(r, 0, sizeof(*r));
	r->argv[r->argc++] = strdup("kvmrun");
	va_start(ap, r);
	while ((arg = va_arg(ap, const char *)) && r->argc < MAX_ARGS)
		r->argv[r->argc++] = strdup(arg);
	va_end(ap);
	r->argv[r->argc] = NULL;
	return cli_parse(r->argc, r->argv, &r->cfg, &r->err);
}

static void cli_done(struct cli_run *r)
{
	int i;

	for (i = 0; i < r->argc; i++)
		free(r->argv[i]);
}

TEST(cli_defaults)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "img", NULL), CLI_RUN);
	TEST_STREQ(r.cfg.image, "img");
	TEST_EQ(r.cfg.mem_size, 64ULL << 20);
	TEST_EQ(r.cfg.mem_size, MEMMAP_DEFAULT_RAM);
	TEST_EQ(r.cfg.load_addr, 0x10000);
	TEST_EQ(r.cfg.load_addr, KVMRUN_DEFAULT_LOAD);
	TEST_CHECK(!r.cfg.entry_set);
	TEST_EQ(r.cfg.timeout_ns, 0);
	TEST_CHECK(!r.cfg.verbose);
	TEST_CHECK(!r.cfg.print_regs);
	TEST_CHECK(!r.cfg.strict);
	TEST_CHECK(r.cfg.kvm_device == NULL);
	cli_done(&r);
}

TEST(cli_mem)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "-m", "16M", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.mem_size, 16ULL << 20);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--mem=1G", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.mem_size, 1ULL << 30);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--mem", "0x200000", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.mem_size, 0x200000);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-m2G", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.mem_size, 2ULL << 30);
	cli_done(&r);
}

TEST(cli_load_and_entry)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "--load", "0x200000", "-e", "0x200010", "img", NULL),
		CLI_RUN);
	TEST_EQ(r.cfg.load_addr, 0x200000);
	TEST_EQ(r.cfg.entry, 0x200010);
	TEST_CHECK(r.cfg.entry_set);
	cli_done(&r);

	/* -e 0 is an entry point like any other, not "unset". */
	TEST_EQ(cli_args(&r, "--entry=0", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.entry, 0);
	TEST_CHECK(r.cfg.entry_set);
	TEST_EQ(r.cfg.load_addr, KVMRUN_DEFAULT_LOAD);
	cli_done(&r);
}

TEST(cli_timeout)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "-t", "0.5", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.timeout_ns, 500000000);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--timeout=2", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.timeout_ns, 2000000000);
	cli_done(&r);
}

TEST(cli_flags)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "-v", "--regs", "--strict", "img", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.verbose);
	TEST_CHECK(r.cfg.print_regs);
	TEST_CHECK(r.cfg.strict);
	TEST_STREQ(r.cfg.image, "img");
	cli_done(&r);

	TEST_EQ(cli_args(&r, "--verbose", "--kvm-device", "/dev/null", "img", NULL),
		CLI_RUN);
	TEST_CHECK(r.cfg.verbose);
	TEST_STREQ(r.cfg.kvm_device, "/dev/null");
	cli_done(&r);
}

TEST(cli_options_after_image)
{
	struct cli_run r;

	/* GNU getopt permutes: options may follow the image. */
	TEST_EQ(cli_args(&r, "img", "-v", "-m", "8M", NULL), CLI_RUN);
	TEST_STREQ(r.cfg.image, "img");
	TEST_CHECK(r.cfg.verbose);
	TEST_EQ(r.cfg.mem_size, 8ULL << 20);
	cli_done(&r);

	/* After "--", an image name may start with '-'. */
	TEST_EQ(cli_args(&r, "-v", "--", "-img", NULL), CLI_RUN);
	TEST_STREQ(r.cfg.image, "-img");
	cli_done(&r);
}

TEST(cli_help_and_version)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "-h", NULL), CLI_HELP);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--help", "img", NULL), CLI_HELP);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-V", NULL), CLI_VERSION);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--version", NULL), CLI_VERSION);
	cli_done(&r);
}

TEST(cli_image_count)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "no image");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-v", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "no image");
	cli_done(&r);
	/* Several images: a suite (suite.h). */
	TEST_EQ(cli_args(&r, "a.bin", "b.bin", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.suite);
	TEST_EQ(r.cfg.nr_images, 2);
	TEST_STREQ(r.cfg.images[1], "b.bin");
	TEST_EQ(r.cfg.jobs, 1);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--tap", "-j", "4", "a.bin", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.suite);
	TEST_CHECK(r.cfg.tap);
	TEST_EQ(r.cfg.jobs, 4);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-j", "2", "a.bin", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--jobs needs several images");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--report", "r.json", "a.bin", "b.bin", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "not with several images");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--junit", "j.xml", "a.bin", "-", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "standard input");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--tap", "-j", "65", "a.bin", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "at most 64");
	cli_done(&r);
	/* --repeat N: one image, N runs in one VM. */
	TEST_EQ(cli_args(&r, "--repeat", "1000", "a.bin", NULL), CLI_RUN);
	TEST_EQ(r.cfg.repeat, 1000);
	TEST_CHECK(!r.cfg.suite);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--repeat", "0", "a.bin", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--repeat '0'");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--repeat", "2", "--trace", "insns", "a.bin", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--repeat does not go with");
	cli_done(&r);
}

TEST(cli_unknown_options)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "-x", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "unknown option");
	TEST_CONTAINS(r.err.msg, "-x");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--bogus", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "unknown option");
	TEST_CONTAINS(r.err.msg, "--bogus");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-vy", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "-y");
	cli_done(&r);
}

/*
 * A long option that takes no argument, given one: glibc returns '?' with
 * optopt set to the option's val ('v', or OPT_REGS = 0x101...), which is
 * not an unknown short option character.
 */
TEST(cli_long_option_with_unwanted_argument)
{
	static const struct { const char *arg, *name; } rows[] = {
		{ "--regs=1", "--regs" },
		{ "--strict=yes", "--strict" },
		{ "--verbose=2", "--verbose" },
		{ "--help=me", "--help" },
	};
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cli_run r;
		const char *p;

		TEST_CHECK_MSG(cli_args(&r, rows[i].arg, "img", NULL) == CLI_USAGE_ERROR,
			       "%s", rows[i].arg);
		TEST_CONTAINS(r.err.msg, rows[i].name);
		for (p = r.err.msg; *p; p++)
			if (!TEST_CHECK_MSG((unsigned char)*p >= ' ', "%s: control "
					    "character %#x in the message", rows[i].arg, *p))
				break;
		cli_done(&r);
	}
}

TEST(cli_missing_argument)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "img", "-m", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "needs an argument");
	TEST_CONTAINS(r.err.msg, "-m");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "img", "--timeout", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--timeout");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "img", "-e", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "-e");
	cli_done(&r);
}

TEST(cli_bad_numbers_name_the_option)
{
	static const struct {
		const char *opt, *arg, *name, *why;
	} rows[] = {
		{ "-m", "12lots", "--mem", "unknown suffix" },
		{ "-m", "0", "--mem", "zero" },
		{ "--mem", "99999999999T", "--mem", "too large" },
		{ "-e", "main", "--entry", "not a number" },
		{ "--load", "-1", "--load", "not a number" },
		{ "--load", "", "--load", "empty" },
		{ "-t", "0.0000000001", "--timeout", "less than a nanosecond" },
		{ "-t", "1e3", "--timeout", "not a number" },
		{ "-t", "99999999999", "--timeout", "too large (at most 365d)" },
	};
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cli_run r;

		TEST_CHECK_MSG(cli_args(&r, rows[i].opt, rows[i].arg, "img", NULL) ==
			       CLI_USAGE_ERROR, "%s %s", rows[i].opt, rows[i].arg);
		TEST_CONTAINS(r.err.msg, rows[i].name);
		TEST_CONTAINS(r.err.msg, rows[i].why);
		cli_done(&r);
	}
}

TEST(cli_bad_number_quotes_argument)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "--mem", "12Q", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--mem '12Q'");
	cli_done(&r);
}

TEST(cli_parse_is_repeatable)
{
	struct cli_run r;

	/* Each call starts from the defaults and from argv[1]. */
	TEST_EQ(cli_args(&r, "-v", "-m", "8M", "first", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.verbose);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-x", "img", NULL), CLI_USAGE_ERROR);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "second", NULL), CLI_RUN);
	TEST_STREQ(r.cfg.image, "second");
	TEST_CHECK(!r.cfg.verbose);
	TEST_EQ(r.cfg.mem_size, MEMMAP_DEFAULT_RAM);
	cli_done(&r);
	/* A short option cluster cut short by an error does not leak either. */
	TEST_EQ(cli_args(&r, "-vx", "img", NULL), CLI_USAGE_ERROR);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-V", NULL), CLI_VERSION);
	cli_done(&r);
}

TEST(cli_usage_mentions_options)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	TEST_REQUIRE(f != NULL);
	cli_usage(f);
	fclose(f);
	TEST_CONTAINS(text, "usage: kvmrun");
	TEST_CONTAINS(text, "--mem");
	TEST_CONTAINS(text, "--timeout");
	TEST_CONTAINS(text, "--strict");
	free(text);
}


/* Found by fuzzing: getopt permutes non-options and accepts prefixes of
 * long options, and keeps optind on a short-option group. */
TEST(cli_error_names_the_right_option)
{
	static const struct { const char *a, *b, *c, *want; } rows[] = {
		{ "img", "--h=x", NULL, "option --help takes no argument" },
		{ "--reg=1", "img", NULL, "option --regs takes no argument" },
		{ "--regs", "-xv", "img", "unknown option -x" },
		{ "--load=0x20000", "-vx", "img", "unknown option -x" },
		{ "img", "--bogus", NULL, "unknown option --bogus" },
	};
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cli_run r;

		TEST_CHECK_MSG(cli_args(&r, rows[i].a, rows[i].b, rows[i].c, NULL) ==
			       CLI_USAGE_ERROR, "%s %s", rows[i].a, rows[i].b);
		TEST_CHECK_MSG(strcmp(r.err.msg, rows[i].want) == 0, "%s %s: got '%s'",
			       rows[i].a, rows[i].b, r.err.msg);
		cli_done(&r);
	}
}

/* -t takes units as timeout(1) does, and ms. */
TEST(cli_timeout_units)
{
	static const struct { const char *arg; uint64_t ns; } rows[] = {
		{ "1s", 1000000000ULL }, { "500ms", 500000000ULL },
		{ "1m", 60000000000ULL }, { "0.5h", 1800000000000ULL },
		{ "1d", 86400000000000ULL },
	};
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cli_run r;

		TEST_CHECK_MSG(cli_args(&r, "-t", rows[i].arg, "img", NULL) == CLI_RUN,
			       "-t %s: %s", rows[i].arg, r.err.msg);
		TEST_CHECK_MSG(r.cfg.timeout_ns == rows[i].ns, "-t %s gave %llu ns",
			       rows[i].arg, (unsigned long long)r.cfg.timeout_ns);
		cli_done(&r);
	}
}

/* -t 0 is no time limit, as timeout(1) reads it. */
TEST(cli_timeout_zero_is_none)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "-t", "5", "-t", "0", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.timeout_ns, 0);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-t", "0ms", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.timeout_ns, 0);
	cli_done(&r);
}

/* --set: upper-case names, negative values as two's complement. */
TEST(cli_set_values)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "--set", "RAX=-1", "--set", "R15=0x10", "--set",
			 "rBx=-0x8000000000000000", "--set", "rcx=-0", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.nr_sets, 4);
	TEST_EQ(r.cfg.sets[0].reg, 0);
	TEST_EQ(r.cfg.sets[0].value, UINT64_MAX);
	TEST_STREQ(cpu_gprs[r.cfg.sets[1].reg].name, "r15");
	TEST_EQ(r.cfg.sets[1].value, 0x10);
	TEST_STREQ(cpu_gprs[r.cfg.sets[2].reg].name, "rbx");
	TEST_EQ(r.cfg.sets[2].value, 0x8000000000000000ULL);
	TEST_EQ(r.cfg.sets[3].value, 0);
	cli_done(&r);

	TEST_EQ(cli_args(&r, "--set", "rax=-0x8000000000000001", "img", NULL),
		CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "too small");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--set", "rax=--1", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "not a number");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--set", "rip=1", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "unknown register");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--set", "ra=1", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "unknown register");
	cli_done(&r);
}

/* A prefix of several options names them all; of one option, is it. */
TEST(cli_ambiguous_abbreviations)
{
	static const struct { const char *arg; const char *want; } rows[] = {
		{ "--tr", "option --tr is ambiguous: it could be --trace, --trace-file, --trace-format" },
		{ "--max", "--max-exits, --max-insns, --max-output" },
		{ "--ver", "--verbose, --version" },
		{ "--e=1", "option --e is ambiguous: it could be --entry, --explain" },
	};
	unsigned i;
	struct cli_run r;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		TEST_CHECK_MSG(cli_args(&r, rows[i].arg, "x", "img", NULL) == CLI_USAGE_ERROR,
			       "%s", rows[i].arg);
		TEST_CONTAINS(r.err.msg, rows[i].want);
		cli_done(&r);
	}
	/* Unambiguous prefixes still work; --trace is exact, not a prefix. */
	TEST_EQ(cli_args(&r, "--stri", "--trace", "exits", "--qui", "img", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.strict);
	TEST_CHECK(r.cfg.trace_exits);
	TEST_CHECK(r.cfg.quiet);
	cli_done(&r);
}

TEST(cli_quiet_format_and_stdin)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "img", NULL), CLI_RUN);
	TEST_CHECK(!r.cfg.quiet);
	TEST_EQ(r.cfg.format, IMAGE_AUTO);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-q", "--format", "flat", "-", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.quiet);
	TEST_EQ(r.cfg.format, IMAGE_FLAT);
	TEST_STREQ(r.cfg.image, CONFIG_IMAGE_STDIN);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--format=auto", "--quiet", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.format, IMAGE_AUTO);
	TEST_CHECK(r.cfg.quiet);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--format", "elf", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.format, IMAGE_ELF);
	TEST_CHECK(!r.cfg.load_set);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--load", "0x20000", "img", NULL), CLI_RUN);
	TEST_CHECK(r.cfg.load_set);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--format", "coff", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--format 'coff' must be auto, flat or elf");
	cli_done(&r);
}

/* Messages quote numbers as the user wrote them, not as kvmrun prints them. */
TEST(cli_numbers_quoted_as_written)
{
	static const struct { const char *opt, *arg, *want; } rows[] = {
		{ "-m", "100000", "--mem '100000' is too small (at least 1M)" },
		{ "-m", "1048577", "--mem '1048577' is not a multiple of 4K" },
		{ "-m", "300G", "--mem '300G' is too large (at most 256G)" },
		{ "--load", "3221225472", "--load '3221225472' is outside guest RAM (RAM is 0-0x3ffffff; use --mem)" },
		{ "-e", "67108864", "--entry '67108864' is outside guest RAM" },
	};
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cli_run r;

		TEST_CHECK_MSG(cli_args(&r, rows[i].opt, rows[i].arg, "img", NULL) ==
			       CLI_USAGE_ERROR, "%s %s", rows[i].opt, rows[i].arg);
		TEST_CONTAINS(r.err.msg, rows[i].want);
		cli_done(&r);
	}
}

/* Addresses are checked against the RAM --mem gives, wherever it is given. */
TEST(cli_addresses_against_mem)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "--load", "0x100000000", "-m", "4G", "img", NULL), CLI_RUN);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--load", "0xc0000000", "-m", "4G", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "RAM is 0-0xbfffffff and 0x100000000-0x13fffffff");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-e", "0x3ffffff", "img", NULL), CLI_RUN);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "-e", "0x4000000", "img", NULL), CLI_USAGE_ERROR);
	cli_done(&r);
}

/* --dump-mem keeps the argument as written, for its messages. */
TEST(cli_dump_mem_keeps_argument)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "--dump-mem", "65536:16:f", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.nr_dumps, 1);
	TEST_EQ(r.cfg.dumps[0].addr, 65536);
	TEST_STREQ(r.cfg.dumps[0].arg, "65536:16:f");
	TEST_STREQ(r.cfg.dumps[0].file, "f");
	cli_done(&r);
}

/* Tiering: on by default (on kvm_pvm hosts), its options need --ring auto. */
TEST(cli_tiering)
{
	struct cli_run r;

	TEST_EQ(cli_args(&r, "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.tiering, TIERING_ON_PVM);
	TEST_EQ(r.cfg.tier_every, 0);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--no-tiering", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.tiering, TIERING_NO);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--tier-any-host", "--tier-every", "3", "--tier-dense", "4",
			 "--tier-idle", "2ms", "img", NULL), CLI_RUN);
	TEST_EQ(r.cfg.tiering, TIERING_ANY_HOST);
	TEST_EQ(r.cfg.tier_every, 3);
	TEST_EQ(r.cfg.tier_dense, 4);
	TEST_EQ(r.cfg.tier_idle_ns, 2000000);
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--ring", "0", "--no-tiering", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "need --ring auto");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--ring", "3", "--tier-every", "2", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--ring 3 pins the ring");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--no-tiering", "--tier-idle", "1ms", "img", NULL),
		CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--no-tiering");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--tier-every", "0", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--tier-every '0'");
	cli_done(&r);
	TEST_EQ(cli_args(&r, "--tier-idle", "soon", "img", NULL), CLI_USAGE_ERROR);
	TEST_CONTAINS(r.err.msg, "--tier-idle 'soon'");
	cli_done(&r);
}

const struct test tests_cli[] = {
	TEST_ENTRY(cli_defaults),
	TEST_ENTRY(cli_mem),
	TEST_ENTRY(cli_load_and_entry),
	TEST_ENTRY(cli_timeout),
	TEST_ENTRY(cli_flags),
	TEST_ENTRY(cli_options_after_image),
	TEST_ENTRY(cli_help_and_version),
	TEST_ENTRY(cli_image_count),
	TEST_ENTRY(cli_unknown_options),
	TEST_ENTRY(cli_tiering),
	TEST_ENTRY(cli_long_option_with_unwanted_argument),
	TEST_ENTRY(cli_missing_argument),
	TEST_ENTRY(cli_error_names_the_right_option),
	TEST_ENTRY(cli_bad_numbers_name_the_option),
	TEST_ENTRY(cli_bad_number_quotes_argument),
	TEST_ENTRY(cli_parse_is_repeatable),
	TEST_ENTRY(cli_usage_mentions_options),
	TEST_ENTRY(cli_timeout_units),
	TEST_ENTRY(cli_timeout_zero_is_none),
	TEST_ENTRY(cli_set_values),
	TEST_ENTRY(cli_ambiguous_abbreviations),
	TEST_ENTRY(cli_quiet_format_and_stdin),
	TEST_ENTRY(cli_numbers_quoted_as_written),
	TEST_ENTRY(cli_addresses_against_mem),
	TEST_ENTRY(cli_dump_mem_keeps_argument),
	TEST_END,
};
