/* SPDX-License-Identifier: MIT */
#include "observe/outcome.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "kvmrun/abi.h"
#include "paging.h"

static const char *internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case KVM_INTERNAL_ERROR_EMULATION:
		return "KVM could not emulate an instruction";
	case KVM_INTERNAL_ERROR_SIMUL_EX:
		return "an exception occurred while another was being delivered";
	case KVM_INTERNAL_ERROR_DELIVERY_EV:
		return "an event could not be delivered";
	case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
		return "the hardware reported an exit KVM does not know";
	}
	return "unknown suberror";
}

static void print_code(FILE *out, const struct machine *m,
		       const struct run_result *res)
{
	uint8_t code[16];
	unsigned n = paging_code_at(&m->vm.mem, &res->sregs, res->regs.rip, code, sizeof(code));
	unsigned i;

	if (n == 0) {
		fprintf(out, "kvmrun: code at rip: not in guest RAM\n");
		return;
	}
	fprintf(out, "kvmrun: code at rip:");
	for (i = 0; i < n; i++)
		fprintf(out, " %02x", code[i]);
	fputc('\n', out);
}

/* The code bytes at RIP and the registers, after a crash's one line. */
static void print_state(FILE *out, const struct machine *m,
			const struct run_result *res)
{
	if (!res->have_regs)
		return;
	print_code(out, m, res);
	fprintf(out, "kvmrun: registers:\n");
	cpu_print_regs(out, &res->regs, &res->sregs);
}

/* " (kvmrun had moved it ...)": a crash after --ring auto's move says so. */
static const char *moved(const struct machine *m, const struct run_result *res,
			 char *buf, size_t len)
{
	const struct tier *t = &m->tier;

	if (res->cpl == 0 && t->to_ring0 && t->down_rip_valid) {
		snprintf(buf, len, " (kvmrun had moved the guest from ring 3 to ring 0 "
			 "for speed at rip %#llx: tiering)", (unsigned long long)t->down_rip);
		return buf;
	}
	if (!res->switched)
		return "";
	snprintf(buf, len, " (kvmrun had moved the guest from ring 3 to ring 0 at "
		 "rip %#llx, for its %s)", (unsigned long long)res->switch_rip,
		 res->switch_insn ? res->switch_insn : "privileged instruction");
	return buf;
}

/* The CPU mode at the end, when it is not long mode: " in real mode ...". */
static const char *legacy_mode(const struct run_result *res, char *buf, size_t len)
{
	const struct kvm_sregs *s = &res->sregs;

	if (!res->have_regs || (s->efer & X86_EFER_LMA))
		return "";
	if (!(s->cr0 & X86_CR0_PE))
		snprintf(buf, len, " in real mode (cs:ip %04x:%04llx)", s->cs.selector,
			 (unsigned long long)(res->regs.rip & 0xffff));
	else
		snprintf(buf, len, " in %s-bit protected mode%s", s->cs.db ? "32" : "16",
			 (s->cr0 & X86_CR0_PG) ? " with paging" : "");
	return buf;
}

/*
 * After a shutdown, KVM on AMD reinitialises the vCPU (its VMCB is
 * undefined then), so the registers are the reset state, CS:IP f000:fff0
 * (Intel SDM vol. 3A, 10.1.4; AMD APM vol. 2, 14.1.3), not where the
 * guest was.  A guest started in real mode at that very place is rare
 * enough to take the same words.
 */
static bool reset_after_shutdown(const struct run_result *res)
{
	return res->end == RUN_END_SHUTDOWN && res->have_regs && res->regs.rip == 0xfff0 &&
	       res->sregs.cs.selector == 0xf000 && !(res->sregs.cr0 & X86_CR0_PE);
}

static void print_crash(FILE *out, const struct machine *m,
			const struct run_result *res, const char *what)
{
	if (reset_after_shutdown(res)) {
		fprintf(out, "kvmrun: guest crashed: %s (%s); KVM reset the vCPU after it "
			"(as it does on AMD hosts), so where the guest was is lost: the "
			"registers below are the reset state\n",
			kvm_exit_name(res->exit_reason), what);
		print_state(out, m, res);
		return;
	}
	char buf[160], mode[80];

	fprintf(out, "kvmrun: guest crashed: %s (%s) at rip %#llx%s%s\n",
		kvm_exit_name(res->exit_reason), what,
		(unsigned long long)res->regs.rip, legacy_mode(res, mode, sizeof(mode)),
		moved(m, res, buf, sizeof(buf)));
	print_state(out, m, res);
}

bool outcome_stack_overflow(const struct run_result *res)
{
	const struct exc_frame *f = &res->exc;
	bool cr2_in = f->vector == EXC_PF && res->sregs.cr2 >= KVMRUN_STACK_GUARD &&
		      res->sregs.cr2 < KVMRUN_STACK_BOTTOM;
	bool rsp_in = f->rsp >= KVMRUN_STACK_GUARD && f->rsp < KVMRUN_STACK_BOTTOM;

	/* Only under kvmrun's own page tables is that page the guard. */
	return res->end == RUN_END_EXCEPTION && (cr2_in || rsp_in) &&
	       (res->sregs.cr3 & ~0xfffULL) == KVMRUN_PML4_ADDR;
}

static void print_exception(FILE *out, const struct machine *m,
			    const struct run_result *res)
{
	const struct exc_frame *f = &res->exc;
	char detail[200] = "", buf[160];

	if (f->vector == EXC_PF) {
		uint64_t ec = exc_pf_error_code(f->error_code, res->sregs.cr2, f->rip,
						res->sregs.efer & X86_EFER_NXE);
		char how[120];

		supervisor_describe_pf(ec, how, sizeof(how));
		snprintf(detail, sizeof(detail), ": address %#llx (CR2), %s",
			 (unsigned long long)res->sregs.cr2, how);
	} else if (f->has_error_code) {
		char how[120];

		supervisor_describe_selector(f->error_code, how, sizeof(how));
		snprintf(detail, sizeof(detail), ": %s", how);
	}
	fprintf(out, "kvmrun: guest crashed: %s%s %s (vector %u) at rip %#llx in "
		"ring %u%s%s%s\n", outcome_stack_overflow(res) ? "stack overflow: " : "",
		supervisor_exc_mnemonic(f->vector), supervisor_exc_name(f->vector),
		f->vector, (unsigned long long)f->rip, (unsigned)(f->cs & 3), detail,
		outcome_stack_overflow(res) ? " (the guard page 0xb000-0xbfff below "
		"the initial stack 0xc000-0xffff)" : "", moved(m, res, buf, sizeof(buf)));
	print_state(out, m, res);
}

/* What kvmrun itself means by a status, for the collision note. */
static const char *own_meaning(int status)
{
	switch (status) {
	case KVMRUN_STATUS_TIMEOUT: return "a limit reached";
	case KVMRUN_STATUS_HOST:    return "its own failures";
	case KVMRUN_STATUS_CRASH:   return "a guest crash";
	}
	return status >= KVMRUN_STATUS_SIGNAL ? "a signal" : NULL;
}

/*
 * The guest chose its exit status, but one kvmrun also uses, or a value
 * that does not fit in a byte: say so, once, so that a CI log cannot
 * mistake it for kvmrun's own ending.
 */
static void print_status_collision(FILE *out, const struct run_result *res)
{
	const char *meaning = own_meaning(res->status);

	if (!meaning && res->exit_value <= 0xff)
		return;
	fprintf(out, "kvmrun: note: exit status %d was chosen by the guest (it wrote "
		"%#llx to the exit port %#x%s)", res->status,
		(unsigned long long)res->exit_value, KVMRUN_PORT_EXIT,
		res->exit_value > 0xff ? ", whose low byte is the status" : "");
	if (meaning)
		fprintf(out, "; kvmrun uses %d itself for %s: --report's end.reason "
			"tells them apart", res->status, meaning);
	fputc('\n', out);
}

/* Bytes the guest wrote that stdout never took (run.c, drain_output). */
static void print_unwritten(FILE *out, const struct run_result *res)
{
	char name[16];

	if (!res->output_unwritten)
		return;
	if (res->output_error) {
		fprintf(out, "kvmrun: %llu byte%s of guest output %s not written: %s\n",
			(unsigned long long)res->output_unwritten,
			res->output_unwritten == 1 ? "" : "s",
			res->output_unwritten == 1 ? "was" : "were",
			strerror(res->output_error));
		return;
	}
	fprintf(out, "kvmrun: standard output stayed blocked: %llu byte%s of guest "
		"output %s not written (kvmrun waits %u s for a reader after ",
		(unsigned long long)res->output_unwritten,
		res->output_unwritten == 1 ? "" : "s",
		res->output_unwritten == 1 ? "was" : "were", res->drain_wait_s);
	if (res->end == RUN_END_TIMEOUT || res->end == RUN_END_SIGNAL)
		fputs("a time limit or a signal", out);
	else
		fputs("the guest ends", out);
	if (res->drain_signal)
		fprintf(out, "; it stopped waiting at SIG%s",
			outcome_signal_name(res->drain_signal, name));
	fputs(")\n", out);
}

void outcome_print(FILE *out, const struct machine *m,
		   const struct run_result *res)
{
	unsigned long long rip = res->regs.rip;
	const struct config *cfg = m->cfg;
	char what[160], name[16];

	if (cfg->verbose && res->have_regs && !reset_after_shutdown(res) &&
	    m->vm.mode != MODE_LONG &&
	    strcmp(cpu_mode_name(&res->sregs), m->vm.mode == MODE_REAL ? "real mode" :
		   "protected mode") != 0)
		fprintf(out, "kvmrun: the guest started in %s (%s) and switched itself "
			"to %s\n", m->vm.mode == MODE_REAL ? "real mode" : "protected mode",
			m->vm.image.multiboot_info ? "multiboot" :
			m->vm.mode == MODE_REAL ? "--mode real" : "--mode protected",
			cpu_mode_name(&res->sregs));
	/* The mode it ended in: where a learner's guest got to. */
	if (cfg->verbose && res->have_regs && !reset_after_shutdown(res))
		fprintf(out, "kvmrun: at the end the guest was in %s, paging %s, CPL%u\n",
			cpu_mode_name(&res->sregs),
			(res->sregs.cr0 & X86_CR0_PG) ? "on" : "off", res->cpl);
	switch (res->end) {
	case RUN_END_HLT:
		if (!cfg->verbose)
			break;
		if (res->exit_reason == KVM_EXIT_HLT && res->cpl == 3)
			fprintf(out, "kvmrun: why it ended: the guest executed hlt at rip "
				"%#llx in ring 3, where hlt is not allowed: it raised #GP, "
				"kvmrun's supervisor stopped the guest there (KVM_EXIT_HLT "
				"in its stub) and ended the run as hlt would: exit status 0\n",
				(unsigned long long)res->exc.rip);
		else
			fprintf(out, "kvmrun: why it ended: KVM_EXIT_HLT: the guest "
				"executed hlt (rip %#llx, ring %u): exit status 0\n",
				rip, res->cpl);
		break;
	case RUN_END_EXIT_DEVICE:
		if (cfg->verbose)
			fprintf(out, "kvmrun: why it ended: KVM_EXIT_IO: the guest executed "
				"`out` to port %#x (the exit device) with %u byte%s %#llx: "
				"exit status %d\n", KVMRUN_PORT_EXIT, res->last_io_size,
				res->last_io_size == 1 ? "" : "s",
				(unsigned long long)res->exit_value, res->status);
		if (!cfg->quiet)
			print_status_collision(out, res);
		break;
	case RUN_END_TIMEOUT:
		fprintf(out, "kvmrun: time limit of %.9g s reached: guest stopped "
			"at rip %#llx\n", (double)cfg->timeout_ns / 1e9, rip);
		break;
	case RUN_END_SIGNAL:
		fprintf(out, "kvmrun: killed by SIG%s%s: guest stopped at rip %#llx\n",
			outcome_signal_name(res->signo, name),
			res->signo == SIGXFSZ ? " (file size limit exceeded)" : "", rip);
		break;
	case RUN_END_OUTPUT_CLOSED:
		fprintf(out, "kvmrun: standard output was closed: guest stopped "
			"at rip %#llx\n", rip);
		break;
	case RUN_END_HOST_ERROR:
		fprintf(out, "kvmrun: %s (guest stopped at rip %#llx)\n",
			res->host_error.msg, rip);
		break;
	case RUN_END_STRICT:
		if (res->strict.write)
			fprintf(out, "kvmrun: --strict: unclaimed %s write to %#llx "
				"(%u byte%s, value %#llx) at rip %#llx\n",
				unclaimed_space_name(res->strict.space),
				(unsigned long long)res->strict.addr, res->strict.size,
				res->strict.size == 1 ? "" : "s",
				(unsigned long long)res->strict.value, rip);
		else
			fprintf(out, "kvmrun: --strict: unclaimed %s read from %#llx "
				"(%u byte%s) at rip %#llx\n",
				unclaimed_space_name(res->strict.space),
				(unsigned long long)res->strict.addr, res->strict.size,
				res->strict.size == 1 ? "" : "s", rip);
		break;
	case RUN_END_SHUTDOWN:
		print_crash(out, m, res, "triple fault: the CPU hit an exception "
			    "it could not deliver");
		/* shared/docs: kvm_pvm runs paging only in long mode. */
		if (res->have_regs && m->vm.kvm.pvm && (res->sregs.cr0 & X86_CR0_PG) &&
		    !(res->sregs.efer & X86_EFER_LMA))
			fprintf(out, "kvmrun: note: the guest turned on paging without long "
				"mode, which this host's KVM (kvm_pvm) cannot run: it "
				"supports paging only in long mode\n");
		break;
	case RUN_END_INTERNAL_ERROR:
		snprintf(what, sizeof(what), "suberror %u: %s", res->suberror,
			 internal_error_name(res->suberror));
		print_crash(out, m, res, what);
		if (res->suberror == KVM_INTERNAL_ERROR_EMULATION && res->have_regs) {
			uint8_t byte;

			if (paging_code_at(&m->vm.mem, &res->sregs, res->regs.rip, &byte, 1) == 0)
				fprintf(out, "kvmrun: note: the guest is executing at an "
					"address that is not RAM\n");
			else if (res->sregs.cs.dpl == 0 && m->vm.kvm.pvm)
				fprintf(out, "kvmrun: note: this host's KVM (kvm_pvm) "
					"emulates ring-0 code and cannot emulate SSE, "
					"AVX, popcnt, int3 or int n\n");
		}
		break;
	case RUN_END_FAIL_ENTRY:
		snprintf(what, sizeof(what), "the CPU refused to enter the guest, "
			 "hardware reason %#llx", (unsigned long long)res->hw_reason);
		print_crash(out, m, res, what);
		break;
	case RUN_END_EXCEPTION:
		print_exception(out, m, res);
		break;
	case RUN_END_PRIVILEGED:
		fprintf(out, "kvmrun: the guest executed %s at rip %#llx, which needs "
			"ring 0, but runs in ring 3 (--ring 3): run it with --ring 0 "
			"or --ring auto\n", res->insn, rip);
		print_state(out, m, res);
		break;
	case RUN_END_RING_MOVE:
		fprintf(out, "kvmrun: the guest executed %s at rip %#llx in ring 3, which "
			"needs ring 0, but kvmrun cannot move it there: %s; run it with "
			"--ring 0\n", res->insn, rip, res->why);
		print_state(out, m, res);
		break;
	case RUN_END_GUEST_ERROR:
		fprintf(out, "kvmrun: guest error: %s; guest stopped at rip %#llx\n",
			res->why, rip);
		break;
	case RUN_END_MAX_EXITS:
		fprintf(out, "kvmrun: exit limit of %llu reached (--max-exits): guest "
			"stopped at rip %#llx\n", (unsigned long long)cfg->max_exits, rip);
		break;
	case RUN_END_MAX_INSNS:
		fprintf(out, "kvmrun: instruction limit of %llu reached (--max-insns): "
			"guest stopped at rip %#llx\n", (unsigned long long)cfg->max_insns, rip);
		break;
	case RUN_END_MAX_OUTPUT:
		fprintf(out, "kvmrun: output limit of %llu bytes reached (--max-output): "
			"guest stopped at rip %#llx\n", (unsigned long long)cfg->max_output, rip);
		break;
	case RUN_END_UNHANDLED_EXIT:
		snprintf(what, sizeof(what), "exit reason %u, which kvmrun does "
			 "not handle", res->exit_reason);
		print_crash(out, m, res, what);
		break;
	}
	print_unwritten(out, res);
	if (cfg->print_regs && res->have_regs) {
		fprintf(out, "kvmrun: registers at the end of the run:\n");
		cpu_print_regs(out, &res->regs, &res->sregs);
		fprintf(out, "kvmrun: decoded:\n");
		cpu_print_decoded(out, &res->regs, &res->sregs);
	}
	if (!cfg->quiet)
		unclaimed_print(&m->obs.unclaimed, out);
}

static void hexdump(FILE *out, uint64_t addr, const uint8_t *p, uint64_t len)
{
	uint64_t off;
	unsigned i;

	for (off = 0; off < len; off += 16) {
		unsigned n = len - off < 16 ? (unsigned)(len - off) : 16;

		fprintf(out, "  %016llx ", (unsigned long long)(addr + off));
		for (i = 0; i < 16; i++) {
			if (i < n)
				fprintf(out, " %02x", p[off + i]);
			else
				fputs("   ", out);
		}
		fputs("  |", out);
		for (i = 0; i < n; i++)
			fputc(p[off + i] >= 0x20 && p[off + i] < 0x7f ? p[off + i] : '.', out);
		fputs("|\n", out);
	}
}

int outcome_dump_mem(FILE *out, const struct machine *m, FILE *const *files,
		     struct error *err)
{
	unsigned i;

	for (i = 0; i < m->cfg->nr_dumps; i++) {
		const struct mem_dump *d = &m->cfg->dumps[i];
		const uint8_t *p = memmap_gpa(&m->vm.mem, d->addr, d->len);

		if (!p)         /* checked before the run; RAM cannot shrink */
			return error_set(err, "--dump-mem %s: not inside guest RAM", d->arg);
		if (!files[i]) {
			fprintf(out, "kvmrun: guest memory at %#llx, %llu bytes:\n",
				(unsigned long long)d->addr, (unsigned long long)d->len);
			hexdump(out, d->addr, p, d->len);
			continue;
		}
		if (fwrite(p, 1, d->len, files[i]) != d->len || fflush(files[i]) != 0)
			return error_errno(err, errno, "--dump-mem: cannot write %s", d->file);
	}
	return 0;
}

const char *outcome_signal_name(int sig, char *buf)
{
	const char *name = sigabbrev_np(sig);

	if (name)
		return name;
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, 16, "RTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, 16, "%d", sig);
	return buf;
}
