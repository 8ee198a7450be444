/* SPDX-License-Identifier: MIT */
/* What the run loop tells the observers about each exit (observe.h). */
#include "observe/observe.h"

#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmrun/abi.h"

/* The guest's RIP for the trace (a register ioctl: only when tracing). */
static bool guest_rip(struct machine *m, uint64_t *rip)
{
	struct kvm_regs regs;

	if (ioctl(m->vm.kvm.vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return false;
	*rip = regs.rip;
	return true;
}

/* For a guest that started in real or protected mode, its CS too while it
 * is not in 64-bit code: there RIP alone does not say where it is. */
static void guest_cs(struct machine *m, struct trace_exit *e)
{
	struct kvm_sregs s;

	e->have_cs = m->vm.mode != MODE_LONG &&
		     ioctl(m->vm.kvm.vcpu_fd, KVM_GET_SREGS, &s) == 0 &&
		     !cpu_in_64bit_code(&s);
	if (e->have_cs)
		e->cs = s.cs.selector;
}

/* After this many changes told, -v stops watching (a guest switching
 * page tables at every exit would drown the rest). */
#define WATCH_TELL_MAX 16

void observe_watch_start(struct machine *m)
{
	m->obs.changes_told = 0;
	m->obs.watching = m->cfg->verbose &&
			  ioctl(m->vm.kvm.vcpu_fd, KVM_GET_SREGS, &m->obs.seen) == 0;
}

static void tell_change(struct machine *m, uint64_t rip, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void tell_change(struct machine *m, uint64_t rip, const char *fmt, ...)
{
	char text[240];
	va_list ap;

	if (!m->obs.watching)
		return;         /* the limit was reached at this very exit */
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (++m->obs.changes_told > WATCH_TELL_MAX) {
		output_note(&m->out, "kvmrun: further changes to the system registers "
			    "are not told\n");
		m->obs.watching = false;
		return;
	}
	output_note(&m->out, "kvmrun: seen at the exit at rip %#llx: %s\n",
		    (unsigned long long)rip, text);
}

void observe_system_state(struct machine *m)
{
	struct kvm_sregs now;
	const struct kvm_sregs *was = &m->obs.seen;
	uint64_t rip = 0;

	if (!m->obs.watching || ioctl(m->vm.kvm.vcpu_fd, KVM_GET_SREGS, &now) < 0)
		return;
	/* Most exits change nothing: no more ioctls for them. */
	if (now.cr0 == was->cr0 && now.cr3 == was->cr3 && now.cr4 == was->cr4 &&
	    now.efer == was->efer && now.cs.l == was->cs.l &&
	    now.gdt.base == was->gdt.base && now.gdt.limit == was->gdt.limit &&
	    now.idt.base == was->idt.base && now.idt.limit == was->idt.limit &&
	    now.tr.selector == was->tr.selector && now.tr.base == was->tr.base)
		return;
	guest_rip(m, &rip);
	if (strcmp(cpu_mode_name(&now), cpu_mode_name(was)) != 0)
		tell_change(m, rip, "the guest switched from %s to %s (CR0 = %#llx, CR4 = "
			    "%#llx, EFER = %#llx)", cpu_mode_name(was), cpu_mode_name(&now),
			    (unsigned long long)now.cr0, (unsigned long long)now.cr4,
			    (unsigned long long)now.efer);
	else if (now.cr0 != was->cr0 || now.cr4 != was->cr4 || now.efer != was->efer)
		tell_change(m, rip, "the guest set CR0 = %#llx, CR4 = %#llx, EFER = %#llx "
			    "(were %#llx, %#llx, %#llx)", (unsigned long long)now.cr0,
			    (unsigned long long)now.cr4, (unsigned long long)now.efer,
			    (unsigned long long)was->cr0, (unsigned long long)was->cr4,
			    (unsigned long long)was->efer);
	if (now.gdt.base != was->gdt.base || now.gdt.limit != was->gdt.limit)
		tell_change(m, rip, "the guest loaded %s GDT (lgdt): base %#llx, limit %#x",
			    now.gdt.base == KVMRUN_GDT_ADDR ? "kvmrun's" : "its own",
			    (unsigned long long)now.gdt.base, now.gdt.limit);
	if (now.idt.base != was->idt.base || now.idt.limit != was->idt.limit)
		tell_change(m, rip, "the guest loaded %s IDT (lidt): base %#llx, limit %#x%s",
			    now.idt.base == KVMRUN_IDT_ADDR ? "kvmrun's" : "its own",
			    (unsigned long long)now.idt.base, now.idt.limit,
			    now.idt.base == KVMRUN_IDT_ADDR ? "" :
			    "; its exceptions go to its own handlers now, not to kvmrun's reports");
	if (now.tr.selector != was->tr.selector || now.tr.base != was->tr.base)
		tell_change(m, rip, "the guest loaded a task register (ltr): selector %#x, "
			    "base %#llx", now.tr.selector, (unsigned long long)now.tr.base);
	if (now.cr3 != was->cr3)
		tell_change(m, rip, "the guest set CR3 = %#llx (mov to cr3): %s",
			    (unsigned long long)now.cr3,
			    (now.cr3 & ~0xfffULL) == KVMRUN_PML4_ADDR ? "kvmrun's page tables" :
			    !(now.cr0 & X86_CR0_PG) ? "page tables for when paging is on" :
			    "its own page tables");
	m->obs.seen = now;
	output_say_notes(&m->out);      /* now, on a line of its own */
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
		guest_cs(m, &e);
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
	if (!e->coalesced) {
		e->have_rip = guest_rip(m, &e->rip);
		guest_cs(m, e);
	}
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
