/* SPDX-License-Identifier: MIT */
/*
 * --core FILE: the guest's state as an ELF core file (the System V ABI's
 * ELF, e_type ET_CORE), which `gdb GUEST.elf FILE` opens like a crashed
 * Linux program's core: the crash site, the registers, a backtrace.
 *
 *  - PT_NOTE: NT_PRSTATUS ("CORE"; struct elf_prstatus: the signal and the
 *    general registers in struct user_regs_struct's order) and
 *    NT_FPREGSET (the x87 and SSE registers, FXSAVE's layout);
 *  - one PT_LOAD per block of guest RAM, at its guest-physical address
 *    as its virtual address: that is where a guest on kvmrun's
 *    identity-mapped page tables sees it.  (A guest with page tables of
 *    its own sees memory elsewhere, and gdb reads the wrong bytes.)
 *    Pages of zeros are not written: the file is sparse where the guest
 *    never wrote.
 */
#ifndef KVMRUN_DEBUG_CORE_H
#define KVMRUN_DEBUG_CORE_H

#include <linux/kvm.h>

#include "error.h"
#include "memmap.h"

/* The state to write: registers, RAM, the signal the crash means. */
struct core_state {
	const struct kvm_regs *regs;
	const struct kvm_sregs *sregs;
	const struct kvm_fpu *fpu;      /* NULL: no NT_FPREGSET */
	const struct memmap *mem;
	int signo;
};

/* Write the core to fd (a new, empty file).  0, or -1 with err set. */
int core_write(int fd, const struct core_state *st, struct error *err);

#endif
