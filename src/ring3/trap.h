/* SPDX-License-Identifier: MIT */
/*
 * What the ring-3 supervisor's stubs tell the run loop: an exception, a
 * hlt at CPL3, an instruction that needs ring 0 (trap.c); and the trap
 * flag stepper behind --trace insns.
 */
#ifndef KVMRUN_RING3_TRAP_H
#define KVMRUN_RING3_TRAP_H

#include "error.h"
#include "machine.h"
#include "run.h"

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
