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
#include "ring3/trap.h"

#include <stdio.h>
#include <string.h>

#include "gdt.h"
#include "kvmrun/abi.h"
#include "paging.h"
#include "debug/gdb.h"
#include "ring3/insn.h"
#include "ring3/tier.h"


/*
 * The segment a selector names, decoded from the guest's GDT (which is
 * kvmrun's unless the guest loaded its own); an unusable null segment if
 * it cannot be read.
 */
static struct kvm_segment segment_of(const struct machine *m,
				     const struct kvm_sregs *sregs, uint64_t sel)
{
	uint64_t off = sel & 0xfff8, lo, hi = 0;
	const uint8_t *p = paging_guest_ptr(&m->vm.mem, sregs, sregs->gdt.base + off, 16);
	struct kvm_segment seg = { .selector = (uint16_t)sel, .unusable = 1 };

	/* TI set: the LDT, which kvmrun does not read. */
	if (off == 0 || (sel & 4) || !p || off + 7 > sregs->gdt.limit)
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

/*
 * The ring-0 segments a guest moved from ring 3 continues with: the twins,
 * in the GDT it runs with, of its CS and SS, so that code keeps its size
 * (64-bit, or 32- or 16-bit compatibility mode) and its stack its width.
 * Under kvmrun's own GDT they are 0x08 and 0x10.  Returns false, with the
 * reason in why, if the GDT has no such segment.
 */
static bool ring0_segments(const struct machine *m, const struct exc_frame *f,
			   struct kvm_sregs *sregs, char *why, size_t len)
{
	struct kvm_segment cs = segment_of(m, sregs, f->cs), ss = segment_of(m, sregs, f->ss);
	size_t gdt_len = (size_t)sregs->gdt.limit + 1;
	const uint8_t *gdt = paging_guest_ptr(&m->vm.mem, sregs, sregs->gdt.base, gdt_len);
	uint16_t cs0, ss0;

	if (cs.unusable || !gdt) {
		snprintf(why, len, "its code segment %#llx cannot be read from its GDT",
			 (unsigned long long)f->cs);
		return false;
	}
	cs0 = gdt_find_ring0_twin(gdt, gdt_len, &cs, !cs.l);
	/* A 64-bit stack can be any writable data segment, or none. */
	ss0 = ss.unusable && !cs.l ? 0 : gdt_find_ring0_twin(gdt, gdt_len, &ss, !cs.l);
	if (!cs0 || (!ss0 && !cs.l)) {
		snprintf(why, len, "it runs %s code (CS %#llx) and its GDT has no ring-0 "
			 "%s segment like its %s", cs.l ? "64-bit" : cs.db ? "32-bit" : "16-bit",
			 (unsigned long long)f->cs, cs0 ? "stack" : "code",
			 cs0 ? "SS" : "CS");
		return false;
	}
	if (cs.l && sregs->gdt.base == KVMRUN_GDT_ADDR && cs0 == KVMRUN_SEL_CODE64 &&
	    ss0 == KVMRUN_SEL_DATA) {
		cpu_set_ring(sregs, 0);         /* the contract's 0x08 and 0x10 */
		return true;
	}
	sregs->cs = segment_of(m, sregs, cs0);
	if (ss0) {
		sregs->ss = segment_of(m, sregs, ss0);
	} else {                /* a null SS, which 64-bit ring 0 allows */
		memset(&sregs->ss, 0, sizeof(sregs->ss));
		sregs->ss.unusable = 1;
	}
	if (cs.l) {             /* as under kvmrun's GDT: data = the stack's */
		uint64_t fs_base = sregs->fs.base, gs_base = sregs->gs.base;

		sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss;
		sregs->fs.base = fs_base;
		sregs->gs.base = gs_base;
	}
	return true;
}

/* KVM steps the guest from now on: a KVM_EXIT_DEBUG after each
 * instruction (KVM API document, KVM_SET_GUEST_DEBUG). */
static int set_kvm_stepping(struct machine *m, struct error *err)
{
	struct kvm_guest_debug dbg = {
		.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP,
	};

	return kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg, err);
}

/*
 * Continue the guest at CPL0 at the instruction that faulted at CPL3 (its
 * name: insn), all registers intact.  Returns 0, 1 if it cannot be moved
 * (the run ends, res says why), or -1 if a register ioctl failed.
 */
static int move_to_ring0(struct machine *m, struct run_result *res,
			 const struct exc_frame *f, const struct insn_info *insn,
			 struct kvm_regs *regs, struct kvm_sregs *sregs,
			 struct error *err)
{
	struct kvm_sregs moved = *sregs;

	if (!ring0_segments(m, f, &moved, res->why, sizeof(res->why))) {
		res->insn = insn->name;
		return end_at_fault(m, res, RUN_END_RING_MOVE, KVMRUN_STATUS_CRASH, f,
				    regs, sregs);
	}
	regs->rip = f->rip;
	regs->rsp = f->rsp;
	/* IF is virtual at CPL3 and the guest could not have set it: cli
	 * and sti trap.  Keep the contract's RFLAGS. */
	regs->rflags = f->rflags & ~X86_RFLAGS_IF;
	/* gdb's int3s and TF steps would go to the IDT the guest loads now. */
	if (strcmp(insn->name, "lidt") == 0)
		gdb_guest_loads_idt(m, regs);
	/* KVM's steps are asked for after KVM_SET_REGS: KVM sets TF only at
	 * the RIP it saw when asked. */
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_SREGS, &moved, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, regs, err) < 0 ||
	    (m->step.by_kvm && set_kvm_stepping(m, err) < 0))
		return -1;
	if (gdb_keep_stepping(m, res))
		return 1;
	m->vm.cpl = 0;
	m->step.cpl = 0;
	m->step.cs = moved.cs;
	if (!res->switched) {   /* the first move: what the report names */
		res->switched = true;
		res->switch_rip = f->rip;
		res->switch_insn = insn->name;
	}
	tier_moved_by_trap(m, insn_is_port_io(insn), insn->name, f->rip, f->rflags);
	return 0;
}

/*
 * A #GP at CPL3: does the instruction need ring 0?  A privileged one does;
 * a segment load or far transfer does when its selector (the error code)
 * names a present descriptor of a more privileged ring.  Anything else
 * (a misaligned SSE access, a non-canonical address, a bad selector) is a
 * fault in any ring, to be reported where it happened.
 */
static bool needs_ring0(const struct machine *m, const struct kvm_sregs *sregs,
			const struct insn_info *insn, uint64_t error_code)
{
	struct kvm_segment seg;

	if (insn->cls == INSN_PRIVILEGED)
		return true;
	/* Error code bits: 0 external, 1 IDT, 2 LDT (SDM Vol. 3A, 6.13). */
	if (insn->cls != INSN_SEGMENT || !(error_code & ~7ULL) || (error_code & 6))
		return false;
	seg = segment_of(m, sregs, error_code);
	return !seg.unusable && seg.present && seg.dpl < 3;
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
	if (cpu_in_64bit_code(sregs))
		return 64;
	return sregs->cs.db ? 32 : 16;
}

/* sregs as they were for the instruction being stepped: its CS. */
static struct kvm_sregs stepped_sregs(const struct machine *m,
				      const struct kvm_sregs *sregs)
{
	struct kvm_sregs at = *sregs;

	at.cs = m->step.cs;
	return at;
}

/*
 * Log the instruction being stepped, now that it ran.  Its length is
 * decoded from its bytes, never taken from where the guest went next: a
 * taken branch goes anywhere.  Bytes the decoder does not know are shown
 * up to 15, marked as of unknown length.
 */
static void trace_stepped(struct machine *m, const struct kvm_sregs *sregs)
{
	struct kvm_sregs at = stepped_sregs(m, sregs);
	uint8_t code[15];
	unsigned n = paging_code_at(&m->vm.mem, &at, m->step.rip, code, sizeof(code));
	unsigned len = insn_length(code, n, code_bits(&at));

	trace_insn(&m->obs.tracer, m->step.rip, m->step.cpl, code, len ? len : n, len != 0);
	m->step.insns++;
}

/* The run ends at the instruction being stepped: log it too. */
static void trace_last(struct machine *m, const struct kvm_sregs *sregs)
{
	if (m->step.on)
		trace_stepped(m, sregs);
}

/*
 * Change bit TF of the RFLAGS image at stack offset sp (the guest's RSP,
 * plus what is above it).  Outside 64-bit code the stack is SS:SP or
 * SS:ESP, with SS's base (Intel SDM vol. 3A, 3.4.3); TF is bit 8, so bit 0
 * of the image's second byte, whatever the width a pushf wrote.
 */
static void patch_tf(struct machine *m, const struct kvm_sregs *sregs,
		     uint64_t sp, bool set)
{
	bool flat = cpu_in_64bit_code(sregs);
	uint64_t at = flat ? sp : (sregs->ss.base + (sregs->ss.db ? (uint32_t)sp :
						     (uint16_t)sp)) & 0xffffffff;
	uint8_t *p = paging_guest_ptr(&m->vm.mem, sregs, at + 1, 1);

	if (p)
		*p = set ? *p | (X86_RFLAGS_TF >> 8) : *p & (uint8_t)~(X86_RFLAGS_TF >> 8);
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

	if (!m->step.on || cpu_get(&m->vm.kvm, &regs, &sregs, &err) < 0 ||
	    regs.rip == m->step.rip)
		return;
	trace_stepped(m, &sregs);
	m->step.rip = regs.rip;
	m->step.cs = sregs.cs;
	/* KVM steps on from here, even inside a handler of the guest's own
	 * that its exception entered with TF clear.  A failure shows at the
	 * next step. */
	if (m->step.by_kvm)
		(void)set_kvm_stepping(m, &err);
}

/*
 * --gdb's steps through the supervisor (debug/gdb.h): the same care as
 * --trace insns' for TF, which the guest must never see.  Before a step,
 * a popf or iretq about to run gets TF in what it loads (else the step
 * would become a continue); after one, a pushf's image loses it.
 */
void trap_keep_tf(struct machine *m, const struct kvm_regs *regs,
		  const struct kvm_sregs *sregs)
{
	struct insn_info next;
	uint8_t code[16];
	unsigned n = paging_code_at(&m->vm.mem, sregs, regs->rip, code, sizeof(code));

	insn_classify(code, n, code_bits(sregs), &next);
	if (!next.two_byte && next.opcode == 0x9d && next.len)
		patch_tf(m, sregs, regs->rsp, true);            /* popf */
	else if (!next.two_byte && next.opcode == 0xcf)
		patch_tf(m, sregs, regs->rsp + 16, true);       /* iretq's RFLAGS */
}

static void hide_tf_after(struct machine *m, const struct kvm_sregs *sregs,
			  const struct exc_frame *f, uint64_t stepped_rip)
{
	struct insn_info done;
	uint8_t code[16];
	unsigned n = paging_code_at(&m->vm.mem, sregs, stepped_rip, code, sizeof(code));

	insn_classify(code, n, code_bits(sregs), &done);
	if (!done.two_byte && done.opcode == 0x9c && done.len)
		patch_tf(m, sregs, f->rsp, false);              /* pushf */
}

void trap_hide_tf(struct machine *m, uint64_t stepped_rip)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct exc_frame f;
	struct error err;

	if (cpu_get(&m->vm.kvm, &regs, &sregs, &err) < 0)
		return;                 /* the next register ioctl says it */
	f.rsp = regs.rsp;
	hide_tf_after(m, &sregs, &f, stepped_rip);
}

/* --max-insns: the run ends at the instruction about to run. */
static bool reached_max_insns(struct machine *m, struct run_result *res,
			      const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	if (!m->cfg->max_insns || m->step.insns < m->cfg->max_insns)
		return false;
	res->end = RUN_END_MAX_INSNS;
	res->status = KVMRUN_STATUS_TIMEOUT;
	res->have_regs = true;
	res->regs = *regs;
	res->regs.rflags &= ~X86_RFLAGS_TF;
	res->sregs = *sregs;
	return true;
}

int trap_kvm_stepped(struct machine *m, struct run_result *res)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct error err;

	if (cpu_get(&m->vm.kvm, &regs, &sregs, &err) < 0)
		return ending_host(res, &err);
	/* Still at m->step.rip: logged at its port-I/O or MMIO exit. */
	if (regs.rip != m->step.rip) {
		trace_stepped(m, &sregs);
		trap_hide_tf(m, m->step.rip);   /* KVM's TF, in a pushf's image */
	}
	m->step.rip = regs.rip;
	m->step.cpl = sregs.cs.selector & 3;
	m->step.cs = sregs.cs;
	if (reached_max_insns(m, res, &regs, &sregs))
		return 1;
	/* Asked again at each step, KVM sets TF again from here: a mode
	 * switch can drop it (see gdb_debug_exit). */
	return set_kvm_stepping(m, &err) < 0 ? ending_host(res, &err) : 0;
}

static int step(struct machine *m, struct run_result *res,
		const struct exc_frame *f, struct kvm_regs *regs,
		struct kvm_sregs *sregs, struct error *err)
{
	struct kvm_sregs at = stepped_sregs(m, sregs);
	struct insn_info done, next;
	uint8_t code[16];
	unsigned n;

	n = paging_code_at(&m->vm.mem, &at, m->step.rip, code, sizeof(code));
	insn_classify(code, n, code_bits(&at), &done);
	/* f->rip == m->step.rip: the trap of an instruction trap_io_step has
	 * already logged (where the trap was not lost after all). */
	if (f->rip != m->step.rip)
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

	if (reached_max_insns(m, res, regs, sregs))
		return 1;

	n = paging_code_at(&m->vm.mem, sregs, f->rip, code, sizeof(code));
	insn_classify(code, n, code_bits(sregs), &next);
	if (next.cls == INSN_PRIVILEGED && strcmp(next.name, "lidt") == 0) {
		/* lidt: from now on #DB would go to the guest's own IDT.  KVM's
		 * single-step takes over (it sees CPL0 code on every host). */
		regs->rflags &= ~X86_RFLAGS_TF;
		trace_note(&m->obs.tracer, "the guest loads its own IDT: the trace goes on "
			   "with KVM's single-step (KVM_SET_GUEST_DEBUG); a handler of its "
			   "own that an exception enters (with TF clear) is traced from its "
			   "first exit on");
		m->step.by_kvm = true;  /* asked for below, after KVM_SET_REGS */
	} else if (!next.two_byte && next.opcode == 0x9d && next.len) {
		patch_tf(m, sregs, f->rsp, true);       /* popf keeps TF */
	} else if (!next.two_byte && next.opcode == 0xcf) {
		patch_tf(m, sregs, f->rsp + 16, true);  /* iretq's RFLAGS */
	}
	m->step.rip = f->rip;
	m->step.cpl = f->cs & 3;
	m->step.cs = sregs->cs;
	/* KVM's step after KVM_SET_REGS: it sets TF only at the RIP it saw
	 * when asked (KVM API document, KVM_SET_GUEST_DEBUG). */
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_SREGS, sregs, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, regs, err) < 0 ||
	    (m->step.by_kvm && set_kvm_stepping(m, err) < 0))
		return -1;
	return 0;
}

/*
 * Put the guest back where the frame says it was, at rip (the int3's own
 * address for a breakpoint), without TF: as if the exception had not
 * happened.  For --gdb, which then looks at it and resumes it.
 */
static int back_to(struct machine *m, const struct exc_frame *f, uint64_t rip,
		   struct kvm_regs *regs, struct kvm_sregs *sregs, struct error *err)
{
	regs->rip = rip;
	regs->rsp = f->rsp;
	regs->rflags = f->rflags & ~(X86_RFLAGS_TF | X86_RFLAGS_RF);
	sregs->cs = segment_of(m, sregs, f->cs);
	sregs->ss = segment_of(m, sregs, f->ss);
	if (sregs->ss.unusable)         /* a null SS at CPL0 in 64-bit mode */
		sregs->ss.dpl = sregs->cs.dpl;
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_SREGS, sregs, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, regs, err) < 0)
		return -1;
	return 0;
}

/* The exception frame at linear RSP (the IST1 stack, through the guest's
 * paging: a guest may run its own page tables under kvmrun's IDT). */
static int read_frame(const struct machine *m, const struct kvm_sregs *sregs,
		      uint64_t rsp, unsigned vector, struct exc_frame *f)
{
	uint64_t pa;

	if (!paging_translate(&m->vm.mem, sregs, rsp, &pa))
		return -1;
	return supervisor_read_frame(&m->vm.mem, pa, vector, f);
}

/*
 * Did the CPU get to this stub through an IDT gate?  Then RSP is where the
 * frame lands on the IST1 stack (SDM Vol. 3A, 6.14.5).  A guest that jumps
 * into a stub itself is just executing a hlt (in ring 3 that hlt faults,
 * and arrives here as a #GP on a hlt instruction).
 */
static bool came_from_gate(unsigned vector, const struct kvm_regs *regs)
{
	uint64_t frame = (supervisor_has_error_code(vector) ? 6 : 5) * 8;

	return regs->rsp == KVMRUN_SUPER_STACK_TOP - frame;
}

bool trap_in_stub(const struct machine *m, const struct kvm_regs *regs,
		  const struct kvm_sregs *sregs, struct exc_frame *f)
{
	unsigned vector;

	/* Not a stub, or a frame that is not in RAM (the guest jumped into a
	 * stub itself): the guest's own hlt. */
	return supervisor_vector_at(regs->rip, &vector) && sregs->idt.base == KVMRUN_IDT_ADDR &&
	       came_from_gate(vector, regs) &&
	       read_frame(m, sregs, regs->rsp, vector, f) == 0;
}

void trap_halted(struct machine *m, const struct kvm_sregs *sregs)
{
	trace_last(m, sregs);
}

int trap_stub(struct machine *m, struct run_result *res, const struct exc_frame *frame,
	      struct kvm_regs *regs, struct kvm_sregs *sregs, struct error *err)
{
	struct exc_frame f = *frame;
	struct insn_info insn;
	uint8_t code[16];
	unsigned vector = f.vector, n;

	if (gdb_wants(m, &f)) {         /* --gdb: its step, or its breakpoint */
		if (vector == EXC_DB)
			hide_tf_after(m, sregs, &f, m->gdb.step_rip);
		if (back_to(m, &f, vector == EXC_BP ? f.rip - 1 : f.rip, regs, sregs, err) < 0)
			return -1;
		return gdb_trap(m, &f, res);
	}
	if (vector == EXC_DB && m->step.on)
		return step(m, res, &f, regs, sregs, err);
	if (vector == EXC_GP && (f.cs & 3) == 3) {
		struct kvm_sregs at = *sregs;

		at.cs = segment_of(m, sregs, f.cs);
		n = paging_code_at(&m->vm.mem, &at, f.rip, code, sizeof(code));
		insn_classify(code, n, code_bits(&at), &insn);
		if (insn.cls == INSN_HLT) {
			trace_last(m, sregs);
			end_at_fault(m, res, RUN_END_HLT, 0, &f, regs, sregs);
			res->regs.rip = f.rip + insn.len;       /* as after a hlt */
			res->regs.rflags &= ~X86_RFLAGS_RF;     /* set by the fault */
			return 1;
		}
		/* --ring 0: the guest went to ring 3 itself; its #GP is its own. */
		if (m->cfg->ring == RING_AUTO && needs_ring0(m, sregs, &insn, f.error_code))
			return move_to_ring0(m, res, &f, &insn, regs, sregs, err);
		if (m->cfg->ring == RING_3 && needs_ring0(m, sregs, &insn, f.error_code)) {
			res->insn = insn.name;
			return end_at_fault(m, res, RUN_END_PRIVILEGED, KVMRUN_STATUS_CRASH,
					    &f, regs, sregs);
		}
	}
	trace_last(m, sregs);
	return end_at_fault(m, res, RUN_END_EXCEPTION, KVMRUN_STATUS_CRASH, &f,
			    regs, sregs);
}
