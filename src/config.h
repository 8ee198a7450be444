/* SPDX-License-Identifier: MIT */
/*
 * What the command line asks for.  cli.c fills it in; machine.c turns it
 * into a VM.  Nothing here refers to KVM.
 */
#ifndef KVMRUN_CONFIG_H
#define KVMRUN_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* The privilege level the guest runs at (--ring). */
enum ring_mode {
	RING_AUTO,              /* start at CPL3; move to CPL0 when it must */
	RING_0,                 /* CPL0 throughout */
	RING_3,                 /* CPL3 throughout */
};

struct config {
	const char *image;              /* path of the image file */
	uint64_t mem_size;              /* bytes of guest RAM */
	uint64_t load_addr;             /* guest-physical load address */
	uint64_t entry;                 /* first RIP */
	bool entry_set;                 /* -e given; else entry = load_addr */
	uint64_t timeout_ns;            /* 0: no time limit */
	bool verbose;                   /* narrate the setup (-v) */
	bool print_regs;                /* registers at the end (--regs) */
	bool strict;                    /* unclaimed access ends the run */
	enum ring_mode ring;
	const char *kvm_device;         /* NULL: /dev/kvm */
};

#endif
