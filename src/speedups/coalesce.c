/* SPDX-License-Identifier: MIT */
/* Coalesced console writes (coalesce.h). */
#include "speedups/coalesce.h"

#include <string.h>

#include "kvmrun/abi.h"

/* The ports whose byte writes are coalesced once the guest prints a lot:
 * COM1's transmit register and the debug console. */
static const uint16_t console_ports[] = {
	KVMRUN_PORT_COM1 + UART_THR, KVMRUN_PORT_DEBUGCON,
};

void coalesce_init(struct coalesce *c, struct kvm *kvm)
{
	*c = (struct coalesce){ .kvm = kvm };
}

static bool is_console_port(uint64_t port)
{
	unsigned i;

	for (i = 0; i < sizeof(console_ports) / sizeof(console_ports[0]); i++)
		if (port == console_ports[i])
			return true;
	return false;
}

void coalesce_port_exit(struct coalesce *c, uint16_t port, unsigned size)
{
	struct error ignored;
	unsigned i;

	if (size != 1 || !is_console_port(port))
		return;
	if (c->tried || ++c->console_exits < COALESCE_AFTER)
		return;
	c->tried = true;        /* once, whether KVM can or not */
	for (i = 0; i < sizeof(console_ports) / sizeof(console_ports[0]); i++) {
		struct kvm_coalesced_mmio_ring *ring =
			kvm_coalesce_pio(c->kvm, console_ports[i], 1, &ignored);

		if (!ring)
			break;
		c->ring = ring;
		c->ring_max = kvm_coalesced_max();
		c->zones = i + 1;
	}
}

bool coalesce_next(struct coalesce *c, struct coalesced_write *w)
{
	struct kvm_coalesced_mmio_ring *ring = c->ring;
	struct kvm_coalesced_mmio *e;

	if (!ring || ring->first == ring->last)
		return false;
	e = &ring->coalesced_mmio[ring->first % c->ring_max];
	w->pio = e->pio;
	w->addr = e->phys_addr;
	memcpy(w->data, e->data, sizeof(w->data));
	w->len = e->len > sizeof(w->data) ? sizeof(w->data) : e->len ? e->len : 1;
	/* The slot is KVM's again once first moves past it. */
	__atomic_store_n(&ring->first, (ring->first + 1) % c->ring_max, __ATOMIC_RELEASE);
	return true;
}

void coalesce_fini(struct coalesce *c)
{
	struct error ignored;

	while (c->zones > 0)
		kvm_uncoalesce_pio(c->kvm, console_ports[--c->zones], 1, &ignored);
	c->ring = NULL;
}
