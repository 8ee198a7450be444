/* SPDX-License-Identifier: MIT */
/*
 * Coalesced console writes.  Console bytes written one `out` at a time
 * cost a full exit each.  Coalesced PIO (KVM_REGISTER_COALESCED_MMIO with
 * KVM_COALESCED_PIO; KVM API document,
 * "KVM_(UN)REGISTER_COALESCED_MMIO") lets KVM queue writes to the
 * transmit ports in a ring instead; the run loop drains the ring before
 * serving any other exit, so the devices see every write, in order.
 *
 * But a coalesced zone makes tearing the VM down slower.  So kvmrun rents
 * before it buys: the first COALESCE_AFTER console bytes exit one by one,
 * which costs about what the zone would, and only a guest that keeps
 * printing gets the zone.  Without the capability, writes simply keep
 * exiting.  The figures: docs/internals.md, "Console output and coalesced
 * PIO".
 */
#ifndef KVMRUN_SPEEDUPS_COALESCE_H
#define KVMRUN_SPEEDUPS_COALESCE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvm.h"

/* Console byte writes that exit before coalescing starts. */
#define COALESCE_AFTER          256

struct coalesce {
	struct kvm *kvm;
	struct kvm_coalesced_mmio_ring *ring;   /* NULL: not coalescing */
	uint32_t ring_max;
	unsigned zones;                 /* console ports registered */
	bool tried;
	unsigned console_exits;         /* console byte writes that exited */
};

/* One write KVM queued instead of exiting. */
struct coalesced_write {
	bool pio;                       /* a port, else an MMIO address */
	uint64_t addr;
	uint8_t data[8];
	unsigned len;                   /* 1 to 8 */
};

void coalesce_init(struct coalesce *c, struct kvm *kvm);

/* A port write exited: count console bytes, coalesce after enough. */
void coalesce_port_exit(struct coalesce *c, uint16_t port, unsigned size);

/* The oldest queued write, taken off the ring; false if there is none. */
bool coalesce_next(struct coalesce *c, struct coalesced_write *w);

/* Unregister the zones (before the VM is closed: much cheaper then). */
void coalesce_fini(struct coalesce *c);

#endif
