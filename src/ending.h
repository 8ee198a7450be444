/* SPDX-License-Identifier: MIT */
/*
 * How a run ends: every way out is named (enum run_end) and has its exit
 * status (README "Exit status").  The run loop and the supervisor record
 * the ending and what goes with it in a struct run_result; the front end
 * reports it (observe/outcome.h, observe/report.h).
 */
#ifndef KVMRUN_ENDING_H
#define KVMRUN_ENDING_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "dev/output.h"
#include "dev/stop.h"
#include "error.h"
#include "observe/unclaimed.h"
#include "ring3/supervisor.h"

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

struct run_result {
	enum run_end end;
	int status;                     /* the process's exit status */
	uint64_t exit_value;            /* what the guest wrote to 0xf4 */
	int signo;                      /* RUN_END_SIGNAL */
	uint32_t exit_reason;           /* the last KVM exit */
	uint32_t suberror;              /* KVM_EXIT_INTERNAL_ERROR */
	uint64_t hw_reason;             /* KVM_EXIT_FAIL_ENTRY */
	struct strict_hit strict;       /* RUN_END_STRICT: the access */
	struct error host_error;        /* RUN_END_HOST_ERROR */
	char why[200];                  /* RUN_END_GUEST_ERROR, RUN_END_RING_MOVE */
	struct exc_frame exc;           /* RUN_END_EXCEPTION, RUN_END_PRIVILEGED */
	const char *insn;               /* RUN_END_PRIVILEGED: its mnemonic */
	unsigned start_cpl, cpl;        /* the ring the guest started and ended in */
	uint64_t switch_rip;            /* --ring auto: where it moved to ring 0 */
	const char *switch_insn;        /* ... at which instruction */
	bool switched;
	unsigned last_io_size;          /* the last port access's size */
	/* After the end, stdout's reader was waited for (ending_drained). */
	uint64_t output_unwritten;      /* guest bytes stdout never took */
	int output_error;               /* ... because writing failed (errno) */
	bool drain_timed_out;           /* ... because the wait ran out */
	int drain_signal;               /* ... or a signal came while waiting */
	unsigned drain_wait_s;          /* how long kvmrun was ready to wait */
	uint64_t trace_unwritten;       /* bytes of the trace that stayed queued */
	uint64_t exits;                 /* KVM_RUN returns, all kinds */
	uint64_t uncounted_before;      /* ticks and first touches before this run
					   (--repeat: the counters go on) */
	uint64_t insns;                 /* instructions traced (--trace insns) */
	bool have_regs;                 /* regs/sregs below are valid */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
};

/* A stable name for each ending ("hlt", "timeout", ...): the report's. */
const char *ending_name(enum run_end end);

/* Record the ending; returns 1, "the run has ended", for the run loop. */
int ending_set(struct run_result *res, enum run_end end, int status);

/* kvmrun itself failed mid-run (err says how): status 125.  Returns 1. */
int ending_host(struct run_result *res, const struct error *err);

/* A run-ending signal: status 128 + sig.  Returns 1. */
int ending_signal(struct run_result *res, int sig);

/*
 * A device or stdout failed with negative errno r: a closed stdout, the
 * file size limit, --max-output, or kvmrun's own failure (output_failed:
 * it was writing the guest's output).  Returns 1.
 */
int ending_errno(struct run_result *res, int r, bool output_failed);

/* Waiting for output ended the run (output_make_room): why.  Returns 1. */
int ending_output_stop(struct run_result *res, const struct output_stop *why,
		       bool output_failed);

/*
 * After any exit: did a device (the exit device, a guest error) or
 * --strict (strict: the first unclaimed access) end the run?  Returns 1
 * if so, 0 to go on.
 */
int ending_check_stop(struct run_result *res, const struct stop_request *stop,
		      const struct strict_hit *strict);

/* What the drain after the run left unwritten, and why (output_finish). */
void ending_drained(struct run_result *res, const struct output_drain *d,
		    int output_error);

#endif
