/* SPDX-License-Identifier: MIT */
/*
 * The host side of the supervisor (supervisor.h): what a KVM_EXIT_HLT
 * means.  A hlt outside the stubs is the guest's own and ends the run.  A
 * hlt in a stub is an exception; its frame is on the supervisor stack:
 *
 *  - #GP at CPL3 on hlt: the guest halted; end the run as hlt at CPL0 would;
 *  - #GP at CPL3 with --ring auto: the guest needs ring 0; continue it at
 *    CPL0 at the faulting instruction, all registers intact (if it was a
 *    real #GP it faults again at CPL0 and is reported then);
 *  - #GP at CPL3 with --ring 3 on an instruction that needs ring 0: end
 *    the run naming the instruction;
 *  - anything else: end the run reporting the exception.
 */
#include "machine.h"

#include <string.h>

#include "gdt.h"
#include "insn.h"
#include "paging.h"
#include "kvmrun/abi.h"


/*
 * The segment a selector names, decoded from the guest's GDT (which is
 * kvmrun's unless the guest loaded its own); an unusable null segment if
 * it cannot be read.
 */
static struct kvm_segment segment_of(const struct machine *m,
				     const struct kvm_sregs *sregs, uint64_t sel)
{
	uint64_t off = sel & 0xfff8, lo, hi = 0;
	const uint8_t *p = machine_guest_ptr(m, sregs, sregs->gdt.base + off, 16);
	struct kvm_segment seg = { .selector = (uint16_t)sel, .unusable = 1 };

	if (off == 0 || !p || off + 7 > sregs->gdt.limit)
		return seg;
	memcpy(&lo, p, 8);
	if (off + 15 <= sregs->gdt.limit)
		memcpy(&hi, p + 8, 8);
	gdt_decode(lo, hi, (uint16_t)sel, &seg);
	return seg;
}

/* End the run with the registers the guest had at the fault. */
static int end_at_fault(const struct machine *m, struct run_result *res,
			enum run_end end, int status, const struct exc_frame *f,
			const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	res->end = end;
	res->status = status;
	res->exc = *f;
	res->have_regs = true;
	res->regs = *regs;
	res->sregs = *sregs;
	res->regs.rip = f->rip;
	res->regs.rsp = f->rsp;
	res->regs.rflags = f->rflags;
	res->sregs.cs = segment_of(m, sregs, f->cs);
	res->sregs.ss = segment_of(m, sregs, f->ss);
	return 1;
}

/* Continue the guest at CPL0 where it faulted at CPL3. */
static int move_to_ring0(struct machine *m, struct run_result *res,
			 const struct exc_frame *f, struct kvm_regs *regs,
			 struct kvm_sregs *sregs, struct error *err)
{
	regs->rip = f->rip;
	regs->rsp = f->rsp;
	/* IF is virtual at CPL3 and the guest could not have set it: cli
	 * and sti trap.  Keep the contract's RFLAGS. */
	regs->rflags = f->rflags & ~X86_RFLAGS_IF;
	cpu_set_ring(sregs, 0);
	if (kvm_ioctl(m->kvm.vcpu_fd, KVM_SET_SREGS, sregs, err) < 0 ||
	    kvm_ioctl(m->kvm.vcpu_fd, KVM_SET_REGS, regs, err) < 0)
		return -1;
	m->cpl = 0;
	m->insn_cpl = 0;
	res->switched = true;
	res->switch_rip = f->rip;
	return 0;
}

/*
 * --trace insns.  The guest runs with RFLAGS.TF set, so each instruction
 * ends in a #DB trap, which the supervisor turns into a hlt exit like any
 * exception: the frame's RIP is the next instruction.  This works in both
 * rings (host single-stepping does not reach CPL3 code on kvm_pvm) and
 * across port-I/O exits.  The guest must not see TF: pushf has its copy
 * cleared, popf and iretq have TF put back in what they load.
 */

/* The code size the guest runs: 64, 32 or 16 bits (CS.L, CS.D). */
static unsigned code_bits(const struct kvm_sregs *sregs)
{
	if ((sregs->efer & X86_EFER_LMA) && sregs->cs.l)
		return 64;
	return sregs->cs.db ? 32 : 16;
}

/*
 * Log the instruction being stepped, now that it ran.  Its length is
 * decoded from its bytes, never taken from where the guest went next: a
 * taken branch goes anywhere.  Bytes the decoder does not know are shown
 * up to 15, marked as of unknown length.
 */
static void trace_stepped(struct machine *m, const struct kvm_sregs *sregs)
{
	uint8_t code[15];
	unsigned n = machine_code_at(m, sregs, m->insn_rip, code, sizeof(code));
	unsigned len = insn_length(code, n, m->insn_bits);

	trace_insn(&m->tracer, m->insn_rip, m->insn_cpl, code, len ? len : n, len != 0);
	m->result->insns++;
}

/* The run ends at the instruction being stepped: log it too. */
static void trace_last(struct machine *m, const struct kvm_sregs *sregs)
{
	if (m->tracing_insns)
		trace_stepped(m, sregs);
}

/* Change bit TF of the RFLAGS image at gva (in the guest's stack). */
static void patch_tf(struct machine *m, const struct kvm_sregs *sregs,
		     uint64_t gva, bool set)
{
	uint64_t *p = gva % 8 ? NULL : machine_guest_ptr(m, sregs, gva, 8);

	if (p)
		*p = set ? *p | X86_RFLAGS_TF : *p & ~X86_RFLAGS_TF;
}

/*
 * A port-I/O or MMIO exit while stepping.  On kvm_pvm the trap after an
 * `out` that exited is lost, so the instruction after it would run
 * untraced: when RIP already moved past the instruction being stepped,
 * log it here and step on from RIP.
 */
void trap_io_step(struct machine *m)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct error err;

	if (!m->tracing_insns || cpu_get(&m->kvm, &regs, &sregs, &err) < 0 ||
	    regs.rip == m->insn_rip)
		return;
	trace_stepped(m, &sregs);
	m->insn_rip = regs.rip;
	m->insn_bits = code_bits(&sregs);
}

static int step(struct machine *m, struct run_result *res,
		const struct exc_frame *f, struct kvm_regs *regs,
		struct kvm_sregs *sregs, struct error *err)
{
	struct insn_info done, next;
	uint8_t code[16];
	unsigned n;

	n = machine_code_at(m, sregs, m->insn_rip, code, sizeof(code));
	insn_classify(code, n, &done);
	/* f->rip == insn_rip: the trap of an instruction trap_io_step has
	 * already logged (where the trap was not lost after all). */
	if (f->rip != m->insn_rip)
		trace_stepped(m, sregs);
	if (!done.two_byte && done.opcode == 0x9c && done.len)
		patch_tf(m, sregs, f->rsp, false);      /* pushf: hide TF */

	regs->rip = f->rip;
	regs->rsp = f->rsp;
	regs->rflags = f->rflags | X86_RFLAGS_TF;
	sregs->cs = segment_of(m, sregs, f->cs);
	sregs->ss = segment_of(m, sregs, f->ss);
	if (sregs->ss.unusable)         /* a null SS at CPL0 in 64-bit mode */
		sregs->ss.dpl = sregs->cs.dpl;

	if (m->cfg->max_insns && res->insns >= m->cfg->max_insns) {
		res->end = RUN_END_MAX_INSNS;
		res->status = KVMRUN_STATUS_TIMEOUT;
		res->have_regs = true;
		res->regs = *regs;
		res->regs.rflags &= ~X86_RFLAGS_TF;
		res->sregs = *sregs;
		return 1;
	}

	n = machine_code_at(m, sregs, f->rip, code, sizeof(code));
	insn_classify(code, n, &next);
	if (next.cls == INSN_PRIVILEGED && strcmp(next.name, "lidt") == 0) {
		/* lidt: from now on #DB would go to the guest's own IDT. */
		trace_note(&m->tracer, "instruction trace stops: the guest loads "
			   "its own IDT, which would receive the trace traps");
		m->tracing_insns = false;
		regs->rflags &= ~X86_RFLAGS_TF;
	} else if (!next.two_byte && next.opcode == 0x9d && next.len) {
		patch_tf(m, sregs, f->rsp, true);       /* popf keeps TF */
	} else if (!next.two_byte && next.opcode == 0xcf) {
		patch_tf(m, sregs, f->rsp + 16, true);  /* iretq's RFLAGS */
	}
	m->insn_rip = f->rip;
	m->insn_cpl = f->cs & 3;
	m->insn_bits = code_bits(sregs);
	if (kvm_ioctl(m->kvm.vcpu_fd, KVM_SET_SREGS, sregs, err) < 0 ||
	    kvm_ioctl(m->kvm.vcpu_fd, KVM_SET_REGS, regs, err) < 0)
		return -1;
	return 0;
}

/* The exception frame at linear RSP (the IST1 stack, through the guest's
 * paging: a guest may run its own page tables under kvmrun's IDT). */
static int read_frame(const struct machine *m, const struct kvm_sregs *sregs,
		      uint64_t rsp, unsigned vector, struct exc_frame *f)
{
	uint64_t pa;

	if (!machine_translate(m, sregs, rsp, &pa))
		return -1;
	return sup_read_frame(&m->mem, pa, vector, f);
}

/*
 * Did the CPU get to this stub through an IDT gate?  Then RSP is where the
 * frame lands on the IST1 stack (SDM Vol. 3A, 6.14.5).  A guest that jumps
 * into a stub itself is just executing a hlt (in ring 3 that hlt faults,
 * and arrives here as a #GP on a hlt instruction).
 */
static bool came_from_gate(unsigned vector, const struct kvm_regs *regs)
{
	uint64_t frame = (exc_has_error_code(vector) ? 6 : 5) * 8;

	return regs->rsp == KVMRUN_SUPER_STACK_TOP - frame;
}

int trap_hlt(struct machine *m, struct run_result *res, struct error *err)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct insn_info insn;
	struct exc_frame f;
	uint8_t code[16];
	unsigned vector, n;

	if (cpu_get(&m->kvm, &regs, &sregs, err) < 0)
		return -1;
	/* Not a stub, or a frame that is not in RAM (the guest jumped into a
	 * stub itself): the guest's own hlt. */
	if (!sup_vector_at(regs.rip, &vector) || sregs.idt.base != KVMRUN_IDT_ADDR ||
	    !came_from_gate(vector, &regs) ||
	    read_frame(m, &sregs, regs.rsp, vector, &f) < 0) {
		trace_last(m, &sregs);
		res->end = RUN_END_HLT;
		res->status = 0;
		res->have_regs = true;
		res->regs = regs;
		res->sregs = sregs;
		return 1;
	}
	if (vector == EXC_DB && m->tracing_insns)
		return step(m, res, &f, &regs, &sregs, err);
	if (vector == EXC_GP && (f.cs & 3) == 3) {
		n = machine_code_at(m, &sregs, f.rip, code, sizeof(code));
		insn_classify(code, n, &insn);
		if (insn.cls == INSN_HLT) {
			trace_last(m, &sregs);
			end_at_fault(m, res, RUN_END_HLT, 0, &f, &regs, &sregs);
			res->regs.rip = f.rip + insn.len;       /* as after a hlt */
			res->regs.rflags &= ~X86_RFLAGS_RF;     /* set by the fault */
			return 1;
		}
		if (m->cfg->ring == RING_AUTO)
			return move_to_ring0(m, res, &f, &regs, &sregs, err) < 0 ? -1 : 0;
		/* A segment load fails at CPL3 because its selector is a
		 * ring-0 one; a selector that is simply bad is a #GP anywhere. */
		if (insn.cls == INSN_SEGMENT && f.error_code &&
		    segment_of(m, &sregs, f.error_code).unusable)
			insn.cls = INSN_OTHER;
		if (insn.cls != INSN_OTHER) {
			res->insn = insn.name;
			return end_at_fault(m, res, RUN_END_PRIVILEGED, KVMRUN_STATUS_CRASH,
					    &f, &regs, &sregs);
		}
	}
	trace_last(m, &sregs);
	return end_at_fault(m, res, RUN_END_EXCEPTION, KVMRUN_STATUS_CRASH, &f,
			    &regs, &sregs);
}
