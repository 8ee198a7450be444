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
#include "console.h"
#include "cpu.h"
#include "devices.h"
#include "error.h"
#include "kvm.h"
#include "loader.h"
#include "memmap.h"
#include "stats.h"
#include "supervisor.h"
#include "trace.h"
#include "unclaimed.h"

/* Lines kept for stderr until the guest's earlier output is out. */
#define MACHINE_MAX_NOTES       4

/* After a guest's own ending, how long a slow stdout reader is waited for. */
#define RUN_DRAIN_NS            (10ULL * 1000 * 1000 * 1000)

/* How a run ended.  README "Exit status" maps each to a status. */
enum run_end {
	RUN_END_HLT,            /* hlt: status 0 */
	RUN_END_EXIT_DEVICE,    /* exit port: status value & 0xff */
	RUN_END_TIMEOUT,        /* --timeout passed: 124 */
	RUN_END_SIGNAL,         /* SIGINT/SIGTERM/SIGHUP: 128 + signal */
	RUN_END_OUTPUT_CLOSED,  /* stdout is a closed pipe: 128 + SIGPIPE */
	RUN_END_HOST_ERROR,     /* kvmrun failed mid-run: 125 */
	RUN_END_SHUTDOWN,       /* triple fault: 126 */
	RUN_END_INTERNAL_ERROR, /* KVM could not run the guest: 126 */
	RUN_END_FAIL_ENTRY,     /* hardware refused the state: 126 */
	RUN_END_STRICT,         /* --strict and an unclaimed access: 126 */
	RUN_END_UNHANDLED_EXIT, /* an exit reason kvmrun does not serve: 126 */
	RUN_END_EXCEPTION,      /* a CPU exception reached the supervisor: 126 */
	RUN_END_PRIVILEGED,     /* --ring 3 and an instruction needing ring 0: 126 */
	RUN_END_GUEST_ERROR,    /* the guest misused a device: 126 */
	RUN_END_MAX_EXITS,      /* --max-exits reached: 124 */
	RUN_END_MAX_INSNS,      /* --max-insns reached: 124 */
	RUN_END_MAX_OUTPUT,     /* --max-output reached: 124 */
	RUN_END_RING_MOVE,      /* --ring auto could not move the guest: 126 */
};

/* A stable name for each ending ("hlt", "timeout", ...): the report's. */
const char *run_end_name(enum run_end end);

struct run_result {
	enum run_end end;
	int status;                     /* the process's exit status */
	uint64_t exit_value;            /* what the guest wrote to 0xf4 */
	int signo;                      /* RUN_END_SIGNAL */
	uint32_t exit_reason;           /* the last KVM exit */
	uint32_t suberror;              /* KVM_EXIT_INTERNAL_ERROR */
	uint64_t hw_reason;             /* KVM_EXIT_FAIL_ENTRY */
	enum io_space strict_space;     /* RUN_END_STRICT: the access */
	uint64_t strict_addr;
	unsigned strict_size;
	bool strict_write;
	uint64_t strict_value;
	struct error host_error;        /* RUN_END_HOST_ERROR */
	char why[200];                  /* RUN_END_GUEST_ERROR, RUN_END_RING_MOVE */
	struct exc_frame exc;           /* RUN_END_EXCEPTION, RUN_END_PRIVILEGED */
	const char *insn;               /* RUN_END_PRIVILEGED: its mnemonic */
	unsigned start_cpl, cpl;        /* the ring the guest started and ended in */
	uint64_t switch_rip;            /* --ring auto: where it moved to ring 0 */
	const char *switch_insn;        /* ... at which instruction */
	bool switched;
	unsigned last_io_size;          /* the last port access's size */
	/* After the end, stdout's reader was waited for (run.c drain_output). */
	uint64_t output_unwritten;      /* guest bytes stdout never took */
	int output_error;               /* ... because writing failed (errno) */
	bool drain_timed_out;           /* ... because the wait ran out */
	int drain_signal;               /* ... or a signal came while waiting */
	unsigned drain_wait_s;          /* how long kvmrun was ready to wait */
	uint64_t trace_unwritten;       /* bytes of the trace that stayed queued */
	uint64_t exits;                 /* KVM_RUN returns, all kinds */
	uint64_t insns;                 /* instructions traced (--trace insns) */
	bool have_regs;                 /* regs/sregs below are valid */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
};

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

/*
 * Run until the guest ends.  The signals in run_signals() must be blocked
 * in the calling thread; they are let through only while the guest runs.
 * Every ending is in res, kvmrun's own failures included
 * (RUN_END_HOST_ERROR, err's text in res->host_error), so that output is
 * flushed and the run reported whatever happens.
 */
void machine_run(struct machine *m, struct run_result *res, struct error *err);

/* Before a line on m->log: a newline first if stdout and stderr are one
 * file and the guest stopped in the middle of a line. */
void machine_start_log_line(struct machine *m);

/*
 * After the run, once the front end has written its lines to m->log: get
 * them (and any trace) out, waiting for a slow stderr as long as the run's
 * own drain did (res->drain_wait_s), cut short by signals the same way.
 */
void machine_flush_log(struct machine *m, const struct run_result *res);

void machine_destroy(struct machine *m);

/* The signals that end a run (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
 * ...: every catchable one that would kill kvmrun) or time it (SIGALRM). */
void run_signals(sigset_t *set);

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

/*
 * KVM_EXIT_HLT: a guest hlt, or an exception stopped in a supervisor stub
 * (supervisor.h).  Ends the run (returns 1) or, for --ring auto, moves the
 * guest to ring 0 at the instruction that needs it and goes on (0).
 * Returns -1 if a register ioctl fails (err says which).
 */
int trap_hlt(struct machine *m, struct run_result *res, struct error *err);

/* --trace insns: a port-I/O or MMIO exit happened (see trap.c). */
void trap_io_step(struct machine *m);

#endif
