/* SPDX-License-Identifier: MIT */
/* The run's clock: deadline, flush tick, run-ending signals (clock.h). */
#include "clock.h"

#include <errno.h>
#include <string.h>
#include <linux/kvm.h>

#define TICK_NS                 (50 * 1000 * 1000)      /* 50 ms */

/*
 * Every signal whose default action would end kvmrun without a word and
 * that can be caught, so that each of them flushes the guest's output and
 * ends the run with one line and 128 + N instead.  Not SIGPIPE (ignored: a
 * closed stdout shows up as EPIPE), nor the signals a fault raises (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT): blocking those would
 * hide kvmrun's own bugs.  SIGXFSZ blocked makes a write past the file size
 * limit fail with EFBIG, which ends the run the same way.
 */
void clock_run_signals(sigset_t *set)
{
	static const int ends[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGXFSZ,
		SIGXCPU, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT,
	};
	unsigned i;
	int sig;

	sigemptyset(set);
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		sigaddset(set, ends[i]);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(set, sig);
	sigaddset(set, SIGALRM);        /* kvmrun's own timer */
}

uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * CLOCK_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/*
 * Arm SIGALRM for the next tick, or the deadline if that comes first.  The
 * tick flushes output the guest wrote without exiting (coalesced writes)
 * or that sits in the buffer while the guest computes.
 */
static int clock_arm(struct run_clock *c, uint64_t tick_ns, struct error *err)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM,
	};
	uint64_t t = clock_now_ns() + tick_ns;
	struct itimerspec its;

	if (!c->have_timer) {
		if (timer_create(CLOCK_MONOTONIC, &sev, &c->timer) < 0)
			return error_errno(err, errno, "timer_create failed");
		c->have_timer = true;
	}
	if (c->deadline && c->deadline < t)
		t = c->deadline;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(t / CLOCK_NS_PER_S);
	its.it_value.tv_nsec = (long)(t % CLOCK_NS_PER_S);
	if (timer_settime(c->timer, TIMER_ABSTIME, &its, NULL) < 0)
		return error_errno(err, errno, "timer_settime failed");
	c->armed = true;
	c->armed_at = t;
	return 0;
}

/*
 * Before entering the guest: make sure a tick will come if anything may
 * need flushing later (buffered output, or coalesced writes the guest can
 * add without exiting) or a deadline is set, and soon enough for tiering.
 * A guest that never prints and has no time limit costs no timer at all.
 */
int clock_need(struct run_clock *c, bool output_pending, uint64_t within_ns,
	       struct error *err)
{
	if (within_ns && (!c->armed || c->armed_at > clock_now_ns() + within_ns))
		return clock_arm(c, within_ns, err);
	if (c->armed || (!c->deadline && !output_pending))
		return 0;
	return clock_arm(c, TICK_NS, err);
}

/* The timer itself is made when first needed (clock_arm). */
void clock_init(struct run_clock *c, uint64_t timeout_ns)
{
	memset(c, 0, sizeof(*c));
	if (timeout_ns)
		c->deadline = clock_now_ns() + timeout_ns;
}

void clock_fini(struct run_clock *c)
{
	if (c->have_timer)
		timer_delete(c->timer);
	c->have_timer = false;
}

/*
 * A run-ending signal that is pending, or 0.  SIGALRM, kvmrun's own tick,
 * is taken too (the timer is then re-armed before the guest runs again)
 * but never returned: the caller looks at the clock itself.  *ticked (if
 * not NULL) says whether a tick was taken.
 */
int clock_take_signal(struct run_clock *clk, bool *ticked)
{
	const struct timespec zero = { 0, 0 };
	siginfo_t info;
	sigset_t set;
	int sig;

	clock_run_signals(&set);
	if (ticked)
		*ticked = false;
	while ((sig = sigtimedwait(&set, &info, &zero)) > 0) {
		/* kvmrun's timer says SI_TIMER; kill -ALRM does not. */
		if (sig != SIGALRM || info.si_code != SI_TIMER)
			return sig;
		clk->armed = false;
		if (ticked)
			*ticked = true;
	}
	return 0;
}

void clock_extend(struct run_clock *c, uint64_t ns)
{
	if (c && c->deadline) {
		c->deadline += ns;
		c->armed = false;       /* re-armed before the guest runs */
	}
}

bool clock_expired(const struct run_clock *c)
{
	return c->deadline && clock_now_ns() >= c->deadline;
}

/* Let the run-ending signals through while the vCPU runs, and only then. */
int clock_vcpu_sigmask(struct kvm *kvm, struct error *err)
{
	/* KVM_SET_SIGNAL_MASK takes the kernel's sigset: 64 bits. */
	union {
		struct kvm_signal_mask head;
		uint8_t bytes[sizeof(struct kvm_signal_mask) + 8];
	} mask;
	uint8_t *bits = mask.bytes + sizeof(struct kvm_signal_mask);
	sigset_t cur, ours;
	int sig;

	if (pthread_sigmask(SIG_BLOCK, NULL, &cur) != 0)
		return error_set(err, "pthread_sigmask failed");
	clock_run_signals(&ours);
	memset(&mask, 0, sizeof(mask));
	mask.head.len = 8;
	/* Block during KVM_RUN what is blocked now, except our signals. */
	for (sig = 1; sig <= 64; sig++)
		if (sigismember(&cur, sig) == 1 && sigismember(&ours, sig) != 1)
			bits[(sig - 1) / 8] |= (uint8_t)(1u << ((sig - 1) % 8));
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_SIGNAL_MASK, &mask, err) < 0)
		return -1;
	kvm_explain(kvm, "KVM_SET_SIGNAL_MASK: the signals that end a run "
		    "(SIGINT, SIGTERM, SIGHUP, ...) and SIGALRM may interrupt the "
		    "guest, and only while it runs");
	kvm_explain(kvm, "KVM_RUN, again after every exit kvmrun serves");
	return 0;
}
