/* SPDX-License-Identifier: MIT */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "kvmrun/abi.h"
#include "memmap.h"
#include "parse.h"

#define MAX_TIMEOUT_S   (365ULL * 24 * 3600)

enum {
	OPT_LOAD = 0x100,
	OPT_REGS,
	OPT_STRICT,
	OPT_KVM_DEVICE,
	OPT_RING,
};

void cli_usage(FILE *out)
{
	fputs("usage: kvmrun [-hVv] [-e addr] [-m size] [-t seconds] [--load addr]\n"
	      "              [--regs] [--ring 0|3|auto] [--strict] image\n"
	      "\n"
	      "Run a flat 64-bit x86 binary in a new KVM virtual machine.\n"
	      "\n"
	      "  -m, --mem SIZE        guest RAM, e.g. 64M, 2G (default 64M, at most 256G)\n"
	      "      --load ADDR       guest-physical load address (default 0x10000)\n"
	      "  -e, --entry ADDR      first instruction (default: the load address)\n"
	      "  -t, --timeout SECS    stop the guest after SECS seconds (fractions allowed)\n"
	      "      --ring 0|3|auto   privilege level of the guest (default auto: start\n"
	      "                        in ring 3, move to ring 0 at the first instruction\n"
	      "                        that needs it)\n"
	      "      --strict          end the run at the first access to an unclaimed\n"
	      "                        port or MMIO address\n"
	      "  -v, --verbose         explain the machine kvmrun sets up, and the ending\n"
	      "      --regs            print the registers when the run ends\n"
	      "  -h, --help            print this help\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "Numbers are decimal or 0x hex.  Exit status: 0 hlt, 1-255 the value\n"
	      "written to port 0xf4, 124 time limit, 125 kvmrun failed, 126 guest\n"
	      "crashed, 128+N killed by signal N.\n", out);
}

static int bad_number(struct error *err, const char *opt, const char *arg,
		      const char *why)
{
	return err_set(err, "%s '%s' %s", opt, arg, why);
}

/*
 * getopt_long reports "--regs=1" (an argument to an option that takes
 * none) with optopt set to the option's value, not a character: name the
 * option from argv instead.
 */
static void unknown_option(const char *arg, int opt, struct error *err)
{
	const char *eq;

	if (strncmp(arg, "--", 2) != 0) {
		err_set(err, "unknown option -%c", opt > ' ' && opt < 0x7f ? opt : '?');
		return;
	}
	eq = strchr(arg, '=');
	if (eq && opt)
		err_set(err, "option %.*s takes no argument", (int)(eq - arg), arg);
	else
		err_set(err, "unknown option %s", arg);
}

enum cli_action cli_parse(int argc, char **argv, struct config *cfg,
			  struct error *err)
{
	static const struct option longopts[] = {
		{ "entry",      required_argument, NULL, 'e' },
		{ "help",       no_argument,       NULL, 'h' },
		{ "kvm-device", required_argument, NULL, OPT_KVM_DEVICE },
		{ "load",       required_argument, NULL, OPT_LOAD },
		{ "mem",        required_argument, NULL, 'm' },
		{ "regs",       no_argument,       NULL, OPT_REGS },
		{ "ring",       required_argument, NULL, OPT_RING },
		{ "strict",     no_argument,       NULL, OPT_STRICT },
		{ "timeout",    required_argument, NULL, 't' },
		{ "verbose",    no_argument,       NULL, 'v' },
		{ "version",    no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = MEMMAP_DEFAULT_RAM;
	cfg->load_addr = KVMRUN_DEFAULT_LOAD;

	optind = 0;     /* glibc: full reinitialisation, so tests can call again */
	opterr = 0;     /* errors are reported through err */
	while ((c = getopt_long(argc, argv, ":e:hm:t:vV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (parse_u64(optarg, 0, UINT64_MAX, &cfg->entry, &why) < 0) {
				bad_number(err, "--entry", optarg, why);
				return CLI_USAGE_ERROR;
			}
			cfg->entry_set = true;
			break;
		case 'h':
			return CLI_HELP;
		case 'm':
			if (parse_size(optarg, 1, UINT64_MAX, &cfg->mem_size, &why) < 0) {
				bad_number(err, "--mem", optarg, why);
				return CLI_USAGE_ERROR;
			}
			break;
		case 't':
			if (parse_seconds(optarg, MAX_TIMEOUT_S, &cfg->timeout_ns, &why) < 0) {
				bad_number(err, "--timeout", optarg, why);
				return CLI_USAGE_ERROR;
			}
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'V':
			return CLI_VERSION;
		case OPT_LOAD:
			if (parse_u64(optarg, 0, UINT64_MAX, &cfg->load_addr, &why) < 0) {
				bad_number(err, "--load", optarg, why);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_REGS:
			cfg->print_regs = true;
			break;
		case OPT_STRICT:
			cfg->strict = true;
			break;
		case OPT_RING:
			if (strcmp(optarg, "0") == 0)
				cfg->ring = RING_0;
			else if (strcmp(optarg, "3") == 0)
				cfg->ring = RING_3;
			else if (strcmp(optarg, "auto") == 0)
				cfg->ring = RING_AUTO;
			else {
				err_set(err, "--ring '%s' must be 0, 3 or auto", optarg);
				return CLI_USAGE_ERROR;
			}
			break;
		case OPT_KVM_DEVICE:
			cfg->kvm_device = optarg;
			break;
		case ':':
			err_set(err, "option %s needs an argument", argv[optind - 1]);
			return CLI_USAGE_ERROR;
		default:
			unknown_option(argv[optind - 1], optopt, err);
			return CLI_USAGE_ERROR;
		}
	}
	if (optind >= argc) {
		err_set(err, "no image given");
		return CLI_USAGE_ERROR;
	}
	if (optind + 1 < argc) {
		err_set(err, "one image only (unexpected '%s')", argv[optind + 1]);
		return CLI_USAGE_ERROR;
	}
	cfg->image = argv[optind];
	return CLI_RUN;
}
