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
#include "dev/exitdev.h"
#include "dev/post.h"
#include "dev/stop.h"
#include "dev/testdev.h"
#include "dev/uart.h"
#include "error.h"
#include "kvm.h"
#include "loader.h"
#include "memmap.h"
#include "observe/stats.h"
#include "observe/trace.h"
#include "observe/unclaimed.h"
#include "ring3/supervisor.h"

/* Lines kept for stderr until the guest's earlier output is out. */
#define MACHINE_MAX_NOTES       4

struct run_result;

struct machine {
	const struct config *cfg;
	FILE *log;                      /* kvmrun's stderr lines, queued on log_con */
	struct console *log_con;        /* &errcon, or &console when ... */
	bool log_is_stdout;             /* ... stderr is where stdout goes (2>&1) */
	struct console errcon;          /* stderr's queue, when it is apart */
	struct console tracecon;        /* --trace-file's queue */
	struct console *trace_con;      /* the trace's: &tracecon, log_con or NULL */
	FILE *trace_file;               /* the trace's stream on tracecon */
	struct kvm kvm;
	struct memmap mem;
	struct loaded_image image;
	char image_sha256[65];          /* of the bytes loaded ("": not computed) */
	struct cpu_entry entry;
	struct cpu_setup_info cpu_info;
	struct bus pio, mmio;
	struct console console;
	struct uart uart;
	struct post_port post;
	struct testdev testdev;
	struct bulk_write bulk;
	struct stop_request stop;
	struct kvm_coalesced_mmio_ring *ring;   /* coalesced console writes */
	uint32_t ring_max;
	unsigned coalesced_ports;       /* zones registered */
	bool coalesce_tried;
	unsigned console_exits;         /* console byte writes that exited */
	unsigned cpl;                   /* the guest's current ring */
	unsigned chunks_mapped;         /* RAM chunks given to KVM so far */
	bool all_ram_mapped;            /* after an emulation failure (run.c) */
	/* What kvmrun has to say mid-run (unclaimed accesses), said once the
	 * guest's output before it is on stdout (run.c). */
	char notes[MACHINE_MAX_NOTES][320];
	unsigned nr_notes;
	struct stats stats;
	struct tracer tracer;           /* out NULL: no tracing */
	bool tracing_insns;             /* TF is set on the guest */
	uint64_t insn_rip;              /* the instruction being stepped */
	unsigned insn_cpl;
	struct kvm_segment insn_cs;     /* its code segment: size and base */
	struct unclaimed_log unclaimed;
	struct run_result *result;      /* set while running */
};

/* Where a machine writes what it has to say; the front end decides. */
struct machine_io {
	FILE *log;              /* stderr: the machine writes to its descriptor,
				   through a queue of its own (machine.log) */
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

/* Print the unclaimed-access summary, if any, to out. */
void machine_print_unclaimed(const struct machine *m, FILE *out);

/*
 * The guest-physical address of linear address va under the guest's
 * paging (sregs: its CR0 and CR3); false if va is not mapped.
 */
bool machine_translate(const struct machine *m, const struct kvm_sregs *sregs,
		       uint64_t va, uint64_t *pa);

/* A host pointer to len bytes at linear va, or NULL (not mapped, not RAM). */
void *machine_guest_ptr(const struct machine *m, const struct kvm_sregs *sregs,
			uint64_t va, uint64_t len);

/* Give KVM every RAM chunk it does not have yet. */
int machine_map_all_ram(struct machine *m, struct error *err);

/*
 * Read up to len instruction bytes at the guest's RIP in code segment
 * sregs->cs (its base counts outside 64-bit code), through its page
 * tables.  Returns the number of bytes read (0 if RIP is not in RAM).
 */
unsigned machine_code_at(const struct machine *m, const struct kvm_sregs *sregs,
			 uint64_t rip, uint8_t *buf, unsigned len);

/*
 * Make sure KVM has the RAM chunks covering [gpa, gpa+len) as memory
 * slots (they are registered lazily: see memmap.h).
 */
int machine_map_ram(struct machine *m, uint64_t gpa, uint64_t len,
		    struct error *err);

/* Console byte writes that exit before coalescing starts (machine.c). */
#define MACHINE_COALESCE_AFTER  256

/* A byte write to a console port exited: count it, coalesce after enough. */
void machine_console_exit(struct machine *m);
bool machine_is_console_port(uint64_t port);

#endif
