/* SPDX-License-Identifier: MIT */
/*
 * A machine is everything one run needs: the KVM VM and vCPU, guest
 * memory, the two buses with their devices, and the console.  machine.c
 * builds it from a config in order (memory map, image, page tables, GDT,
 * supervisor, boot info; then the VM, its memory, the vCPU and its
 * registers, the devices) and tears it down in reverse; run.c runs it.
 */
#ifndef KVMRUN_MACHINE_H
#define KVMRUN_MACHINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/kvm.h>

#include "bus.h"
#include "config.h"
#include "cpu.h"
#include "dev/bulk_write.h"
#include "dev/console.h"
#include "dev/debugcon.h"
#include "dev/output.h"
#include "dev/exitdev.h"
#include "dev/post.h"
#include "dev/snapport.h"
#include "dev/stop.h"
#include "dev/testdev.h"
#include "dev/uart.h"
#include "debug/gdb.h"
#include "ending.h"
#include "error.h"
#include "kvm.h"
#include "loader.h"
#include "memmap.h"
#include "observe/stats.h"
#include "observe/trace.h"
#include "observe/unclaimed.h"
#include "ring3/supervisor.h"
#include "ring3/tier.h"
#include "speedups/coalesce.h"
#include "speedups/lazy_ram.h"

struct run_result;

#define REPEAT_KEPT     100000  /* --repeat: runs kept for the report */

/*
 * A machine is built from parts, each named for what it is; a module is
 * handed the part it needs (a struct kvm, a memory map, a bus), not the
 * whole machine.
 */
struct machine {
	const struct config *cfg;
	/* The VM itself: KVM's handles, guest memory, what was loaded. */
	struct machine_vm {
		struct kvm kvm;
		struct memmap mem;
		struct loaded_image image;
		struct cpu_entry entry;
		struct cpu_setup_info cpu_info;
		unsigned cpl;           /* the guest's current ring */
		enum start_mode mode;   /* the mode it started in */
		uint64_t input_gpa;     /* --input: where a run's input goes */
	} vm;
	/* The buses and the devices on them. */
	struct machine_devices {
		struct bus pio, mmio;
		struct uart uart;
		struct post_port post;
		struct testdev testdev;
		struct bulk_write bulk;
		struct stop_request stop;
		struct snapshot_port snapport;
	} dev;
	/* stdout, kvmrun's stderr and the trace, all queued (output.h). */
	struct run_output out;
	/* What kvmrun counts and records about the run. */
	struct machine_observe {
		struct stats stats;
		struct tracer tracer;   /* out NULL: no tracing */
		struct unclaimed_log unclaimed;
		struct strict_hit strict;       /* --strict: the first unclaimed access */
		/* -v: the system registers as last told (observe.h) */
		struct kvm_sregs seen;
		bool watching;
		unsigned changes_told;
	} obs;
	/* --trace insns: the guest is stepped with the trap flag (trap.c). */
	struct machine_stepping {
		bool on;                /* TF is set on the guest */
		bool by_kvm;            /* KVM steps it: the guest has its own IDT */
		uint64_t rip;           /* the instruction being stepped */
		unsigned cpl;
		struct kvm_segment cs;  /* its code segment: size and base */
		uint64_t insns;         /* instructions traced so far */
	} step;
	/* --repeat: the snapshot runs restart from (speedups/snapshot.h);
	 * NULL without --repeat.  The guest may move it (port 0xf8). */
	struct machine_repeat {
		struct snapshot *snap;
		bool moved_by_guest;    /* only the first write counts */
		/* --sets: this run's line, set again at the guest's snapshot
		 * point so every run finds its values there; or NULL. */
		const struct reg_set *run_sets;
		unsigned nr_run_sets;
		/* For --report: each run's ending (the first REPEAT_KEPT) and
		 * the totals; runs 0 without --repeat. */
		struct repeat_result {
			int status;
			enum run_end end;
			uint64_t exits, us;
			bool reset;             /* a reset followed the run */
			uint64_t dirty_pages;   /* which dropped these */
		} *results;
		uint64_t nr_results, runs, total_us, reset_median_us, reset_p99_us;
		/* Pages of RAM each reset dropped: those the run before dirtied
		 * (the snapshot's show again, read when next touched). */
		uint64_t dirty_median, dirty_max, dirty_total;
	} repeat;
	/* --gdb: the remote stub (debug/gdb.h). */
	struct gdb gdb;
	/* --ring auto on kvm_pvm: which ring is faster now (ring3/tier.h). */
	struct tier tier;
	/* Optional ways to be fast: none changes what the guest sees. */
	struct machine_speedups {
		struct coalesce coalesce;       /* console writes without exits */
		struct lazy_ram ram;            /* RAM given to KVM on first touch */
	} fast;
};

/* Where a machine writes what it has to say; the front end decides. */
struct machine_io {
	FILE *log;              /* stderr: the machine writes to its descriptor,
				   through a queue of its own (m->out.log) */
	FILE *narrate;          /* non-NULL: narrate the setup (-v) on the log */
	FILE *trace;            /* --trace's file (the log itself for stderr),
				   written the same way; or NULL */
	bool stdout_closed;     /* fd 1 was closed: guest output ends the run */
	/* The image, when the front end read it (kvmrun -: from standard
	 * input, which then is not the guest's input); else NULL. */
	const uint8_t *image_data;
	size_t image_size;
};

/*
 * Build a machine from cfg.  On failure everything made so far is undone.
 */
int machine_create(struct machine *m, const struct config *cfg,
		   const struct machine_io *io, struct error *err);

void machine_destroy(struct machine *m);

#endif
