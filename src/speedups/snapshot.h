/* SPDX-License-Identifier: MIT */
/*
 * --repeat N: run the same image N times in one VM, each run from the
 * state the machine had before the first (its snapshot), without building
 * the VM again.
 *
 * Guest RAM: at the snapshot its bytes go into a memfd, and the RAM
 * mapping becomes a private, copy-on-write mapping of that memfd at the
 * same address (KVM's memory slots keep pointing there; the kernel tells
 * KVM about the new pages through its MMU notifier).  A run then writes
 * into private copies of the pages it touches, and a reset drops them
 * (MADV_DONTNEED), so the next run reads the snapshot again: the cost
 * follows the pages a run dirtied, not the size of RAM.
 *
 * The vCPU: general, special, FPU/SSE and XSAVE (AVX) registers, XCR0,
 * the debug registers and the pending events as they were; the devices'
 * state as it was.  What carries over from run to run: standard input
 * (each run reads on where the last stopped), the output streams, the
 * counters, the TSC, and MSRs a guest at CPL0 may write (STAR, LSTAR, ...).
 */
#ifndef KVMRUN_SPEEDUPS_SNAPSHOT_H
#define KVMRUN_SPEEDUPS_SNAPSHOT_H

#include <stdbool.h>
#include <linux/kvm.h>

#include "error.h"

struct machine;
struct machine_devices;

struct snapshot {
	int memfd;              /* guest RAM as it was; -1: none */
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_xcrs xcrs;
	bool have_xcrs;
	struct kvm_xsave *xsave;        /* AVX's upper halves and the rest; or NULL */
	struct kvm_debugregs debugregs;
	struct kvm_vcpu_events events;
	unsigned cpl;
	struct machine_devices *dev;    /* the devices' state, copied */
};

/* Take the machine's state now: before its first run, or where the guest
 * asked (port 0xf8), once the exit in progress is complete. */
int snapshot_take(struct machine *m, struct snapshot *s, struct error *err);

/* Put it back: RAM, vCPU and devices as they were at snapshot_take. */
int snapshot_restore(struct machine *m, const struct snapshot *s, struct error *err);

void snapshot_fini(struct snapshot *s);

#endif
