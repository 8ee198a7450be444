/* SPDX-License-Identifier: MIT */
#include "debug/gdb_addr.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "kvmrun/abi.h"
#include "memmap.h"
#include "parse.h"

#define MAX_TIMEOUT_S   (365ULL * 24 * 3600)

enum {
	OPT_LOAD = 0x100,
	OPT_REGS,
	OPT_STRICT,
	OPT_KVM_DEVICE,
	OPT_NO_TIERING,
	OPT_GDB,
	OPT_GDB_WAIT,
	OPT_CORE,
	OPT_CORE_ALWAYS,
	OPT_GDB_VIA_IDT,
	OPT_TAP,
	OPT_JUNIT,
	OPT_LIST,
	OPT_REPEAT,
	OPT_INPUT,
	OPT_SETS,
	OPT_TIER_ANY_HOST,
	OPT_TIER_EVERY,
	OPT_TIER_DENSE,
	OPT_TIER_IDLE,
	OPT_RING,
	OPT_MODE,
	OPT_APPEND,
	OPT_MODULE,
	OPT_REPORT,
	OPT_TRACE,
	OPT_TRACE_FILE,
	OPT_TRACE_FORMAT,
	OPT_DUMP_MEM,
	OPT_SET,
	OPT_MAX_EXITS,
	OPT_MAX_INSNS,
	OPT_MAX_OUTPUT,
	OPT_NO_CPUID_CACHE,
	OPT_FORMAT,
};

void cli_usage(FILE *out)
{
	fputs("usage: kvmrun [-hqVv] [-e addr] [-m size] [-t duration] [--load addr]\n"
	      "              [--format auto|flat|elf] [--mode long|protected|real]\n"
	      "              [--append string] [--module file[,string]]\n"
	      "              [--regs] [--ring 0|3|auto] [--no-tiering] [--strict]\n"
	      "              [--gdb addr] [--gdb-wait yes|no] [--core file] [--core-always]\n"
	      "              [--report file] [--trace exits|insns] [--trace-file file]\n"
	      "              [--trace-format text|jsonl] [--dump-mem addr:len[:file]]\n"
	      "              [--set reg=value] [--max-exits n] [--max-insns n]\n"
	      "              [--max-output bytes] [--no-cpuid-cache]\n"
	      "              [--tap] [--junit file] [-j n] [--list file] [--repeat n]\n"
	      "              [--input path] [--sets file]\n"
	      "              image...\n"
	      "\n"
	      "Run an x86 guest (a flat binary, an ELF64 executable or a multiboot\n"
	      "kernel) in a new KVM virtual machine (image -:\n"
	      "read it from standard input).\n"
	      "\n"
	      "  -m, --mem SIZE        guest RAM, e.g. 64M, 2G (default 64M, at most 256G)\n"
	      "      --load ADDR       guest-physical load address (default 0x10000)\n"
	      "  -e, --entry ADDR      first instruction (default: the load address)\n"
	      "  -t, --timeout TIME    stop the guest after TIME: seconds, fractions\n"
	      "                        allowed, or with a unit: 500ms, 2s, 1.5m, 1h, 1d\n"
	      "                        (0: no time limit)\n"
	      "      --format F        auto (default: load an ELF64 executable where it\n"
	      "                        says, run anything else unrecognised as flat\n"
	      "                        bytes, refuse what is recognised as neither),\n"
	      "                        elf (an ELF64 executable or nothing) or flat\n"
	      "                        (run the file's bytes whatever they are)\n"
	      "      --mode M          the CPU mode a flat image starts in: long (default:\n"
	      "                        64-bit, paging on), protected (32-bit, paging\n"
	      "                        off) or real (16-bit; CS:IP from the entry)\n"
	      "      --append S        a multiboot kernel's command line (after its name)\n"
	      "      --module F[,S]    a multiboot module: file F, its string S\n"
	      "                        (repeatable, at most 16)\n"
	      "      --ring 0|3|auto   privilege level of the guest (default auto: start\n"
	      "                        in ring 3, move to ring 0 at the first instruction\n"
	      "                        that needs it; on kvm_pvm hosts also move between\n"
	      "                        the rings for speed: ring 0 for bursts of exits,\n"
	      "                        ring 3 to compute)\n"
	      "      --no-tiering      with --ring auto: move to ring 0 only when needed\n"
	      "      --gdb ADDR        serve gdb's remote protocol on ADDR (:1234,\n"
	      "                        HOST:PORT or unix:PATH; loopback by default)\n"
	      "      --gdb-wait yes|no hold the guest before its first instruction until\n"
	      "                        gdb attaches (default yes)\n"
	      "      --core FILE       when the guest crashes, write an ELF core file\n"
	      "                        (gdb IMAGE FILE shows where and how)\n"
	      "      --core-always     with --core: write it whatever the ending\n"
	      "      --tap             run each image as a test: TAP on stdout (also the\n"
	      "                        guest's PASS:/FAIL:/SKIP: lines); several images\n"
	      "                        do this too, with a line per run on stderr\n"
	      "      --junit FILE      the same runs as JUnit XML in FILE\n"
	      "  -j, --jobs N          run N images at once (default 1)\n"
	      "      --list FILE       images to run, one a line (after those given)\n"
	      "      --repeat N        run the image N times in one VM, each run from the\n"
	      "                        state before the first\n"
	      "      --input PATH      a file, or a directory of files: one such run per\n"
	      "                        file, its bytes where the boot info says (repeatable)\n"
	      "      --sets FILE       one run per line of FILE, its REG=VALUE words set\n"
	      "                        at the run's start (and at the guest's snapshot)\n"
	      "      --strict          end the run at the first access to an unclaimed\n"
	      "                        port or MMIO address\n"
	      "  -q, --quiet           no warnings (unclaimed accesses, notes); endings\n"
	      "                        and errors are still reported\n"
	      "  -v, --verbose, --explain\n"
	      "                        explain the machine kvmrun sets up, and the ending\n"
	      "      --regs            print the registers, decoded, when the run ends\n"
	      "      --report FILE     write a JSON report of the run to FILE (- for stderr)\n"
	      "      --trace WHAT      trace every VM exit (exits) or every guest\n"
	      "                        instruction (insns); both: exits,insns\n"
	      "      --trace-file FILE write the trace to FILE instead of stderr\n"
	      "      --trace-format F  text (default) or jsonl\n"
	      "      --dump-mem A:L[:F]\n"
	      "                        at the end, dump L bytes of guest memory at A: hex\n"
	      "                        to stderr, or raw to file F (repeatable)\n"
	      "      --set REG=VALUE   start with general register REG = VALUE; a value\n"
	      "                        may be negative (two's complement) (repeatable)\n"
	      "      --max-exits N     end the run after N VM exits the guest caused\n"
	      "      --max-insns N     end a --trace insns run after N instructions\n"
	      "      --max-output N    end the run once the guest wrote N bytes of output\n"
	      "      --no-cpuid-cache  ask KVM for its CPUID, do not use or write the\n"
	      "                        per-boot cache (docs/internals.md)\n"
	      "  -h, --help            print this help\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "Numbers are decimal or 0x hex.  Exit status: 0 hlt, 1-255 the value\n"
	      "written to port 0xf4, 124 a limit was reached, 125 kvmrun failed,\n"
	      "126 guest crashed, 128+N killed by signal N.\n", out);
}

static int bad_number(struct error *err, const char *opt, const char *arg,
		      const char *why)
{
	return error_set(err, "%s '%s' %s", opt, arg, why);
}

/* A numeric option's argument: a number (size: with a K/M/G/T suffix) >= min. */
static int opt_number(const char *opt, const char *arg, bool size, uint64_t min,
		      uint64_t *out, struct error *err)
{
	const char *why;
	int r = size ? parse_size(arg, min, UINT64_MAX, out, &why)
		     : parse_u64(arg, min, UINT64_MAX, out, &why);

	return r < 0 ? bad_number(err, opt, arg, why) : 0;
}

/* --trace exits|insns|exits,insns */
static int parse_trace(const char *arg, struct config *cfg, struct error *err)
{
	const char *p = arg;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == 5 && strncmp(p, "exits", 5) == 0)
			cfg->trace_exits = true;
		else if (n == 5 && strncmp(p, "insns", 5) == 0)
			cfg->trace_insns = true;
		else
			return error_set(err, "--trace '%s' must be exits, insns or "
				       "exits,insns", arg);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!cfg->trace_exits && !cfg->trace_insns)
		return error_set(err, "--trace needs exits or insns");
	return 0;
}

/* --dump-mem ADDR:LEN[:FILE] */
static int parse_dump(const char *arg, struct config *cfg, struct error *err)
{
	struct mem_dump *d;
	char num[32];
	const char *colon = strchr(arg, ':'), *file, *why;
	size_t n;

	if (cfg->nr_dumps == CONFIG_MAX_DUMPS)
		return error_set(err, "at most %d --dump-mem options", CONFIG_MAX_DUMPS);
	d = &cfg->dumps[cfg->nr_dumps];
	if (!colon || (size_t)(colon - arg) >= sizeof(num))
		return error_set(err, "--dump-mem '%s' must be ADDR:LEN[:FILE]", arg);
	memcpy(num, arg, (size_t)(colon - arg));
	num[colon - arg] = '\0';
	if (parse_u64(num, 0, UINT64_MAX, &d->addr, &why) < 0)
		return error_set(err, "--dump-mem address '%s' %s", num, why);
	file = strchr(colon + 1, ':');
	n = file ? (size_t)(file - colon - 1) : strlen(colon + 1);
	if (n >= sizeof(num))
		return error_set(err, "--dump-mem length in '%s' is not a number", arg);
	memcpy(num, colon + 1, n);
	num[n] = '\0';
	if (parse_size(num, 1, UINT64_MAX, &d->len, &why) < 0)
		return error_set(err, "--dump-mem length '%s' %s", num, why);
	if (d->addr + d->len - 1 < d->addr)
		return error_set(err, "--dump-mem '%s' wraps around", arg);
	d->file = file ? file + 1 : NULL;
	d->arg = arg;
	if (d->file && !*d->file)
		return error_set(err, "--dump-mem '%s' has an empty file name", arg);
	cfg->nr_dumps++;
	return 0;
}

/* A register name as --set takes it: rax ... r15, in either case. */
static int reg_index(const char *name, size_t len)
{
	unsigned i;
	size_t k;

	for (i = 0; i < CPU_NR_GPRS; i++) {
		const char *want = cpu_gprs[i].name;

		if (strlen(want) != len)
			continue;
		for (k = 0; k < len; k++)
			if (name[k] != want[k] && name[k] != want[k] - 'a' + 'A')
				break;
		if (k == len)
			return (int)i;
	}
	return -1;
}

/* REG=VALUE, as --set and --sets take it; VALUE may be negative, as two's
 * complement. */
int cli_parse_reg_set(const char *what, const char *arg, struct reg_set *r,
		      struct error *err)
{
	const char *eq = strchr(arg, '='), *why, *num;
	bool negative;
	uint64_t v;
	int i;

	if (!eq)
		return error_set(err, "%s'%s' must be REG=VALUE", what, arg);
	i = reg_index(arg, (size_t)(eq - arg));
	if (i < 0)
		return error_set(err, "%s'%s': unknown register (rax ... r15)", what, arg);
	num = eq + 1;
	negative = *num == '-';
	/* -0x8000000000000000 is the most negative 64-bit value. */
	if (parse_u64(num + negative, 0, negative ? 1ULL << 63 : UINT64_MAX, &v,
		      &why) < 0)
		return error_set(err, "%s'%s': value %s", what, arg,
			       negative && strcmp(why, "is too large") == 0 ?
			       "is too small (at least -0x8000000000000000)" : why);
	r->value = negative ? 0 - v : v;
	r->reg = (unsigned)i;
	return 0;
}

/* --set REG=VALUE */
static int parse_set(const char *arg, struct config *cfg, struct error *err)
{
	if (cfg->nr_sets == CONFIG_MAX_SETS)
		return error_set(err, "at most %d --set options", CONFIG_MAX_SETS);
	if (cli_parse_reg_set("--set ", arg, &cfg->sets[cfg->nr_sets], err) < 0)
		return -1;
	cfg->nr_sets++;
	return 0;
}

/* Where RAM is, for messages: "0-0x3ffffff", or both ranges. */
static void describe_ram(const struct memmap *mm, char *buf, size_t len)
{
	const struct mem_slot *lo = &mm->slots[0], *hi = &mm->slots[1];

	if (mm->nr_slots == 1)
		snprintf(buf, len, "RAM is 0-%#llx; use --mem",
			 (unsigned long long)(lo->size - 1));
	else
		snprintf(buf, len, "RAM is 0-%#llx and %#llx-%#llx",
			 (unsigned long long)(lo->size - 1), (unsigned long long)hi->gpa,
			 (unsigned long long)(hi->gpa + hi->size - 1));
}

/*
 * --mem, and --load and --entry against it, checked here so that the
 * message quotes the numbers as the user wrote them.  memmap_init checks
 * the size again for callers other than the command line.
 */
static int check_memory_args(struct config *cfg, const char *mem_arg,
			     const char *load_arg, const char *entry_arg,
			     struct error *err)
{
	struct memmap mm;
	char ram[120];

	if (!mem_arg)
		mem_arg = "64M";
	if (cfg->mem_size < MEMMAP_MIN_RAM)
		return error_set(err, "--mem '%s' is too small (at least 1M)", mem_arg);
	if (cfg->mem_size > MEMMAP_MAX_RAM)
		return error_set(err, "--mem '%s' is too large (at most 256G)", mem_arg);
	if (cfg->mem_size % MEMMAP_PAGE_SIZE)
		return error_set(err, "--mem '%s' is not a multiple of 4K", mem_arg);
	if (memmap_init(&mm, cfg->mem_size, err) < 0)
		return -1;
	describe_ram(&mm, ram, sizeof(ram));
	if (load_arg && !memmap_is_ram(&mm, cfg->load_addr, 1))
		return error_set(err, "--load '%s' is outside guest RAM (%s)", load_arg, ram);
	if (entry_arg && !memmap_is_ram(&mm, cfg->entry, 1))
		return error_set(err, "--entry '%s' is outside guest RAM (%s)", entry_arg, ram);
	return 0;
}

/*
 * "--tr" matches --trace, --trace-file and --trace-format: list them into
 * err and return true.  Options that are one option under two names
 * (--verbose, --explain) count once, as getopt_long counts them.
 */
static bool ambiguous_option(const char *prev, const struct option *longopts,
			     struct error *err)
{
	size_t n = strcspn(prev + 2, "=");
	const struct option *lo, *first = NULL;
	char list[300] = "";
	bool ambiguous = false;

	for (lo = longopts; lo->name; lo++) {
		if (strncmp(lo->name, prev + 2, n) != 0)
			continue;
		if (strlen(lo->name) == n)
			return false;           /* an exact match is no ambiguity */
		if (first && (lo->val != first->val || lo->has_arg != first->has_arg))
			ambiguous = true;
		if (!first)
			first = lo;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s--%s",
			 *list ? ", " : "", lo->name);
	}
	if (!ambiguous)
		return false;
	error_set(err, "option --%.*s is ambiguous: it could be %s", (int)n, prev + 2, list);
	return true;
}

/*
 * What getopt_long rejected, with prev = argv[optind - 1].  optopt is 0
 * for an unknown or ambiguous long option (prev is it), the long option's
 * value for "--regs=1", an argument to an option that takes none (prev is
 * it), and the character for an unknown short option (then prev may be an
 * earlier argument: getopt keeps optind on a group like "-vx" until it is
 * done).
 */
static void unknown_option(const char *prev, int opt,
			   const struct option *longopts, struct error *err)
{
	const char *eq = strchr(prev, '=');
	const struct option *lo;

	if (strncmp(prev, "--", 2) == 0 && opt == 0) {
		if (!ambiguous_option(prev, longopts, err))
			error_set(err, "unknown option %s", prev);
		return;
	}
	if (strncmp(prev, "--", 2) == 0 && eq) {
		size_t n = (size_t)(eq - prev - 2);

		/* getopt_long accepts unambiguous prefixes: "--reg=1". */
		for (lo = longopts; lo->name; lo++)
			if (lo->val == opt && strncmp(lo->name, prev + 2, n) == 0) {
				error_set(err, "option --%s takes no argument", lo->name);
				return;
			}
	}
	error_set(err, "unknown option -%c", opt > ' ' && opt < 0x7f ? opt : '?');
}

/*
 * Several images run as a suite, each in a process of its own, its output
 * collected (suite.h): options that name one file for one run do not mix.
 */
static int check_suite_args(const struct config *cfg, struct error *err)
{
	if (cfg->report || cfg->trace_file || cfg->nr_dumps || cfg->core)
		return error_set(err, "--report, --trace-file, --dump-mem and --core name one "
				 "file for one run: not with several images, --tap or --junit");
	if (cfg->gdb)
		return error_set(err, "--gdb debugs one run: not with several images, --tap "
				 "or --junit");
	for (unsigned i = 0; i < cfg->nr_images; i++)
		if (strcmp(cfg->images[i], CONFIG_IMAGE_STDIN) == 0)
			return error_set(err, "image '-' (standard input) cannot be one of a "
					 "suite's images");
	return 0;
}

enum cli_action cli_parse(int argc, char **argv, struct config *cfg,
			  struct error *err)
{
	static const struct option longopts[] = {
		{ "dump-mem",   required_argument, NULL, OPT_DUMP_MEM },
		{ "entry",      required_argument, NULL, 'e' },
		{ "explain",    no_argument,       NULL, 'v' },
		{ "format",     required_argument, NULL, OPT_FORMAT },
		{ "help",       no_argument,       NULL, 'h' },
		{ "kvm-device", required_argument, NULL, OPT_KVM_DEVICE },
		{ "load",       required_argument, NULL, OPT_LOAD },
		{ "max-exits",  required_argument, NULL, OPT_MAX_EXITS },
		{ "max-insns",  required_argument, NULL, OPT_MAX_INSNS },
		{ "max-output", required_argument, NULL, OPT_MAX_OUTPUT },
		{ "mem",        required_argument, NULL, 'm' },
		{ "no-cpuid-cache", no_argument,   NULL, OPT_NO_CPUID_CACHE },
		{ "no-tiering", no_argument,       NULL, OPT_NO_TIERING },
		{ "gdb",        required_argument, NULL, OPT_GDB },
		{ "gdb-wait",   required_argument, NULL, OPT_GDB_WAIT },
		{ "core",       required_argument, NULL, OPT_CORE },
		{ "core-always", no_argument,      NULL, OPT_CORE_ALWAYS },
		{ "gdb-via-idt", no_argument,      NULL, OPT_GDB_VIA_IDT },
		{ "tap",        no_argument,       NULL, OPT_TAP },
		{ "junit",      required_argument, NULL, OPT_JUNIT },
		{ "list",       required_argument, NULL, OPT_LIST },
		{ "repeat",     required_argument, NULL, OPT_REPEAT },
		{ "input",      required_argument, NULL, OPT_INPUT },
		{ "sets",       required_argument, NULL, OPT_SETS },
		{ "jobs",       required_argument, NULL, 'j' },
		{ "tier-any-host", no_argument,    NULL, OPT_TIER_ANY_HOST },
		{ "tier-every", required_argument, NULL, OPT_TIER_EVERY },
		{ "tier-dense", required_argument, NULL, OPT_TIER_DENSE },
		{ "tier-idle",  required_argument, NULL, OPT_TIER_IDLE },
		{ "regs",       no_argument,       NULL, OPT_REGS },
		{ "report",     required_argument, NULL, OPT_REPORT },
		{ "quiet",      no_argument,       NULL, 'q' },
		{ "ring",       required_argument, NULL, OPT_RING },
		{ "mode",       required_argument, NULL, OPT_MODE },
		{ "append",     required_argument, NULL, OPT_APPEND },
		{ "module",     required_argument, NULL, OPT_MODULE },
		{ "set",        required_argument, NULL, OPT_SET },
		{ "strict",     no_argument,       NULL, OPT_STRICT },
		{ "timeout",    required_argument, NULL, 't' },
		{ "trace",      required_argument, NULL, OPT_TRACE },
		{ "trace-file", required_argument, NULL, OPT_TRACE_FILE },
		{ "trace-format", required_argument, NULL, OPT_TRACE_FORMAT },
		{ "verbose",    no_argument,       NULL, 'v' },
		{ "version",    no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why, *mem_arg = NULL, *load_arg = NULL, *entry_arg = NULL;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = MEMMAP_DEFAULT_RAM;
	cfg->load_addr = KVMRUN_DEFAULT_LOAD;

	optind = 0;     /* glibc: full reinitialisation, so tests can call again */
	opterr = 0;     /* errors are reported through err */
	while ((c = getopt_long(argc, argv, ":e:hj:m:qt:vV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (opt_number("--entry", optarg, false, 0, &cfg->entry, err) < 0)
				return CLI_USAGE_ERROR;
			cfg->entry_set = true;
			entry_arg = optarg;
			break;
		case 'h':
			return CLI_HELP;
		case 'm':
			if (opt_number("--mem", optarg, true, 1, &cfg->mem_size, err) < 0)
				return CLI_USAGE_ERROR;
			mem_arg = optarg;
			break;
		case 'q':
			cfg->quiet = true;
			break;
		case 't':
			if (parse_seconds(optarg, MAX_TIMEOUT_S, &cfg->timeout_ns, &why) == 0)
				break;
			/* 0 is no time limit, as for timeout(1). */
			if (strcmp(why, "must not be zero") == 0) {
				cfg->timeout_ns = 0;
				break;
			}
			error_set(err, "--timeout '%s' %s%s", optarg, why,
				strcmp(why, "is too large") == 0 ? " (at most 365d)" : "");
			return CLI_USAGE_ERROR;
		case 'v':
			cfg->verbose = true;
			break;
		case 'V':
			return CLI_VERSION;
		case OPT_LOAD:
			if (opt_number("--load", optarg, false, 0, &cfg->load_addr, err) < 0)
				return CLI_USAGE_ERROR;
			load_arg = optarg;
			cfg->load_set = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "auto") == 0)
				cfg->format = IMAGE_AUTO;
			else if (strcmp(optarg, "flat") == 0)
				cfg->format = IMAGE_FLAT;
			else if (strcmp(optarg, "elf") == 0)
				cfg->format = IMAGE_ELF;
			else {
				error_set(err, "--format '%s' must be auto, flat or elf", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_REGS:
			cfg->print_regs = true;
			break;
		case OPT_STRICT:
			cfg->strict = true;
			break;
		case OPT_APPEND:
			cfg->append = optarg;
			break;
		case OPT_MODULE: {
			const char *comma = strchr(optarg, ',');
			struct config_module *mod;

			if (cfg->nr_modules == CONFIG_MAX_MODULES) {
				error_set(err, "--module: at most %d modules", CONFIG_MAX_MODULES);
				return CLI_USAGE_ERROR;
			}
			mod = &cfg->modules[cfg->nr_modules++];
			mod->path = optarg;
			mod->path_len = comma ? (size_t)(comma - optarg) : strlen(optarg);
			mod->string = comma ? comma + 1 : "";
			if (mod->path_len == 0) {
				error_set(err, "--module '%s' needs a file name", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		}
		case OPT_MODE:
			cfg->mode_set = true;
			if (strcmp(optarg, "long") == 0)
				cfg->mode = MODE_LONG;
			else if (strcmp(optarg, "protected") == 0)
				cfg->mode = MODE_PROTECTED;
			else if (strcmp(optarg, "real") == 0)
				cfg->mode = MODE_REAL;
			else {
				cfg->mode_set = false;
				error_set(err, "--mode '%s' must be long, protected or real", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_RING:
			if (strcmp(optarg, "0") == 0)
				cfg->ring = RING_0;
			else if (strcmp(optarg, "3") == 0)
				cfg->ring = RING_3;
			else if (strcmp(optarg, "auto") == 0)
				cfg->ring = RING_AUTO;
			else {
				error_set(err, "--ring '%s' must be 0, 3 or auto", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_KVM_DEVICE:
			cfg->kvm_device = optarg;
			break;
		case OPT_NO_TIERING:
			cfg->tiering = TIERING_NO;
			break;
		case OPT_GDB: {
			struct gdb_addr a;

			if (gdb_addr_parse(optarg, &a, err) < 0)
				return CLI_USAGE_ERROR;
			cfg->gdb = optarg;
			break;
		}
		case OPT_CORE:
			cfg->core = optarg;
			break;
		case OPT_CORE_ALWAYS:
			cfg->core_always = true;
			break;
		/* Hidden: stop and step through kvmrun's IDT even where KVM's
		 * own debugging works, to test what kvm_pvm hosts use. */
		case OPT_GDB_VIA_IDT:
			cfg->gdb_via_idt = true;
			break;
		case OPT_TAP:
			cfg->tap = true;
			break;
		case OPT_JUNIT:
			cfg->junit = optarg;
			break;
		case OPT_LIST:
			cfg->list = optarg;
			break;
		case OPT_INPUT:
			if (cfg->nr_input_paths == CONFIG_MAX_INPUT_PATHS) {
				error_set(err, "--input: at most %d (a directory holds many)",
					  CONFIG_MAX_INPUT_PATHS);
				return CLI_USAGE_ERROR;
			}
			cfg->input_paths[cfg->nr_input_paths++] = optarg;
			break;
		case OPT_SETS:
			cfg->sets_path = optarg;
			break;
		case OPT_REPEAT:
			if (opt_number("--repeat", optarg, false, 1, &cfg->repeat, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case 'j':
			if (opt_number("--jobs", optarg, false, 1, &cfg->jobs, err) < 0)
				return CLI_USAGE_ERROR;
			if (cfg->jobs > 64) {
				error_set(err, "--jobs '%s' is too many (at most 64)", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_GDB_WAIT:
			if (strcmp(optarg, "yes") == 0) {
				cfg->gdb_no_wait = false;
			} else if (strcmp(optarg, "no") == 0) {
				cfg->gdb_no_wait = true;
			} else {
				error_set(err, "--gdb-wait '%s' must be yes or no", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		/* Hidden (docs/internals.md, "Tiering"): for tests and for
		 * measuring the thresholds. */
		case OPT_TIER_ANY_HOST:
			cfg->tiering = TIERING_ANY_HOST;
			break;
		case OPT_TIER_EVERY:
			if (opt_number("--tier-every", optarg, false, 1, &cfg->tier_every, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_TIER_DENSE:
			if (opt_number("--tier-dense", optarg, false, 1, &cfg->tier_dense, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_TIER_IDLE:
			if (parse_seconds(optarg, MAX_TIMEOUT_S, &cfg->tier_idle_ns, &why) < 0) {
				error_set(err, "--tier-idle '%s' %s", optarg, why);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_REPORT:
			cfg->report = optarg;
			break;
		case OPT_TRACE:
			if (parse_trace(optarg, cfg, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_TRACE_FILE:
			cfg->trace_file = optarg;
			break;
		case OPT_TRACE_FORMAT:
			if (strcmp(optarg, "text") == 0)
				cfg->trace_format = TRACE_TEXT;
			else if (strcmp(optarg, "jsonl") == 0)
				cfg->trace_format = TRACE_JSONL;
			else {
				error_set(err, "--trace-format '%s' must be text or jsonl", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_DUMP_MEM:
			if (parse_dump(optarg, cfg, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_SET:
			if (parse_set(optarg, cfg, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_MAX_EXITS:
			if (opt_number("--max-exits", optarg, false, 1, &cfg->max_exits, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_MAX_INSNS:
			if (opt_number("--max-insns", optarg, false, 1, &cfg->max_insns, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_MAX_OUTPUT:
			if (opt_number("--max-output", optarg, true, 1, &cfg->max_output, err) < 0)
				return CLI_USAGE_ERROR;
			break;
		case OPT_NO_CPUID_CACHE:
			cfg->no_cpuid_cache = true;
			break;
		case ':':
			error_set(err, "option %s needs an argument", argv[optind - 1]);
			return CLI_USAGE_ERROR;
		default:
			unknown_option(argv[optind - 1], optopt, longopts, err);
			return CLI_USAGE_ERROR;
		}
	}
	if (optind >= argc && !cfg->list) {
		error_set(err, "no image given");
		return CLI_USAGE_ERROR;
	}
	cfg->images = argv + optind;
	cfg->nr_images = (unsigned)(argc - optind);
	cfg->suite = cfg->nr_images > 1 || cfg->tap || cfg->junit || cfg->list;
	if (!cfg->jobs)
		cfg->jobs = 1;
	if (cfg->jobs > 1 && !cfg->suite) {
		error_set(err, "--jobs needs several images, --tap or --junit");
		return CLI_USAGE_ERROR;
	}
	if (cfg->suite && check_suite_args(cfg, err) < 0)
		return CLI_USAGE_ERROR;
	if ((cfg->trace_file || cfg->trace_format != TRACE_TEXT) &&
	    !cfg->trace_exits && !cfg->trace_insns) {
		error_set(err, "--trace-file and --trace-format need --trace");
		return CLI_USAGE_ERROR;
	}
	if (cfg->max_insns && !cfg->trace_insns) {
		error_set(err, "--max-insns needs --trace insns");
		return CLI_USAGE_ERROR;
	}
	/* Rings and the trap-flag stepper are the long-mode supervisor's. */
	if (cfg->mode != MODE_LONG && cfg->ring == RING_3) {
		error_set(err, "--ring 3 needs --mode long: in %s mode the guest runs in "
			  "ring 0", cfg->mode == MODE_REAL ? "real" : "protected");
		return CLI_USAGE_ERROR;
	}
	if ((cfg->tiering != TIERING_ON_PVM || cfg->tier_every || cfg->tier_dense ||
	     cfg->tier_idle_ns) && cfg->ring != RING_AUTO) {
		error_set(err, "tiering options need --ring auto: --ring %s pins the ring",
			  cfg->ring == RING_0 ? "0" : "3");
		return CLI_USAGE_ERROR;
	}
	if (cfg->tiering == TIERING_NO && (cfg->tier_every || cfg->tier_dense ||
					   cfg->tier_idle_ns)) {
		error_set(err, "--no-tiering turns off what --tier-every, --tier-dense "
			  "and --tier-idle tune");
		return CLI_USAGE_ERROR;
	}
	if (cfg->core_always && !cfg->core) {
		error_set(err, "--core-always needs --core FILE");
		return CLI_USAGE_ERROR;
	}
	if (cfg->nr_input_paths && (cfg->repeat || cfg->suite || cfg->mode != MODE_LONG)) {
		error_set(err, "--input runs one image once per input (in long mode): not "
			  "with --repeat, several images, --mode, --tap or --junit");
		return CLI_USAGE_ERROR;
	}
	if (cfg->sets_path && (cfg->repeat || cfg->suite || cfg->mode != MODE_LONG)) {
		error_set(err, "--sets runs one image once per line (in long mode): not "
			  "with --repeat, several images, --mode, --tap or --junit");
		return CLI_USAGE_ERROR;
	}
	if ((cfg->repeat > 1 || cfg->nr_input_paths || cfg->sets_path) &&
	    (cfg->gdb || cfg->trace_insns)) {
		error_set(err, "%s does not go with --gdb or --trace insns",
			  cfg->repeat > 1 ? "--repeat" : cfg->nr_input_paths ? "--input" : "--sets");
		return CLI_USAGE_ERROR;
	}
	if (cfg->gdb_no_wait && !cfg->gdb) {
		error_set(err, "--gdb-wait needs --gdb");
		return CLI_USAGE_ERROR;
	}
	if (cfg->gdb && cfg->trace_insns) {
		error_set(err, "--gdb does not go with --trace insns (both step the guest)");
		return CLI_USAGE_ERROR;
	}
	if (cfg->mode != MODE_LONG && cfg->trace_insns) {
		error_set(err, "--trace insns needs --mode long (its stepper is the "
			  "long-mode supervisor's)");
		return CLI_USAGE_ERROR;
	}
	if (check_memory_args(cfg, mem_arg, load_arg, entry_arg, err) < 0)
		return CLI_USAGE_ERROR;
	cfg->image = argv[optind];
	return CLI_RUN;
}
