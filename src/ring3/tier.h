/* SPDX-License-Identifier: MIT */
/*
 * Tiering: under --ring auto on a kvm_pvm host, keep the guest in the ring
 * that is faster for what it does now.  There, CPL3 code runs natively and
 * CPL0 code is emulated (thousands of times slower), but each exit from
 * CPL3 costs several times one from CPL0 (shared/docs/PLATFORM.md; the
 * figures are in docs/internals.md, "Tiering").  So:
 *
 *  - at CPL3, when exits come back to back (a burst: each one soon after
 *    the guest resumed), the guest is continued at CPL0;
 *  - at CPL0, when the guest goes a while without an exit (it computes),
 *    it is continued at CPL3 again;
 *  - a guest that needs ring 0 itself (its first privileged instruction,
 *    as trap.c finds) stays at CPL0 for good, and so does one that took
 *    over privileged state while kvmrun had it at CPL0 for speed (its own
 *    IDT, GDT, control registers, EFER, IF, IOPL, MSRs, debug registers,
 *    or kvmrun's tables rewritten): such a guest is never moved back.
 *
 * A move changes CS and SS to their twins of the other ring (and the data
 * selectors with them) and nothing else the guest can see but the
 * selectors' values: general registers, flags, segment sizes and bases,
 * memory and its mapping are kept.  Each move first completes the exit in
 * progress (kvm_complete_exit), so an `in` or MMIO read lands before the
 * registers are touched.  On hardware KVM both rings cost the same, so
 * there is no tiering (unless --tier-any-host asks for it).
 */
#ifndef KVMRUN_RING3_TIER_H
#define KVMRUN_RING3_TIER_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct machine;

/* Tiering's thresholds, from the configuration. */
struct tier_policy {
	bool on;
	const char *off_why;    /* when off: why (for -v and --report) */
	uint64_t every;         /* tests: switch at every Nth exit, ignore time */
	unsigned dense;         /* a burst: this many exits in a row ... */
				/* ... each within twice the cheapest exit */
	uint64_t idle_ns;       /* at CPL0: this long without an exit ends it */
};

/* The privileged state the guest had at CPL3, to compare with at CPL0. */
struct tier_baseline;

struct tier {
	struct tier_policy policy;
	const char *pinned;     /* non-NULL: at CPL0 for good, and why */
	char pinned_buf[96];
	struct tier_baseline *base;     /* taken at the first move down */
	uint64_t saved_if;      /* RFLAGS.IF the guest had at CPL3 */
	uint64_t down_rip;      /* where the guest is at CPL0 for speed since */
	bool down_rip_valid;    /* ... if it is (for a crash's line) */
	/* What the policy looks at. */
	uint64_t entered_ns;    /* the last KVM_RUN began */
	uint64_t gap_ns;        /* and took this long to exit */
	uint64_t batched;       /* port writes KVM coalesced meanwhile */
	bool exit_pending;      /* a move's completion raised an exit: serve
				   it without entering the guest */
	uint64_t coalesced_seen;        /* coalesced writes counted so far */
	uint64_t last_exit_ns;  /* the last exit the guest caused */
	uint64_t cheapest_exit_ns;      /* at CPL3, this run */
	unsigned in_row;        /* exits of a burst so far, at CPL3 */
	unsigned needed;        /* in a row needed now (doubles when a move
				   down did not pay) */
	uint64_t exits;         /* guest exits seen */
	uint64_t exits_down;    /* ... since the last move down */
	/* What the report counts. */
	uint64_t to_ring0, to_ring3;    /* moves for speed */
	uint64_t narrated;
	unsigned cpl;           /* the ring being timed */
	uint64_t since_ns;      /* ... since then */
	uint64_t ns_in[2];      /* time at CPL0 ([0]) and at CPL3 ([1]) */
};

/* Once the vCPU exists: the policy for this machine (on, or why not). */
void tier_init(struct machine *m);

/* The run starts: time per ring counts from now. */
void tier_start(struct tier *t);

/* Around each KVM_RUN (only while tiering is on: a clock read each). */
void tier_entering(struct tier *t);
void tier_exited(struct tier *t);

/* After the coalesced writes were drained: how many there are, all told. */
void tier_drained(struct tier *t, uint64_t coalesced);

/*
 * After a port-I/O or MMIO exit the guest caused, served: move the guest
 * if the policy says so.  Returns 0, or -1 if an ioctl failed.
 */
int tier_after_exit(struct machine *m, struct error *err);

/* After kvmrun's own tick: the guest at CPL0 may have computed long enough. */
int tier_after_tick(struct machine *m, struct error *err);

/* While the guest is at CPL0 for speed, a tick is needed this often (ns);
 * 0: none. */
uint64_t tier_tick_ns(const struct machine *m);

/*
 * trap.c moved the guest to CPL0 at a #GP for its instruction insn: it
 * needs ring 0 for good, unless the instruction was port I/O, which the
 * TSS's I/O bitmap allows at CPL3 (a host that faults it anyway, such as
 * nested SVM, does not make the guest a ring-0 guest).
 */
void tier_moved_by_trap(struct machine *m, bool port_io, const char *insn,
			uint64_t rip, uint64_t rflags);

/* A guest at CPL0 only for speed goes back to CPL3 now (--repeat's
 * snapshot is taken in the ring a fresh run starts in).  0, or -1. */
int tier_back_to_ring3(struct machine *m, struct error *err);

/* The run ended: close the time accounts, free the baseline. */
void tier_end(struct machine *m);

#endif
