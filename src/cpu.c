/* SPDX-License-Identifier: MIT */
#include "cpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "gdt.h"
#include "supervisor.h"
#include "kvmrun/abi.h"

#define CPUID_1_ECX_XSAVE       (1U << 26)
#define CPUID_1_ECX_AVX         (1U << 28)
#define CPUID_MAX_ENTRIES       1024
#define CPUID_80000001_EDX_NX   (1U << 20)

static const struct kvm_cpuid_entry2 *cpuid_find(const struct kvm_cpuid2 *c,
						 uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == function &&
		    (!(c->entries[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		     c->entries[i].index == index))
			return &c->entries[i];
	return NULL;
}

/* Pass the CPUID KVM supports through to the guest; report what it has. */
static int setup_cpuid(struct kvm *kvm, struct cpu_setup_info *info,
		       uint32_t *ecx1, uint64_t *xcr0_supported, struct error *err)
{
	uint32_t nent = 256;     /* enough for today's CPUs: one call */
	struct kvm_cpuid2 *c = NULL;
	const struct kvm_cpuid_entry2 *e;
	int r = -1;

	for (;;) {
		free(c);
		c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
		if (!c)
			return err_set(err, "out of memory for CPUID entries");
		c->nent = nent;
		if (ioctl(kvm->dev_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		if (errno != E2BIG || nent >= CPUID_MAX_ENTRIES) {
			err_errno(err, errno, "KVM_GET_SUPPORTED_CPUID failed");
			goto out;
		}
		nent *= 2;
	}
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_CPUID2, c, err) < 0)
		goto out;
	info->cpuid_entries = c->nent;
	e = cpuid_find(c, 1, 0);
	*ecx1 = e ? e->ecx : 0;
	e = cpuid_find(c, 0xd, 0);
	*xcr0_supported = e ? ((uint64_t)e->edx << 32 | e->eax) : 0;
	e = cpuid_find(c, 0x80000001, 0);
	info->nx = e && (e->edx & CPUID_80000001_EDX_NX);
	r = 0;
out:
	free(c);
	return r;
}

/* Load XCR0 so that AVX state is usable, as an OS that supports it does. */
static int setup_xcr0(struct kvm *kvm, uint32_t ecx1, uint64_t supported,
		      struct cpu_setup_info *info, struct error *err)
{
	struct kvm_xcrs xcrs;
	uint64_t xcr0 = X86_XCR0_X87 | X86_XCR0_SSE;

	if (!(ecx1 & CPUID_1_ECX_XSAVE) || !kvm_check_extension(kvm, KVM_CAP_XCRS))
		return 0;
	if ((ecx1 & CPUID_1_ECX_AVX) && (supported & X86_XCR0_AVX))
		xcr0 |= X86_XCR0_AVX;
	memset(&xcrs, 0, sizeof(xcrs));
	xcrs.nr_xcrs = 1;
	xcrs.xcrs[0].xcr = 0;
	xcrs.xcrs[0].value = xcr0;
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_XCRS, &xcrs, err) < 0)
		return -1;
	info->xsave = true;
	info->xcr0 = xcr0;
	return 0;
}

int cpu_setup(struct kvm *kvm, const struct cpu_entry *entry,
	      struct cpu_setup_info *info, struct error *err)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	uint64_t xcr0_supported = 0;
	uint32_t ecx1 = 0;

	memset(info, 0, sizeof(*info));
	if (setup_cpuid(kvm, info, &ecx1, &xcr0_supported, err) < 0 ||
	    setup_xcr0(kvm, ecx1, xcr0_supported, info, err) < 0)
		return -1;
	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_SREGS, &sregs, err) < 0)
		return -1;

	cpu_set_ring(&sregs, entry->cpl);
	sregs.tr = *gdt_tss_segment();
	memset(&sregs.ldt, 0, sizeof(sregs.ldt));
	sregs.ldt.unusable = 1;
	sregs.gdt.base = KVMRUN_GDT_ADDR;
	sregs.gdt.limit = (uint16_t)(gdt_size() - 1);
	/* The supervisor's IDT: every exception stops at a stub (supervisor.h). */
	sregs.idt.base = KVMRUN_IDT_ADDR;
	sregs.idt.limit = SUP_VECTORS * 16 - 1;

	sregs.cr3 = KVMRUN_PML4_ADDR;
	sregs.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		    (info->xsave ? X86_CR4_OSXSAVE : 0);
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		    X86_CR0_WP | X86_CR0_PG;
	/* NXE as an OS sets it: the NX bit works, and a #PF says whether it
	 * was an instruction fetch (SDM Vol. 3A, 4.7). */
	sregs.efer = X86_EFER_LME | X86_EFER_LMA | (info->nx ? X86_EFER_NXE : 0);
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_SREGS, &sregs, err) < 0)
		return -1;

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry->rip;
	regs.rsp = entry->rsp;
	regs.rdi = entry->rdi;
	regs.rflags = entry->rflags | X86_RFLAGS_RESERVED;
	/* --set: struct kvm_regs starts with the 16 general registers in the
	 * order of cli_reg_names. */
	for (unsigned i = 0; i < entry->nr_sets; i++)
		((__u64 *)&regs)[entry->sets[i].reg] = entry->sets[i].value;
	return kvm_ioctl(kvm->vcpu_fd, KVM_SET_REGS, &regs, err) < 0 ? -1 : 0;
}

void cpu_set_ring(struct kvm_sregs *sregs, unsigned cpl)
{
	/* FS and GS keep their bases: a guest may have set them. */
	uint64_t fs_base = sregs->fs.base, gs_base = sregs->gs.base;

	/* The CPL is SS.DPL (and CS.DPL): both must change together. */
	sregs->cs = cpl ? *gdt_user_code_segment() : *gdt_code_segment();
	sregs->ss = cpl ? *gdt_user_data_segment() : *gdt_data_segment();
	sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss;
	sregs->fs.base = fs_base;
	sregs->gs.base = gs_base;
}

int cpu_get(struct kvm *kvm, struct kvm_regs *regs, struct kvm_sregs *sregs,
	    struct error *err)
{
	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_REGS, regs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_GET_SREGS, sregs, err) < 0)
		return -1;
	return 0;
}

static void print_segment(FILE *out, const char *name,
			  const struct kvm_segment *s)
{
	fprintf(out, " %-3s %04x base=%016llx limit=%08x type=%x dpl=%u %s%s%s%s\n",
		name, s->selector, (unsigned long long)s->base, s->limit, s->type,
		s->dpl, s->present ? "P" : "-", s->l ? " L" : "",
		s->db ? " DB" : "", s->unusable ? " unusable" : "");
}

void cpu_print_regs(FILE *out, const struct kvm_regs *r,
		    const struct kvm_sregs *s)
{
	fprintf(out,
		" rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n"
		" rsi=%016llx rdi=%016llx rbp=%016llx rsp=%016llx\n"
		" r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx\n"
		" r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n"
		" rip=%016llx rflags=%016llx\n",
		r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->rsp,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
		r->rip, r->rflags);
	fprintf(out,
		" cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx\n"
		" efer=%016llx gdt=%016llx/%04x idt=%016llx/%04x\n",
		s->cr0, s->cr2, s->cr3, s->cr4, s->efer,
		s->gdt.base, s->gdt.limit, s->idt.base, s->idt.limit);
	print_segment(out, "cs", &s->cs);
	print_segment(out, "ss", &s->ss);
	print_segment(out, "ds", &s->ds);
	print_segment(out, "tr", &s->tr);
}
