/* SPDX-License-Identifier: MIT */
/* Tiering: ring 0 for bursts of exits, ring 3 to compute (tier.h). */
#include "ring3/tier.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "clock.h"
#include "cpu.h"
#include "kvmrun/abi.h"
#include "machine.h"
#include "observe/observe.h"
#include "paging.h"
#include "ring3/supervisor.h"

/*
 * The defaults (docs/internals.md, "Tiering", has the arithmetic).  A burst
 * is TIER_DENSE exits in a row, each returning within twice the cheapest
 * exit from CPL3 seen in this run: the guest did next to nothing between
 * them, and at CPL0 each would cost a fraction.  One emulated microsecond
 * at CPL0 is a few native nanoseconds, so a guest at CPL0 that goes
 * TIER_IDLE_NS without an exit is computing and goes back to CPL3.  A move
 * down that served fewer than TIER_PAID exits did not pay for the idle
 * wait: the next one needs twice the burst (up to TIER_DENSE_MAX).
 */
#define TIER_DENSE              2
#define TIER_DENSE_MAX          4096
#define TIER_IDLE_NS            (1000 * 1000)   /* 1 ms */
#define TIER_PAID               128
#define TIER_NARRATE_MAX        8       /* -v tells this many moves */

/*
 * MSRs a guest at CPL0 may write that change what CPL3 code would do
 * (syscall and sysenter entry points, swapgs's base, rdtscp's value, the
 * memory types).  Those that KVM will not read on this host are skipped.
 */
static const uint32_t watched_msrs[] = {
	0x174, 0x175, 0x176,                    /* IA32_SYSENTER_CS/ESP/EIP */
	0x277,                                  /* IA32_PAT */
	0xc0000081, 0xc0000082, 0xc0000083,     /* STAR, LSTAR, CSTAR */
	0xc0000084,                             /* SFMASK */
	0xc0000102, 0xc0000103,                 /* KERNEL_GS_BASE, TSC_AUX */
};
#define NR_WATCHED (sizeof(watched_msrs) / sizeof(watched_msrs[0]))

#define IDT_END (KVMRUN_IDT_ADDR + SUP_VECTORS * 16)
#define PTE_ACCESSED_DIRTY      (PTE_A | PTE_D) /* set by the CPU (SDM Vol. 3A, 4.8) */
#define DESC_ACCESSED_BUSY      (3ULL << 40)    /* type bits 0, 1 (3.4.5) */

/*
 * kvmrun's tables in its reserved area (kvmrun/abi.h), compared 8 bytes at
 * a time with the bits the CPU itself sets left out: accessed and dirty in
 * page-table entries, accessed and TSS-busy in descriptors.  Not the
 * boot-info block, nor the supervisor's stack.
 */
static const struct {
	uint64_t start, end;
	uint64_t cpu_sets;
} tables[] = {
	{ KVMRUN_PML4_ADDR, KVMRUN_GDT_ADDR, PTE_ACCESSED_DIRTY },
	{ KVMRUN_GDT_ADDR, KVMRUN_STUBS_ADDR, DESC_ACCESSED_BUSY },
	{ KVMRUN_STUBS_ADDR, KVMRUN_BOOTINFO_ADDR, 0 },
	{ KVMRUN_TSS_ADDR, IDT_END, 0 },
	{ KVMRUN_PT_ADDR, KVMRUN_PT_ADDR + 0x1000, PTE_ACCESSED_DIRTY },
};
#define NR_TABLES (sizeof(tables) / sizeof(tables[0]))
#define TABLES_BYTES ((KVMRUN_BOOTINFO_ADDR - KVMRUN_PML4_ADDR) + \
		      (IDT_END - KVMRUN_TSS_ADDR) + 0x1000)

struct tier_baseline {
	struct kvm_sregs sregs;
	uint32_t msr_index[NR_WATCHED];
	uint64_t msr_value[NR_WATCHED];
	unsigned nr_msrs;
	bool have_dr7;
	uint64_t dr7;
	uint8_t tables[TABLES_BYTES];
};

static int read_msr(const struct kvm *kvm, uint32_t index, uint64_t *value)
{
	/* struct kvm_msrs ends in a flexible array: room for one entry. */
	union {
		struct kvm_msrs head;
		uint8_t bytes[sizeof(struct kvm_msrs) + sizeof(struct kvm_msr_entry)];
	} buf;
	struct kvm_msr_entry entry = { .index = index };

	memset(&buf, 0, sizeof(buf));
	buf.head.nmsrs = 1;
	memcpy(buf.bytes + sizeof(struct kvm_msrs), &entry, sizeof(entry));
	/* KVM_GET_MSRS returns how many it read: 0 if it would not. */
	if (ioctl(kvm->vcpu_fd, KVM_GET_MSRS, &buf) != 1)
		return -1;
	memcpy(&entry, buf.bytes + sizeof(struct kvm_msrs), sizeof(entry));
	*value = entry.data;
	return 0;
}

static bool read_dr7(const struct kvm *kvm, uint64_t *dr7)
{
	struct kvm_debugregs dbg;

	if (ioctl(kvm->vcpu_fd, KVM_GET_DEBUGREGS, &dbg) < 0)
		return false;
	*dr7 = dbg.dr7;
	return true;
}

/* Copy kvmrun's tables out of (take) or compare them with guest memory. */
static bool tables_same(const struct memmap *mm, uint8_t *copy, bool take)
{
	size_t off = 0;

	for (unsigned i = 0; i < NR_TABLES; i++) {
		size_t len = tables[i].end - tables[i].start;
		const uint8_t *p = memmap_gpa(mm, tables[i].start, len);

		if (!p)
			return false;
		if (take) {
			memcpy(copy + off, p, len);
		} else {
			for (size_t k = 0; k < len; k += 8) {
				uint64_t was, now;

				memcpy(&was, copy + off + k, 8);
				memcpy(&now, p + k, 8);
				if ((was ^ now) & ~tables[i].cpu_sets)
					return false;
			}
		}
		off += len;
	}
	return true;
}

/*
 * The page directories for RAM above 4 GiB (memmap.h: high_pd_gpa), up to
 * 2 MiB of them: not copied, but checked against what paging_build wrote,
 * one 2 MiB page per entry, user-accessible under --ring auto.
 */
static bool high_pds_same(const struct memmap *mm)
{
	for (unsigned gib = 4; gib < mm->nr_pds; gib++) {
		const uint64_t *pd = memmap_gpa(mm, mm->high_pd_gpa +
					(uint64_t)(gib - 4) * MEMMAP_PAGE_SIZE, 4096);

		if (!pd)
			return false;
		for (uint64_t i = 0; i < 512; i++) {
			uint64_t want = (((uint64_t)gib << 30) + (i << 21)) |
					PTE_P | PTE_RW | PTE_US | PTE_PS;

			if ((pd[i] & ~PTE_ACCESSED_DIRTY) != want)
				return false;
		}
	}
	return true;
}

/*
 * The privileged state as the guest has it at CPL3, taken again at every
 * move down (kvmrun's tables are user-writable: a guest at CPL3 may have
 * rewritten them since the last one).  -1 if out of memory.
 */
static int take_baseline(struct tier *t, const struct machine *m,
			 const struct kvm_sregs *sregs)
{
	struct tier_baseline *b = t->base ? t->base : calloc(1, sizeof(*b));

	if (!b)
		return -1;
	t->base = b;
	b->sregs = *sregs;
	b->nr_msrs = 0;
	for (unsigned i = 0; i < NR_WATCHED; i++)
		if (read_msr(&m->vm.kvm, watched_msrs[i], &b->msr_value[b->nr_msrs]) == 0)
			b->msr_index[b->nr_msrs++] = watched_msrs[i];
	b->have_dr7 = read_dr7(&m->vm.kvm, &b->dr7);
	tables_same(&m->vm.mem, b->tables, true);
	return 0;
}

/*
 * Is the vCPU between instructions?  Not if finishing the exit left an
 * exception to deliver or an interrupt shadow (after mov ss or sti): a
 * KVM_SET_REGS would drop the one, a ring change confuse the other.
 */
static int between_instructions(const struct kvm *kvm, bool *yes, struct error *err)
{
	struct kvm_vcpu_events ev;

	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev, err) < 0)
		return -1;
	*yes = !ev.exception.injected && !ev.exception.pending && !ev.interrupt.shadow &&
	       !ev.nmi.injected;
	return 0;
}

/*
 * What the guest took over while at CPL0, in words, or NULL if nothing
 * kvmrun can see.  Anything here means CPL3 would not run it as it now
 * expects: its own descriptor tables or paging, interrupts on, a new
 * syscall entry, a debug register armed.
 */
static const char *taken_over(struct tier *t, const struct machine *m,
			      const struct kvm_regs *regs, const struct kvm_sregs *s)
{
	const struct tier_baseline *b = t->base;
	const struct kvm_sregs *o = &b->sregs;
	uint64_t v, dr7;

	if (s->idt.base != o->idt.base || s->idt.limit != o->idt.limit)
		return "loaded its own IDT";
	if (s->gdt.base != o->gdt.base || s->gdt.limit != o->gdt.limit)
		return "loaded its own GDT";
	if (s->tr.selector != o->tr.selector || s->ldt.selector != o->ldt.selector)
		return "loaded a task register or an LDT";
	if (s->cr0 != o->cr0)
		return "changed CR0";
	if (s->cr3 != o->cr3)
		return "changed CR3 (its own page tables)";
	if (s->cr4 != o->cr4)
		return "changed CR4";
	if (s->cr8 != o->cr8)
		return "changed CR8";
	if (s->efer != o->efer)
		return "changed EFER";
	if (s->apic_base != o->apic_base)
		return "moved the local APIC";
	if (regs->rflags & X86_RFLAGS_IF)
		return "enabled interrupts";
	if (regs->rflags & X86_RFLAGS_IOPL)
		return "raised IOPL";
	for (unsigned i = 0; i < b->nr_msrs; i++) {
		bool read = read_msr(&m->vm.kvm, b->msr_index[i], &v) == 0;

		if (!read || v != b->msr_value[i]) {
			/* Unreadable now: kvmrun cannot tell, so it stays. */
			snprintf(t->pinned_buf, sizeof(t->pinned_buf), read ? "wrote MSR %#x" :
				 "may have changed MSR %#x (KVM_GET_MSRS no longer reads it)",
				 b->msr_index[i]);
			return t->pinned_buf;
		}
	}
	if (b->have_dr7 && (!read_dr7(&m->vm.kvm, &dr7) || dr7 != b->dr7))
		return "set a debug register";
	if (!tables_same(&m->vm.mem, t->base->tables, false) || !high_pds_same(&m->vm.mem))
		return "wrote kvmrun's page tables, GDT, TSS or IDT";
	return NULL;
}

/* Time at each ring: close the stretch at the current one. */
static void account(struct tier *t, unsigned new_cpl)
{
	uint64_t now = clock_now_ns();

	t->ns_in[t->cpl ? 1 : 0] += now - t->since_ns;
	t->since_ns = now;
	t->cpl = new_cpl;
}

/* Tell -v (the first few) and --trace exits (all) about a move. */
static void tell(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tell(struct machine *m, const char *fmt, ...)
{
	char text[200];
	uint64_t told;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	told = ++m->tier.narrated;
	observe_ring_move(m, text, told <= TIER_NARRATE_MAX, told == TIER_NARRATE_MAX + 1);
}

static void pin(struct machine *m, const char *why, uint64_t rip)
{
	struct tier *t = &m->tier;

	if (why != t->pinned_buf) {
		snprintf(t->pinned_buf, sizeof(t->pinned_buf), "%s", why);
		why = t->pinned_buf;
	}
	t->pinned = why;
	if (t->policy.on)
		tell(m, "tier: the guest stays in ring 0 from rip %#llx on: it %s",
		     (unsigned long long)rip, why);
}

/*
 * Move the guest to ring `to` (0 or 3), why in words.  Returns 0 (moved,
 * or stayed where a move cannot be made), -1 if an ioctl failed.
 */
static int move(struct machine *m, unsigned to, const char *why, struct error *err)
{
	struct tier *t = &m->tier;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	const char *took;

	bool between;
	int r = kvm_complete_exit(&m->vm.kvm, err);

	if (r < 0)
		return -1;
	if (r > 0) {            /* another exit to serve first: no move now */
		t->exit_pending = true;
		return 0;
	}
	if (between_instructions(&m->vm.kvm, &between, err) < 0)
		return -1;
	if (!between)
		return 0;
	if (cpu_get(&m->vm.kvm, &regs, &sregs, err) < 0)
		return -1;
	if (to == 0) {
		/* 64-bit code under kvmrun's GDT only: a CPL3 guest cannot
		 * have another, so this always holds. */
		if (sregs.cs.selector != KVMRUN_SEL_USER_CODE64 ||
		    sregs.gdt.base != KVMRUN_GDT_ADDR)
			return 0;
		if (take_baseline(t, m, &sregs) < 0)
			return error_set(err, "out of memory for tiering's baseline");
		t->saved_if = regs.rflags & X86_RFLAGS_IF;
		regs.rflags &= ~X86_RFLAGS_IF;
		cpu_set_ring(&sregs, 0);
		t->to_ring0++;
		t->exits_down = 0;
	} else {
		took = t->base ? taken_over(t, m, &regs, &sregs) : "ran at CPL0 unwatched";
		if (!took && sregs.cs.selector != KVMRUN_SEL_CODE64)
			took = "runs another code segment";
		if (took) {
			pin(m, took, regs.rip);
			return 0;
		}
		cpu_set_ring(&sregs, 3);
		regs.rflags = (regs.rflags & ~X86_RFLAGS_IF) | t->saved_if;
		t->to_ring3++;
		/* A move down that served few exits cost more than it saved. */
		if (t->exits_down < TIER_PAID)
			t->needed = t->needed * 2 > TIER_DENSE_MAX ? TIER_DENSE_MAX : t->needed * 2;
		else
			t->needed = t->policy.dense;
	}
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_SREGS, &sregs, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, &regs, err) < 0)
		return -1;
	account(t, to);
	t->down_rip = regs.rip;
	t->down_rip_valid = to == 0;
	m->vm.cpl = to;
	m->step.cpl = to;
	m->step.cs = sregs.cs;
	t->in_row = 0;
	tell(m, "tier: to ring %u at rip %#llx (exit %llu): %s", to,
	     (unsigned long long)regs.rip, (unsigned long long)t->exits, why);
	return 0;
}

void tier_init(struct machine *m)
{
	const struct config *cfg = m->cfg;
	struct tier *t = &m->tier;
	struct tier_policy *p = &t->policy;

	memset(t, 0, sizeof(*t));
	t->cpl = m->vm.cpl;
	/* --repeat starts tiering over each run; the counter does not. */
	t->coalesced_seen = m->obs.stats.exits[EXIT_COALESCED];
	p->every = cfg->tier_every;
	p->dense = cfg->tier_dense ? (unsigned)(cfg->tier_dense < TIER_DENSE_MAX ?
						cfg->tier_dense : TIER_DENSE_MAX) : TIER_DENSE;
	p->idle_ns = cfg->tier_idle_ns ? cfg->tier_idle_ns : TIER_IDLE_NS;
	t->needed = p->dense;
	if (cfg->ring != RING_AUTO)
		p->off_why = "--ring pins the ring";
	else if (cfg->tiering == TIERING_NO)
		p->off_why = "--no-tiering";
	else if (m->vm.cpl != 3)
		p->off_why = "the guest starts in ring 0";
	else if (cfg->gdb)
		p->off_why = "--gdb steps and stops the guest in the ring it is in";
	else if (cfg->trace_insns)
		p->off_why = "--trace insns steps the guest in the ring it is in";
	else if (cfg->tiering == TIERING_ON_PVM && !m->vm.kvm.pvm)
		p->off_why = "this host's KVM is not kvm_pvm: both rings run natively";
	else if (!kvm_check_extension(&m->vm.kvm, KVM_CAP_IMMEDIATE_EXIT))
		p->off_why = "KVM lacks KVM_CAP_IMMEDIATE_EXIT";
	p->on = p->off_why == NULL;
}

int tier_back_to_ring3(struct machine *m, struct error *err)
{
	struct tier *t = &m->tier;

	if (!t->policy.on || t->pinned || m->vm.cpl != 0)
		return 0;
	return move(m, 3, "a snapshot is taken (--repeat)", err);
}

void tier_start(struct tier *t)
{
	t->since_ns = clock_now_ns();
}

void tier_entering(struct tier *t)
{
	if (t->policy.on)
		t->entered_ns = clock_now_ns();
}

void tier_exited(struct tier *t)
{
	if (t->policy.on)
		t->gap_ns = clock_now_ns() - t->entered_ns;
}

void tier_drained(struct tier *t, uint64_t coalesced)
{
	t->batched = coalesced - t->coalesced_seen;
	t->coalesced_seen = coalesced;
}

/* A forced switch (--tier-every): whichever way is open now. */
static int switch_every(struct machine *m, struct error *err)
{
	struct tier *t = &m->tier;
	char why[64];

	if (t->exits % t->policy.every)
		return 0;
	snprintf(why, sizeof(why), "exit %llu (--tier-every %llu)",
		 (unsigned long long)t->exits, (unsigned long long)t->policy.every);
	return move(m, m->vm.cpl ? 0 : 3, why, err);
}

/*
 * The stretch of guest time that just ended (t->gap_ns) held `events`
 * exits: the one KVM_RUN returned for, if any, and the port writes KVM
 * queued without returning (coalesced: the guest paid an exit in the
 * kernel for each all the same).  Each took gap_ns / events.
 */
static int decide(struct machine *m, uint64_t events, struct error *err)
{
	struct tier *t = &m->tier;
	uint64_t each = t->gap_ns / events;
	char why[96];

	t->last_exit_ns = clock_now_ns();
	if (m->vm.cpl == 0) {
		t->exits_down += events;
		if (each < t->policy.idle_ns)
			return 0;
		snprintf(why, sizeof(why), "%llu us without an exit",
			 (unsigned long long)(each / 1000));
		return move(m, 3, why, err);
	}
	/* The floor is an exit to kvmrun: a coalesced write, which stays in
	 * the host kernel, is cheaper and would make every later exit look
	 * slow. */
	if (events == 1 && !t->batched &&
	    (!t->cheapest_exit_ns || each < t->cheapest_exit_ns))
		t->cheapest_exit_ns = each;
	if (!t->cheapest_exit_ns)
		return 0;
	if (each > 2 * t->cheapest_exit_ns) {
		t->in_row = 0;
		return 0;
	}
	t->in_row = t->in_row + events > TIER_DENSE_MAX ? TIER_DENSE_MAX :
		    t->in_row + (unsigned)events;
	if (t->in_row < t->needed)
		return 0;
	snprintf(why, sizeof(why), "%u exits in a row, each within %llu us",
		 t->in_row, (unsigned long long)(2 * t->cheapest_exit_ns / 1000));
	return move(m, 0, why, err);
}

int tier_after_exit(struct machine *m, struct error *err)
{
	struct tier *t = &m->tier;

	if (!t->policy.on || t->pinned)
		return 0;
	t->exits++;
	/* Forced moves count only the exits KVM_RUN returned for: how many
	 * coalesced writes come between two of them depends on timing. */
	if (t->policy.every)
		return switch_every(m, err);
	return decide(m, t->batched + 1, err);
}

int tier_after_tick(struct machine *m, struct error *err)
{
	struct tier *t = &m->tier;
	uint64_t idle;
	char why[64];

	if (!t->policy.on || t->pinned || t->policy.every)
		return 0;
	if (t->batched)         /* coalesced writes during the stretch */
		return decide(m, t->batched, err);
	if (m->vm.cpl != 0) {   /* it computed through a tick: no burst */
		t->in_row = 0;
		return 0;
	}
	idle = clock_now_ns() - t->last_exit_ns;
	if (idle < t->policy.idle_ns)
		return 0;
	snprintf(why, sizeof(why), "%llu us without an exit",
		 (unsigned long long)(idle / 1000));
	t->last_exit_ns = clock_now_ns();       /* one try per idle stretch */
	return move(m, 3, why, err);
}

uint64_t tier_tick_ns(const struct machine *m)
{
	const struct tier *t = &m->tier;

	return t->policy.on && !t->pinned && !t->policy.every && m->vm.cpl == 0 ?
	       t->policy.idle_ns : 0;
}

void tier_moved_by_trap(struct machine *m, bool port_io, const char *insn,
			uint64_t rip, uint64_t rflags)
{
	struct tier *t = &m->tier;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct error err;

	account(t, 0);
	t->down_rip_valid = false;
	/* Without tiering the move is for good: tell it once, as it happens. */
	if (!t->policy.on)
		tell(m, "ring: to ring 0 at rip %#llx, for good: its `%s` %s (tiering is "
		     "off: %s)", (unsigned long long)rip, insn ? insn : "instruction",
		     port_io ? "faulted at CPL3 (this host does not let ring 3 do port I/O)" :
		     "needs CPL0", t->policy.off_why ? t->policy.off_why : "--ring auto");
	if (!port_io) {
		snprintf(t->pinned_buf, sizeof(t->pinned_buf), "needs ring 0 for its %s",
			 insn ? insn : "privileged instruction");
		pin(m, t->pinned_buf, rip);
		return;
	}
	/* The baseline is the state it had at CPL3: the trap changed only
	 * its segments and IF. */
	t->saved_if = rflags & X86_RFLAGS_IF;
	if (cpu_get(&m->vm.kvm, &regs, &sregs, &err) < 0 ||
	    take_baseline(t, m, &sregs) < 0) {
		free(t->base);          /* a move up then keeps it in ring 0 */
		t->base = NULL;
	}
	t->exits_down = 0;
	t->last_exit_ns = clock_now_ns();
	if (t->policy.on)
		tell(m, "tier: to ring 0 at rip %#llx: its %s faulted at CPL3 (this host "
		     "does not let ring 3 do port I/O); it may go back", (unsigned long long)rip,
		     insn);
}

void tier_end(struct machine *m)
{
	account(&m->tier, m->tier.cpl);
	free(m->tier.base);
	m->tier.base = NULL;
}
