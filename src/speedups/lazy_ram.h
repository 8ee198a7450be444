/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM handed to KVM lazily, a chunk at a time (memmap.h): only the
 * chunks that hold what kvmrun placed there are memory slots at the
 * start; the guest's first touch of any other chunk exits as MMIO, and
 * that chunk becomes a slot.  A large --mem then costs nothing up front.
 */
#ifndef KVMRUN_SPEEDUPS_LAZY_RAM_H
#define KVMRUN_SPEEDUPS_LAZY_RAM_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "error.h"
#include "kvm.h"
#include "memmap.h"

struct lazy_ram {
	struct kvm *kvm;
	struct memmap *mem;
	unsigned chunks_mapped;         /* RAM chunks given to KVM so far */
	bool all_mapped;                /* after an emulation failure */
};

void lazy_ram_init(struct lazy_ram *lr, struct kvm *kvm, struct memmap *mem);

/* Make sure KVM has the chunks covering [gpa, gpa+len) as memory slots. */
int lazy_ram_map(struct lazy_ram *lr, uint64_t gpa, uint64_t len, struct error *err);

/* Give KVM every chunk it does not have yet. */
int lazy_ram_map_all(struct lazy_ram *lr, struct error *err);

/*
 * A KVM_EXIT_MMIO: if its address is RAM, it is the guest's first touch
 * of a chunk KVM does not have yet.  Give KVM the chunk and perform this
 * one access on the RAM itself; from then on the chunk needs no exits.
 * Returns 1 if it was RAM (served), 0 if not, -1 on failure.
 */
int lazy_ram_first_touch(struct lazy_ram *lr, struct kvm_run *run, struct error *err);

/*
 * KVM could not emulate an instruction.  If that may be because RAM it
 * touches is not KVM's yet, hand it over and return true, so that the
 * instruction is retried.
 */
bool lazy_ram_for_emulation(struct lazy_ram *lr);

#endif
