/* SPDX-License-Identifier: MIT */
/*
 * What the ring-3 supervisor's stubs tell the run loop: an exception, a
 * hlt at CPL3, an instruction that needs ring 0 (trap.c); and the trap
 * flag stepper behind --trace insns.
 */
#ifndef KVMRUN_RING3_TRAP_H
#define KVMRUN_RING3_TRAP_H

#include <stdbool.h>
#include <linux/kvm.h>

#include "error.h"
#include "machine.h"
#include "run.h"

/*
 * A KVM_EXIT_HLT: is RIP in one of the supervisor's stubs, reached through
 * its IDT gate with a frame in RAM?  Then f is the exception frame.
 * Otherwise the guest halted by itself.
 */
bool trap_in_stub(const struct machine *m, const struct kvm_regs *regs,
		  const struct kvm_sregs *sregs, struct exc_frame *f);

/* The guest halted by itself: --trace insns logs the last instruction. */
void trap_halted(struct machine *m, const struct kvm_sregs *sregs);

/*
 * An exception arrived in a stub (f): end the run with it, or, for --ring
 * auto, move the guest to ring 0 at the instruction that needs it and go
 * on (returns 0); a single step (--trace insns) goes on too.  Returns 1
 * when the run has ended, -1 if a register ioctl fails (err says which).
 */
int trap_stub(struct machine *m, struct run_result *res, const struct exc_frame *f,
	      struct kvm_regs *regs, struct kvm_sregs *sregs, struct error *err);

/* --trace insns: a port-I/O or MMIO exit happened (see trap.c). */
void trap_io_step(struct machine *m);

/*
 * --trace insns once the guest has its own IDT: KVM stepped one
 * instruction (KVM_EXIT_DEBUG).  Log it and go on (0), or 1 when
 * --max-insns ends the run (res says so).
 */
int trap_kvm_stepped(struct machine *m, struct run_result *res);

/* A step (by kvmrun or by KVM, which sets TF too) just ran the instruction
 * at stepped_rip: if it was a pushf, take TF out of what it pushed. */
void trap_hide_tf(struct machine *m, uint64_t stepped_rip);

/* --gdb's steps by TF: keep TF through a popf or iretq about to run. */
void trap_keep_tf(struct machine *m, const struct kvm_regs *regs,
		  const struct kvm_sregs *sregs);

#endif
