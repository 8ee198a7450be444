/* SPDX-License-Identifier: MIT */
/*
 * What the command line asks for.  cli.c fills it in; machine.c turns it
 * into a VM.  Nothing here refers to KVM.
 */
#ifndef KVMRUN_CONFIG_H
#define KVMRUN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The privilege level the guest runs at (--ring). */
enum ring_mode {
	RING_AUTO,              /* start at CPL3; move to CPL0 when it must */
	RING_0,                 /* CPL0 throughout */
	RING_3,                 /* CPL3 throughout */
};

/* Moving between rings for speed under --ring auto (ring3/tier.h). */
enum tiering {
	TIERING_ON_PVM,         /* on kvm_pvm hosts only (default) */
	TIERING_NO,             /* --no-tiering: move to ring 0 only when needed */
	TIERING_ANY_HOST,       /* hidden --tier-any-host: tests, measurements */
};

#define CONFIG_MAX_DUMPS        16
#define CONFIG_MAX_INPUT_PATHS  64
#define CONFIG_MAX_SETS         16

/* --dump-mem ADDR:LEN[:FILE] */
struct mem_dump {
	uint64_t addr, len;
	const char *file;               /* NULL: hex dump to stderr */
	const char *arg;                /* as the user wrote it, for messages */
};

/* --set REG=VALUE */
struct reg_set {
	unsigned reg;                   /* index into cpu_gprs (cpu.h) */
	uint64_t value;
};

enum trace_format { TRACE_TEXT, TRACE_JSONL };

/* The CPU mode the guest starts in (--mode; README "State at entry"). */
enum start_mode {
	MODE_LONG,              /* 64-bit long mode, paging on (the default) */
	MODE_PROTECTED,         /* 32-bit protected mode, paging off */
	MODE_REAL,              /* 16-bit real mode */
};

/* How the image file is read (--format). */
enum image_format {
	IMAGE_AUTO,             /* what the file's first bytes say: an ELF
				   executable, else flat bytes; anything else
				   recognised is refused by name */
	IMAGE_FLAT,             /* flat bytes, whatever the file looks like */
	IMAGE_ELF,              /* an ELF executable, or refused */
};

/* --module FILE[,STRING]: a multiboot module. */
#define CONFIG_MAX_MODULES      16
struct config_module {
	const char *path;               /* the argument; the file name is ... */
	size_t path_len;                /* ... its first path_len bytes */
	const char *string;             /* what the kernel is told; "" if none */
};

/* The image from standard input: kvmrun - */
#define CONFIG_IMAGE_STDIN      "-"

struct config {
	const char *image;              /* path of the image file, or "-" */
	/* Several images (or --tap, --junit): a run of each, as a test suite
	 * (suite.h). */
	char *const *images;
	unsigned nr_images;
	bool suite;
	bool tap;                       /* --tap: TAP on stdout */
	const char *junit;              /* --junit FILE */
	uint64_t jobs;                  /* -j N: runs at once (default 1) */
	const char *list;               /* --list FILE: more images, one a line */
	uint64_t repeat;                /* --repeat N: runs in one VM (0, 1: one) */
	/* --input PATH (repeatable): files, or directories of them; main.c
	 * lists the files (inputs), one run each, in a region of input_max
	 * bytes the boot info points at. */
	const char *input_paths[CONFIG_MAX_INPUT_PATHS];
	unsigned nr_input_paths;
	char **inputs;
	unsigned nr_inputs;
	uint64_t input_max;
	/* --sets FILE: one run a line, the line's REG=VALUE words set at the
	 * run's start; main.c reads the file into run_sets. */
	const char *sets_path;
	struct run_sets {
		size_t first;           /* in run_set_values */
		unsigned nr_sets;
	} *run_sets;
	struct reg_set *run_set_values;
	unsigned nr_run_sets;
	enum image_format format;
	uint64_t mem_size;              /* bytes of guest RAM */
	uint64_t load_addr;             /* guest-physical load address */
	bool load_set;                  /* --load given */
	uint64_t entry;                 /* first RIP */
	bool entry_set;                 /* -e given; else entry = load_addr */
	uint64_t timeout_ns;            /* 0: no time limit */
	bool verbose;                   /* narrate the setup (-v) */
	bool quiet;                     /* no non-fatal warnings (-q) */
	bool print_regs;                /* registers at the end (--regs) */
	bool strict;                    /* unclaimed access ends the run */
	enum ring_mode ring;
	enum start_mode mode;           /* --mode */
	bool mode_set;                  /* --mode given */
	const char *append;             /* --append: a multiboot command line */
	struct config_module modules[CONFIG_MAX_MODULES];
	unsigned nr_modules;
	uint64_t max_exits;             /* 0: no limit */
	uint64_t max_insns;             /* 0: no limit (needs --trace insns) */
	uint64_t max_output;            /* 0: no limit; bytes of guest output */
	const char *report;             /* --report FILE, "-" for stderr */
	bool trace_exits, trace_insns;
	const char *trace_file;         /* NULL: stderr */
	enum trace_format trace_format;
	struct mem_dump dumps[CONFIG_MAX_DUMPS];
	unsigned nr_dumps;
	struct reg_set sets[CONFIG_MAX_SETS];
	unsigned nr_sets;
	const char *kvm_device;         /* NULL: /dev/kvm */
	const char *gdb;                /* --gdb ADDR, or NULL */
	bool gdb_no_wait;               /* --gdb-wait=no */
	bool gdb_via_idt;               /* hidden: kvmrun's IDT on any host */
	const char *core;               /* --core FILE, or NULL */
	bool core_always;               /* --core-always: on every ending */
	enum tiering tiering;
	/* Hidden: tiering's thresholds, so that tests need no timing
	 * (docs/internals.md, "Tiering"); 0: the default. */
	uint64_t tier_every;            /* switch at every Nth exit, ignore time */
	uint64_t tier_dense;            /* exits in a row that make a burst */
	uint64_t tier_idle_ns;          /* time without an exit that ends one */
	bool no_cpuid_cache;            /* --no-cpuid-cache */
	const char *cpuid_cache;        /* the cache file (main.c sets it from
					   the environment); NULL: none ... */
	const char *cpuid_cache_off;    /* ... and then why not */
};

#endif
