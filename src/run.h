/* SPDX-License-Identifier: MIT */
/*
 * The run loop: KVM_RUN until the guest ends, each exit handed to the
 * port-I/O or MMIO bus, every other way out of KVM_RUN a named ending.
 */
#ifndef KVMRUN_RUN_H
#define KVMRUN_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "bus.h"
#include "error.h"
#include "machine.h"
#include "ring3/supervisor.h"

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

/*
 * Run until the guest ends.  The signals in run_signals() must be blocked
 * in the calling thread; they are let through only while the guest runs.
 * Every ending is in res, kvmrun's own failures included
 * (RUN_END_HOST_ERROR, err's text in res->host_error), so that output is
 * flushed and the run reported whatever happens.
 */
void run_machine(struct machine *m, struct run_result *res, struct error *err);

/* Before a line on m->log: a newline first if stdout and stderr are one
 * file and the guest stopped in the middle of a line. */
void run_start_log_line(struct machine *m);

/*
 * After the run, once the front end has written its lines to m->log: get
 * them (and any trace) out, waiting for a slow stderr as long as the run's
 * own drain did (res->drain_wait_s), cut short by signals the same way.
 */
void run_flush_log(struct machine *m, const struct run_result *res);

/* The signals that end a run (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
 * ...: every catchable one that would kill kvmrun) or time it (SIGALRM). */
void run_signals(sigset_t *set);

#endif
