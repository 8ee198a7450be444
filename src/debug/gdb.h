/* SPDX-License-Identifier: MIT */
/*
 * --gdb ADDR: a gdb remote stub (gdb's manual, "Remote Protocol").
 *
 * kvmrun listens on ADDR (":1234" and "HOST:1234" for TCP, loopback when no
 * host is given; "unix:PATH" for a Unix socket).  With --gdb-wait=yes (the
 * default) the guest is held before its first instruction until gdb
 * attaches; with no, it runs, and gdb may attach at any time.
 *
 * How the guest is stopped and stepped, on every host: through the ring-3
 * supervisor's IDT (ring3/supervisor.h), which works in ring 3 and ring 0
 * where KVM's own debugging does not (on kvm_pvm, KVM_SET_GUEST_DEBUG's
 * single-step does not see CPL3 code):
 *
 *  - a software breakpoint is an int3 written over the instruction; the #BP
 *    it raises stops in a stub, and kvmrun rewinds RIP onto it;
 *  - a step sets RFLAGS.TF; the #DB after the instruction stops in a stub;
 *  - Ctrl-C (0x03) is read at kvmrun's tick, every 100 ms while gdb is
 *    attached; the guest stops at the next exit or tick.
 *
 * While the guest is stopped the time limit does not run.  When the run
 * ends gdb gets W (exit status) or X (signal); a crash first stops with
 * the signal it means (SIGSEGV for #PF/#GP, SIGILL for #UD, SIGFPE for
 * #DE, SIGTRAP for an int3 that is not a breakpoint) so gdb can look at it.
 */
#ifndef KVMRUN_DEBUG_GDB_H
#define KVMRUN_DEBUG_GDB_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "debug/gdb_packet.h"
#include "error.h"

#define GDB_MAX_BREAKPOINTS     64
#define GDB_POLL_NS             (100 * 1000 * 1000)     /* Ctrl-C latency */

struct machine;
struct run_result;
struct exc_frame;

enum gdb_resume { GDB_CONTINUE, GDB_STEP, GDB_KILL, GDB_DETACH };

struct gdb_breakpoint {
	uint64_t addr;          /* where gdb asked (a virtual address) */
	uint64_t gpa;           /* where the int3 is */
	uint8_t saved;          /* the byte it replaced */
	bool hw;                /* asked for as a hardware breakpoint (Z1) */
};


struct gdb {
	int listen_fd, fd;      /* -1: none */
	char where[128];        /* what gdb connects to, for messages */
	char unix_path[108];    /* a Unix socket to remove at the end */
	bool loopback;          /* only this machine can connect */
	bool no_ack;            /* QStartNoAckMode agreed */
	bool stepping;          /* resumed with a step: the next #DB stops */
	char last_stop[64];     /* for `?` */
	struct gdb_rx rx;
	struct gdb_breakpoint bp[GDB_MAX_BREAKPOINTS];
	unsigned nr_bp;
	/*
	 * How the guest stops: through KVM's own debugging
	 * (KVM_SET_GUEST_DEBUG: hardware KVM, any ring, mode or IDT), or
	 * through kvmrun's supervisor (kvm_pvm, where KVM's does not see
	 * CPL3 code).
	 */
	bool kvm_debug;
	/*
	 * A guest that starts in real or protected mode has no kvmrun IDT to
	 * take an int3 there, and its own vectors may be anything: its
	 * breakpoints are not written into memory; KVM steps it to them
	 * (only while it has some and gdb let it run).
	 */
	bool by_stepping;
	bool inject_bp;         /* the guest's own int3: give it back */
	struct run_clock *clk;  /* the run's, while it runs */
	uint64_t step_rip;      /* where a step by TF began */
	bool interrupt_pending; /* a Ctrl-C came with a resume */
	bool via_idt;           /* hidden --gdb-via-idt: kvmrun's IDT on any host */
};

/* Before anything: no sockets. */
void gdb_init(struct gdb *g);

/* Listen on addr (see above).  Returns 0 or -1 with err set. */
int gdb_listen(struct gdb *g, const char *addr, struct error *err);

/* Close the sockets (and remove a Unix socket's file). */
void gdb_close(struct gdb *g);

/*
 * The run starts: with wait, block until gdb attaches (a run-ending signal
 * ends the wait: *sig), then stop before the first instruction.  Returns 0,
 * or 1 if the run ended (res says how).
 */
int gdb_start(struct machine *m, struct run_clock *clk, bool wait,
	      struct run_result *res);

/* kvmrun's tick: a new connection or a Ctrl-C stops the guest here.
 * Returns 0, or 1 if the run ended. */
int gdb_tick(struct machine *m, struct run_result *res);

/* A stop in the supervisor's stubs: is it gdb's (a step it asked for, or
 * one of its breakpoints)? */
bool gdb_wants(const struct machine *m, const struct exc_frame *f);

/* It was, and trap.c put the guest back where it stopped (on the int3's
 * instruction): tell gdb, serve it.  0 to run on, 1 if the run ended. */
int gdb_trap(struct machine *m, const struct exc_frame *f, struct run_result *res);

/* KVM_EXIT_DEBUG (KVM's debugging: a breakpoint, a step or a watchpoint
 * fired).  0 to run on, 1 if the run ended. */
int gdb_debug_exit(struct machine *m, struct run_result *res);

/* On kvm_pvm the #DB after an instruction that exited (port I/O, MMIO) is
 * lost: a step that exited stops at the exit.  0 or 1 as above. */
int gdb_stepped_by_exit(struct machine *m, struct run_result *res);

/* The signal a crash means to gdb (and in a core file): SIGSEGV, SIGILL,
 * SIGFPE, SIGTRAP; 0 if the run did not crash. */
int gdb_crash_signal(const struct run_result *res);

/*
 * The guest is about to load its own IDT (its lidt trapped at CPL3): an
 * int3 of gdb's, or a step by TF, would go to the guest's handlers from
 * then on.  Breakpoints go by stepping (by_stepping) and steps to KVM; TF
 * is taken out of *regs.  The caller sets regs, then gdb_keep_stepping.
 */
void gdb_guest_loads_idt(struct machine *m, struct kvm_regs *regs);

/*
 * An exit while KVM steps the guest to its breakpoints (by_stepping): ask
 * for the step again, so that code an exception entered (with TF clear:
 * its handler) is stepped from its first exit on.  Returns 0, or 1 if
 * that failed and so ended the run (res).
 */
int gdb_keep_stepping(struct machine *m, struct run_result *res);

/* The run ended: a crash stops first (gdb may look), then W or X. */
void gdb_finish(struct machine *m, const struct run_result *res, int status);

#endif
