/* SPDX-License-Identifier: MIT */
/* What the run loop tells the observers about each exit (observe.h). */
#include "observe/observe.h"

#include <sys/ioctl.h>

/* The guest's RIP for the trace (a register ioctl: only when tracing). */
static bool guest_rip(struct machine *m, uint64_t *rip)
{
	struct kvm_regs regs;

	if (ioctl(m->vm.kvm.vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return false;
	*rip = regs.rip;
	return true;
}

static bool tracing_exits(const struct machine *m)
{
	return m->obs.tracer.out && m->obs.tracer.exits;
}

void observe_exit(struct machine *m, enum exit_kind kind, const char *note)
{
	m->obs.stats.exits[kind]++;
	if (tracing_exits(m)) {
		struct trace_exit e = { .kind = kind, .note = note };

		e.have_rip = guest_rip(m, &e.rip);
		trace_exit(&m->obs.tracer, &e);
	}
}

/* Log e, served by a device on bus: after it ran, so an `in` shows what
 * it read. */
static void log_served(struct machine *m, struct trace_exit *e, const struct bus *bus)
{
	const struct bus_device *d = bus_find(bus, e->addr);

	e->device = d ? d->name : NULL;
	output_start_trace_line(&m->out);
	if (!e->coalesced)
		e->have_rip = guest_rip(m, &e->rip);
	trace_exit(&m->obs.tracer, e);
}

void observe_io_served(struct machine *m, const uint8_t *data)
{
	const struct kvm_run *run = m->vm.kvm.run;
	struct trace_exit e = {
		.kind = run->io.direction == KVM_EXIT_IO_OUT ? EXIT_IO_OUT : EXIT_IO_IN,
		.addr = run->io.port, .size = run->io.size, .count = run->io.count,
		.data = data,
	};

	if (tracing_exits(m))
		log_served(m, &e, &m->dev.pio);
}

void observe_mmio_served(struct machine *m)
{
	const struct kvm_run *run = m->vm.kvm.run;
	struct trace_exit e = {
		.kind = run->mmio.is_write ? EXIT_MMIO_WRITE : EXIT_MMIO_READ,
		.addr = run->mmio.phys_addr, .size = run->mmio.len, .count = 1,
		.data = run->mmio.data,
	};

	if (tracing_exits(m))
		log_served(m, &e, &m->dev.mmio);
}

void observe_coalesced(struct machine *m, const struct coalesced_write *w)
{
	struct trace_exit e = {
		.kind = EXIT_IO_OUT, .coalesced = true, .addr = w->addr,
		.size = w->len, .count = 1, .data = w->data,
	};

	/* Named by the port bus, as coalescing is for console ports. */
	if (tracing_exits(m))
		log_served(m, &e, &m->dev.pio);
}

void observe_ring_move(struct machine *m, const char *text, bool narrate,
		       bool last_told)
{
	if (tracing_exits(m)) {
		output_start_trace_line(&m->out);
		trace_note(&m->obs.tracer, text);
	}
	if (!m->cfg->verbose)
		return;
	if (narrate)
		output_note(&m->out, "kvmrun: %s\n", text);
	else if (last_told)
		output_note(&m->out, "kvmrun: tier: further moves are only counted "
			    "(--report: ring)\n");
	output_say_notes(&m->out);
}

/* The unclaimed-access hook of both buses: count, report once, --strict. */
static int on_unclaimed(struct machine *m, enum io_space space,
			const struct bus_access *acc)
{
	struct strict_hit *strict = &m->obs.strict;
	struct kvm_regs regs;
	uint64_t value = acc->write ? bus_get_value(acc) : 0;
	uint64_t overflowed = m->obs.unclaimed.other_accesses;
	bool first = unclaimed_record(&m->obs.unclaimed, space, acc->addr, acc->write);

	if (m->cfg->strict) {
		if (strict->size)
			return 0;       /* the run ends at the first one */
		*strict = (struct strict_hit){
			.space = space, .addr = acc->addr, .size = acc->size,
			.write = acc->write, .value = value,
		};
		return 0;
	}
	if (overflowed == 0 && m->obs.unclaimed.other_accesses == 1) {
		output_note(&m->out, "kvmrun: more than %d unclaimed addresses; further "
			    "ones are only counted\n", UNCLAIMED_MAX);
		return 0;
	}
	if (!first || m->cfg->quiet)
		return 0;
	if (ioctl(m->vm.kvm.vcpu_fd, KVM_GET_REGS, &regs) < 0)
		regs.rip = 0;
	if (acc->write)
		output_note(&m->out, "kvmrun: unclaimed %s write: %s %#llx, %u byte%s, "
			    "value %#llx, rip %#llx (reported once, counted at the end)\n",
			    unclaimed_space_name(space), space == IO_SPACE_PORT ? "port" : "address",
			    (unsigned long long)acc->addr, acc->size, acc->size == 1 ? "" : "s",
			    (unsigned long long)value, (unsigned long long)regs.rip);
	else
		output_note(&m->out, "kvmrun: unclaimed %s read: %s %#llx, %u byte%s, "
			    "rip %#llx, returned all ones (reported once, counted at the end)\n",
			    unclaimed_space_name(space), space == IO_SPACE_PORT ? "port" : "address",
			    (unsigned long long)acc->addr, acc->size, acc->size == 1 ? "" : "s",
			    (unsigned long long)regs.rip);
	return 0;
}

static int on_unclaimed_port(void *ctx, const struct bus_access *acc)
{
	return on_unclaimed(ctx, IO_SPACE_PORT, acc);
}

static int on_unclaimed_mmio(void *ctx, const struct bus_access *acc)
{
	return on_unclaimed(ctx, IO_SPACE_MMIO, acc);
}

void observe_unclaimed(struct machine *m)
{
	m->dev.pio.unclaimed = on_unclaimed_port;
	m->dev.pio.unclaimed_ctx = m;
	m->dev.mmio.unclaimed = on_unclaimed_mmio;
	m->dev.mmio.unclaimed_ctx = m;
}
