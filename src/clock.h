/* SPDX-License-Identifier: MIT */
/*
 * The run's clock: its deadline (--timeout), a tick that lets the run
 * loop move output along while the guest computes, and the signals that
 * end a run.  Signals are blocked while kvmrun itself runs and let
 * through only inside KVM_RUN (KVM_SET_SIGNAL_MASK), so a signal that
 * arrives at any moment either interrupts the guest or makes the next
 * KVM_RUN return at once: no race, no handler, no global state.
 */
#ifndef KVMRUN_CLOCK_H
#define KVMRUN_CLOCK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "kvm.h"

#define CLOCK_NS_PER_S          1000000000ULL

struct run_clock {
	timer_t timer;          /* SIGALRM at the next tick, or the deadline */
	bool have_timer;
	bool armed;
	uint64_t armed_at;      /* when the armed timer fires */
	uint64_t deadline;      /* CLOCK_MONOTONIC ns, 0: none */
};

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t clock_now_ns(void);

/* A clock with a deadline timeout_ns from now (0: none).  The timer itself
 * is made when first needed. */
void clock_init(struct run_clock *c, uint64_t timeout_ns);
void clock_fini(struct run_clock *c);

/*
 * Before entering the guest: make sure a tick will come if anything may
 * need flushing later (output_pending: buffered output, or coalesced
 * writes the guest can add without exiting) or a deadline is set; and
 * within within_ns if that is not 0 (tiering: ring3/tier.h).
 */
int clock_need(struct run_clock *c, bool output_pending, uint64_t within_ns,
	       struct error *err);

/* The deadline moves ns later (time the guest spent stopped in gdb). */
void clock_extend(struct run_clock *c, uint64_t ns);

/* The deadline has passed. */
bool clock_expired(const struct run_clock *c);

/*
 * A run-ending signal that is pending, or 0.  kvmrun's own tick (a
 * SIGALRM from its timer) is taken too but never returned; *ticked (if
 * not NULL) says whether one was.
 */
int clock_take_signal(struct run_clock *c, bool *ticked);

/* The signals that end a run (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
 * ...: every catchable one that would kill kvmrun) or time it (SIGALRM). */
void clock_run_signals(sigset_t *set);

/* Let the run-ending signals through while the vCPU runs, and only then
 * (KVM API document, "KVM_SET_SIGNAL_MASK"). */
int clock_vcpu_sigmask(struct kvm *kvm, struct error *err);

#endif
