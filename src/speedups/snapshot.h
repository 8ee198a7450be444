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
 * Which pages a run dirtied: the kernel's page map (/proc/self/pagemap,
 * Documentation/admin-guide/mm/pagemap.rst) shows a private copy as an
 * anonymous page, where an untouched page is still the memfd's; its
 * PAGEMAP_SCAN ioctl lists just those (else an entry per page is read).  KVM's
 * dirty log would see only the guest's own writes; the page map sees
 * kvmrun's too (the supervisor's exception frames, --input, gdb).  Only
 * those runs of pages are dropped, and their number is reported.
 *
 * The vCPU: general, special, FPU/SSE and XSAVE (AVX) registers, XCR0,
 * the debug registers, the pending events, the time stamp counter as the
 * guest reads it, and the MSRs a guest at CPL0 may set (SYSENTER_*, PAT,
 * STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, TSC_AUX: those this KVM
 * has) as they were; the devices' state as it was.  What carries over from
 * run to run: standard input (each run reads on where the last stopped),
 * the output streams and the counters.
 */
#ifndef KVMRUN_SPEEDUPS_SNAPSHOT_H
#define KVMRUN_SPEEDUPS_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
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
	struct kvm_msrs *msrs;          /* the MSRs above; or NULL */
	bool tsc_by_offset;             /* KVM_VCPU_TSC_OFFSET: the TSC below */
	int64_t tsc_offset;             /* the vCPU's, at the snapshot */
	uint64_t host_tsc;              /* the host's, then */
	unsigned cpl;
	struct machine_devices *dev;    /* the devices' state, copied */
	int pagemap_fd;                 /* /proc/self/pagemap; -1: drop all */
	bool use_scan;                  /* PAGEMAP_SCAN works here */
	uint64_t *pagemap;              /* without it: an entry per page */
	uint64_t dirty_pages;           /* dropped by the last restore */
};

/* A snapshot not yet taken (snapshot_fini is safe on it). */
#define SNAPSHOT_NONE { .memfd = -1, .pagemap_fd = -1 }

/* Take the machine's state now: before its first run, or where the guest
 * asked (port 0xf8), once the exit in progress is complete. */
int snapshot_take(struct machine *m, struct snapshot *s, struct error *err);

/* Put it back: RAM, vCPU and devices as they were at snapshot_take.
 * Sets s->dirty_pages to the pages of RAM the run had changed. */
int snapshot_restore(struct machine *m, struct snapshot *s, struct error *err);

void snapshot_fini(struct snapshot *s);

#endif
