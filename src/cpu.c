/* SPDX-License-Identifier: MIT */
#include "cpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "gdt.h"
#include "kvmrun/abi.h"
#include "ring3/supervisor.h"
#include "speedups/cpuid_cache.h"

#define GPR(r)  { #r, offsetof(struct kvm_regs, r) }
const struct cpu_gpr cpu_gprs[CPU_NR_GPRS] = {
	GPR(rax), GPR(rbx), GPR(rcx), GPR(rdx), GPR(rsi), GPR(rdi), GPR(rsp), GPR(rbp),
	GPR(r8), GPR(r9), GPR(r10), GPR(r11), GPR(r12), GPR(r13), GPR(r14), GPR(r15),
};
#undef GPR

uint64_t cpu_gpr_get(const struct kvm_regs *regs, unsigned i)
{
	uint64_t v;

	memcpy(&v, (const char *)regs + cpu_gprs[i].offset, sizeof(v));
	return v;
}

void cpu_gpr_set(struct kvm_regs *regs, unsigned i, uint64_t value)
{
	memcpy((char *)regs + cpu_gprs[i].offset, &value, sizeof(value));
}

const char *cpu_mode_name(const struct kvm_sregs *s)
{
	if (!(s->cr0 & X86_CR0_PE))
		return "real mode";
	if (!(s->efer & X86_EFER_LMA))
		return (s->cr0 & X86_CR0_PG) ? "protected mode with paging" : "protected mode";
	return s->cs.l ? "64-bit long mode" : "compatibility mode";
}

int cpu_set_gprs(struct kvm *kvm, const struct reg_set *sets, unsigned nr_sets,
		 struct error *err)
{
	struct kvm_regs regs;

	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_REGS, &regs, err) < 0)
		return -1;
	for (unsigned i = 0; i < nr_sets; i++)
		cpu_gpr_set(&regs, sets[i].reg, sets[i].value);
	return kvm_ioctl(kvm->vcpu_fd, KVM_SET_REGS, &regs, err);
}

#define CPUID_1_ECX_XSAVE       (1U << 26)
#define CPUID_1_ECX_AVX         (1U << 28)
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

/*
 * The CPUID KVM supports, into c (room for cap entries): from the cache
 * file when it is good for this boot and this KVM, else from KVM.
 */
static int supported_cpuid(struct kvm *kvm, const char *cache,
			   const struct cpuid_cache_key *key, struct kvm_cpuid2 *c,
			   uint32_t cap, struct cpu_setup_info *info, struct error *err)
{
	struct error why;

	if (cache && key &&
	    cpuid_cache_load(cache, key, c->entries, cap, &c->nent, &why) == 0) {
		info->cpuid_source = CPUID_FROM_CACHE;
		snprintf(info->cpuid_cache_note, sizeof(info->cpuid_cache_note),
			 "used: an earlier run wrote it this boot");
		return 0;
	}
	if (cache && key)
		snprintf(info->cpuid_cache_note, sizeof(info->cpuid_cache_note),
			 "not used: %.120s", why.msg);
	info->cpuid_source = CPUID_FROM_KVM;
	c->nent = cap;
	if (kvm_ioctl(kvm->dev_fd, KVM_GET_SUPPORTED_CPUID, c, err) < 0)
		return -1;
	return 0;
}

/*
 * Pass the CPUID KVM supports through to the guest; report what it has.
 * What the guest has is read back with KVM_GET_CPUID2, not taken from the
 * supported list: KVM may adjust the leaves it is given (kvm_pvm on Intel
 * adds the host's features, XSAVE and AVX among them, to a supported list
 * that lacks them), and it is the vCPU's own leaves that decide which CR4
 * and XCR0 bits KVM accepts and what the guest's cpuid says.
 */
static int setup_cpuid(struct kvm *kvm, const char *cache, bool load,
		       struct cpu_setup_info *info, uint32_t *ecx1,
		       uint64_t *xcr0_supported, struct error *err)
{
	const uint32_t cap = CPUID_CACHE_MAX_ENTRIES;
	struct cpuid_cache_key key, *keyp = NULL;
	const struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid2 *c;
	struct error why;
	int r = -1;

	c = malloc(sizeof(*c) + cap * sizeof(c->entries[0]));
	if (!c)
		return error_set(err, "out of memory for CPUID entries");
	c->padding = 0;
	if (cache) {
		if (cpuid_cache_key(kvm->dev_fd, &key, &why) == 0)
			keyp = &key;
		else
			snprintf(info->cpuid_cache_note, sizeof(info->cpuid_cache_note),
				 "not used: %.120s", why.msg);
	} else {
		snprintf(info->cpuid_cache_note, sizeof(info->cpuid_cache_note),
			 "off");
	}
	/* A refusal of cached leaves is retried from KVM by cpu_setup. */
	if (supported_cpuid(kvm, load ? cache : NULL, keyp, c, cap, info, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_CPUID2, c, err) < 0)
		goto out;
	info->cpuid_offered = c->nent;
	if (info->cpuid_source == CPUID_FROM_KVM && keyp) {
		size_t len = strlen(info->cpuid_cache_note);

		if (cpuid_cache_store(cache, keyp, c->entries, c->nent, &why) == 0)
			snprintf(info->cpuid_cache_note + len,
				 sizeof(info->cpuid_cache_note) - len,
				 "; saved for the next runs this boot");
		else
			snprintf(info->cpuid_cache_note + len,
				 sizeof(info->cpuid_cache_note) - len,
				 "; not saved: %.120s", why.msg);
	}
	c->nent = cap;
	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_CPUID2, c, err) < 0)
		goto out;
	kvm_explain(kvm, "%sKVM_SET_CPUID2: the %u CPUID leaves KVM can offer "
		    "become what the guest's cpuid reports (KVM_GET_CPUID2 reads "
		    "back the %u the vCPU has)",
		    info->cpuid_source == CPUID_FROM_KVM ? "KVM_GET_SUPPORTED_CPUID, " : "",
		    info->cpuid_offered, c->nent);
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
	kvm_explain(kvm, "KVM_SET_XCRS: XCR0 = %#llx", (unsigned long long)xcr0);
	info->xsave = true;
	info->xcr0 = xcr0;
	return 0;
}

/* 64-bit long mode at entry->cpl, paging on: kvmrun's GDT, IDT and page
 * tables (README "State at entry"). */
static void set_long_mode(struct kvm_sregs *sregs, const struct cpu_entry *entry,
			  const struct cpu_setup_info *info)
{
	cpu_set_ring(sregs, entry->cpl);
	sregs->tr = *gdt_tss_segment();
	memset(&sregs->ldt, 0, sizeof(sregs->ldt));
	sregs->ldt.unusable = 1;
	sregs->gdt.base = KVMRUN_GDT_ADDR;
	sregs->gdt.limit = (uint16_t)(gdt_size() - 1);
	/* The supervisor's IDT: every exception stops at a stub (supervisor.h). */
	sregs->idt.base = KVMRUN_IDT_ADDR;
	sregs->idt.limit = SUP_VECTORS * 16 - 1;

	sregs->cr3 = KVMRUN_PML4_ADDR;
	sregs->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		    (info->xsave ? X86_CR4_OSXSAVE : 0);
	sregs->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		    X86_CR0_WP | X86_CR0_PG;
	/* NXE as an OS sets it: the NX bit works, and a #PF says whether it
	 * was an instruction fetch (SDM Vol. 3A, 4.7). */
	sregs->efer = X86_EFER_LME | X86_EFER_LMA | (info->nx ? X86_EFER_NXE : 0);
}

/* The 16-bit segment state of real mode: base selector * 16, 64 KiB. */
static void real_segment(struct kvm_segment *s, uint16_t selector, uint8_t type)
{
	*s = (struct kvm_segment){
		.base = (uint64_t)selector << 4, .limit = 0xffff, .selector = selector,
		.type = type, .present = 1, .s = 1,
	};
}

/*
 * Set the special registers for entry->mode, starting from the vCPU's
 * reset state (KVM_GET_SREGS of a new vCPU: real mode, SDM Vol. 3A, 9.1).
 */
static void set_mode(struct kvm_sregs *sregs, const struct cpu_entry *entry,
		     const struct cpu_setup_info *info)
{
	switch (entry->mode) {
	case MODE_LONG:
		set_long_mode(sregs, entry, info);
		return;
	case MODE_PROTECTED:
		/* Flat 32-bit segments from kvmrun's protected-mode GDT, paging
		 * off, no IDT (an exception is a triple fault).  SSE is enabled,
		 * so that compiled code runs. */
		sregs->cs = *gdt_code32_segment();
		sregs->ss = *gdt_data_segment();
		sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss;
		sregs->tr = *gdt_tss32_segment();
		memset(&sregs->ldt, 0, sizeof(sregs->ldt));
		sregs->ldt.unusable = 1;
		sregs->gdt.base = KVMRUN_GDT_ADDR;
		sregs->gdt.limit = GDT_PROTECTED_ENTRIES * 8 - 1;
		sregs->idt.base = 0;
		sregs->idt.limit = 0;
		sregs->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE;
		sregs->cr3 = 0;
		sregs->cr4 = X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
			     (info->xsave ? X86_CR4_OSXSAVE : 0);
		sregs->efer = 0;
		return;
	case MODE_REAL:
		/* CS:IP from the entry (CS = entry / 16 rounded down to 64 KiB),
		 * the other segments 0, the real-mode IVT at 0.  CR0 without the
		 * reset value's CD and NW: caching on. */
		real_segment(&sregs->cs, (uint16_t)((entry->rip >> 4) & 0xf000),
			     SEG_TYPE_CODE_XR_A);
		real_segment(&sregs->ds, 0, SEG_TYPE_DATA_RW_A);
		sregs->es = sregs->fs = sregs->gs = sregs->ss = sregs->ds;
		sregs->idt.base = 0;
		sregs->idt.limit = 0x3ff;
		sregs->cr0 = X86_CR0_ET;
		sregs->cr3 = 0;
		sregs->cr4 = 0;
		sregs->efer = 0;
		return;
	}
}

static int setup_once(struct kvm *kvm, const struct cpu_entry *entry,
		      const char *cpuid_cache, bool load, struct cpu_setup_info *info,
		      struct error *err)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	uint64_t xcr0_supported = 0;
	uint32_t ecx1 = 0;

	memset(info, 0, sizeof(*info));
	if (setup_cpuid(kvm, cpuid_cache, load, info, &ecx1, &xcr0_supported, err) < 0 ||
	    setup_xcr0(kvm, ecx1, xcr0_supported, info, err) < 0)
		return -1;
	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_SREGS, &sregs, err) < 0)
		return -1;

	set_mode(&sregs, entry, info);
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_SREGS, &sregs, err) < 0)
		return -1;
	kvm_explain(kvm, "KVM_SET_SREGS: CR0=%#llx CR3=%#llx CR4=%#llx EFER=%#llx "
		    "CS=%#x SS=%#x TR=%#x GDT=%#llx/%#x IDT=%#llx/%#x",
		    (unsigned long long)sregs.cr0, (unsigned long long)sregs.cr3,
		    (unsigned long long)sregs.cr4, (unsigned long long)sregs.efer,
		    sregs.cs.selector, sregs.ss.selector, sregs.tr.selector,
		    (unsigned long long)sregs.gdt.base, sregs.gdt.limit,
		    (unsigned long long)sregs.idt.base, sregs.idt.limit);

	memset(&regs, 0, sizeof(regs));
	/* In real mode RIP is IP, an offset into CS (set_mode). */
	regs.rip = entry->mode == MODE_REAL ? entry->rip & 0xffff : entry->rip;
	regs.rsp = entry->rsp;
	regs.rdi = entry->rdi;
	regs.rax = entry->rax;
	regs.rbx = entry->rbx;
	regs.rflags = entry->rflags | X86_RFLAGS_RESERVED;
	for (unsigned i = 0; i < entry->nr_sets; i++)  /* --set */
		cpu_gpr_set(&regs, entry->sets[i].reg, entry->sets[i].value);
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_REGS, &regs, err) < 0)
		return -1;
	kvm_explain(kvm, "KVM_SET_REGS: RIP=%#llx RSP=%#llx RDI=%#llx RFLAGS=%#llx",
		    (unsigned long long)regs.rip, (unsigned long long)regs.rsp,
		    (unsigned long long)regs.rdi, (unsigned long long)regs.rflags);
	return 0;
}

int cpu_setup(struct kvm *kvm, const struct cpu_entry *entry,
	      const char *cpuid_cache, struct cpu_setup_info *info,
	      struct error *err)
{
	struct error first;
	char stored[sizeof(info->cpuid_cache_note)];

	if (setup_once(kvm, entry, cpuid_cache, true, info, &first) == 0)
		return 0;
	if (info->cpuid_source != CPUID_FROM_CACHE) {
		*err = first;
		return -1;
	}
	/*
	 * KVM refused the cached leaves, or something they decided (CR4,
	 * XCR0): ask KVM, set everything again (all of it may be redone
	 * before the first KVM_RUN) and put KVM's answer in the cache.
	 */
	if (setup_once(kvm, entry, cpuid_cache, false, info, err) < 0)
		return -1;
	/* setup_cpuid said whether KVM's answer was saved: "; saved ...". */
	memcpy(stored, info->cpuid_cache_note, sizeof(stored));
	snprintf(info->cpuid_cache_note, sizeof(info->cpuid_cache_note),
		 "not used: with its leaves, %.100s%.150s", first.msg, stored);
	return 0;
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

/* Outside long mode the registers in the width the code sees them. */
static bool print_legacy_regs(FILE *out, const struct kvm_regs *r,
			      const struct kvm_sregs *s)
{
	if (!(s->cr0 & X86_CR0_PE)) {           /* real mode */
		fprintf(out,
			" ax=%04x bx=%04x cx=%04x dx=%04x si=%04x di=%04x bp=%04x sp=%04x\n"
			" cs:ip=%04x:%04x flags=%04x ss=%04x ds=%04x es=%04x fs=%04x gs=%04x\n"
			" cr0=%08llx idt=%08llx/%04x (real mode)\n",
			(unsigned)(r->rax & 0xffff), (unsigned)(r->rbx & 0xffff),
			(unsigned)(r->rcx & 0xffff), (unsigned)(r->rdx & 0xffff),
			(unsigned)(r->rsi & 0xffff), (unsigned)(r->rdi & 0xffff),
			(unsigned)(r->rbp & 0xffff), (unsigned)(r->rsp & 0xffff),
			s->cs.selector, (unsigned)(r->rip & 0xffff),
			(unsigned)(r->rflags & 0xffff), s->ss.selector, s->ds.selector,
			s->es.selector, s->fs.selector, s->gs.selector,
			(unsigned long long)s->cr0, (unsigned long long)s->idt.base,
			s->idt.limit);
		return true;
	}
	if (s->efer & X86_EFER_LMA)
		return false;
	fprintf(out,                            /* protected mode */
		" eax=%08x ebx=%08x ecx=%08x edx=%08x\n"
		" esi=%08x edi=%08x ebp=%08x esp=%08x\n"
		" eip=%08x eflags=%08x (%u-bit protected mode%s)\n"
		" cr0=%08llx cr2=%08llx cr3=%08llx cr4=%08llx gdt=%08llx/%04x idt=%08llx/%04x\n",
		(unsigned)r->rax, (unsigned)r->rbx, (unsigned)r->rcx, (unsigned)r->rdx,
		(unsigned)r->rsi, (unsigned)r->rdi, (unsigned)r->rbp, (unsigned)r->rsp,
		(unsigned)r->rip, (unsigned)r->rflags, s->cs.db ? 32 : 16,
		(s->cr0 & X86_CR0_PG) ? ", paging on" : "",
		(unsigned long long)s->cr0, (unsigned long long)s->cr2,
		(unsigned long long)s->cr3, (unsigned long long)s->cr4,
		(unsigned long long)s->gdt.base, s->gdt.limit,
		(unsigned long long)s->idt.base, s->idt.limit);
	print_segment(out, "cs", &s->cs);
	print_segment(out, "ss", &s->ss);
	print_segment(out, "ds", &s->ds);
	print_segment(out, "tr", &s->tr);
	return true;
}

void cpu_print_regs(FILE *out, const struct kvm_regs *r,
		    const struct kvm_sregs *s)
{
	if (print_legacy_regs(out, r, s))
		return;
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

struct bit_name {
	unsigned bit;
	const char *name, *meaning;
};

/* SDM Vol. 3A, 2.5 (CR0, CR4), 2.2.1 (EFER), Vol. 1, 3.4.3 (RFLAGS). */
static const struct bit_name cr0_bits[] = {
	{ 0, "PE", "protected mode" }, { 1, "MP", "monitor coprocessor" },
	{ 2, "EM", "x87 emulation" }, { 3, "TS", "task switched" },
	{ 4, "ET", "extension type" }, { 5, "NE", "native x87 errors" },
	{ 16, "WP", "write protect in ring 0" }, { 18, "AM", "alignment mask" },
	{ 29, "NW", "not write-through" }, { 30, "CD", "cache disable" },
	{ 31, "PG", "paging" }, { 0, NULL, NULL },
};
static const struct bit_name cr4_bits[] = {
	{ 0, "VME", "virtual-8086 extensions" }, { 1, "PVI", "protected-mode virtual interrupts" },
	{ 2, "TSD", "rdtsc in ring 0 only" }, { 3, "DE", "debugging extensions" },
	{ 4, "PSE", "4 MiB pages (32-bit paging)" }, { 5, "PAE", "physical address extension" },
	{ 6, "MCE", "machine check" }, { 7, "PGE", "global pages" },
	{ 8, "PCE", "rdpmc in any ring" }, { 9, "OSFXSR", "fxsave and SSE" },
	{ 10, "OSXMMEXCPT", "SIMD exceptions" }, { 11, "UMIP", "user-mode instruction prevention" },
	{ 12, "LA57", "5-level paging" }, { 16, "FSGSBASE", "rd/wrfsbase" },
	{ 17, "PCIDE", "process-context identifiers" }, { 18, "OSXSAVE", "xsave and AVX" },
	{ 20, "SMEP", "no ring-0 execution of user pages" },
	{ 21, "SMAP", "no ring-0 access to user pages" }, { 22, "PKE", "protection keys" },
	{ 0, NULL, NULL },
};
static const struct bit_name efer_bits[] = {
	{ 0, "SCE", "syscall" }, { 8, "LME", "long mode enabled" },
	{ 10, "LMA", "long mode active" }, { 11, "NXE", "no-execute pages" },
	{ 0, NULL, NULL },
};
static const struct bit_name rflags_bits[] = {
	{ 0, "CF", "carry" }, { 1, "1", "always set" }, { 2, "PF", "parity" },
	{ 4, "AF", "adjust" }, { 6, "ZF", "zero" }, { 7, "SF", "sign" },
	{ 8, "TF", "trap (single step)" }, { 9, "IF", "interrupts enabled" },
	{ 10, "DF", "direction (string ops go down)" }, { 11, "OF", "overflow" },
	{ 14, "NT", "nested task" }, { 16, "RF", "resume" },
	{ 17, "VM", "virtual-8086 mode" }, { 18, "AC", "alignment check" },
	{ 19, "VIF", "virtual interrupt" }, { 20, "VIP", "virtual interrupt pending" },
	{ 21, "ID", "cpuid available" }, { 0, NULL, NULL },
};

static void print_bits(FILE *out, const char *reg, uint64_t v,
		       const struct bit_name *bits)
{
	unsigned i;
	int any = 0;

	fprintf(out, " %-6s %#llx:", reg, (unsigned long long)v);
	for (i = 0; bits[i].name; i++) {
		if (!(v & (1ULL << bits[i].bit)))
			continue;
		fprintf(out, "%s %s (%s)", any ? "," : "", bits[i].name, bits[i].meaning);
		any = 1;
	}
	if (!any)
		fputs(" none set", out);
	fputc('\n', out);
}

void cpu_print_decoded(FILE *out, const struct kvm_regs *r,
		       const struct kvm_sregs *s)
{
	const struct { const char *name; const struct kvm_segment *seg; } segs[] = {
		{ "cs", &s->cs }, { "ss", &s->ss }, { "ds", &s->ds }, { "es", &s->es },
		{ "fs", &s->fs }, { "gs", &s->gs }, { "tr", &s->tr },
	};
	char text[200];
	unsigned i;

	fprintf(out, " mode   %s, paging %s\n", cpu_mode_name(s),
		(s->cr0 & X86_CR0_PG) ? "on" : "off");
	print_bits(out, "cr0", s->cr0, cr0_bits);
	print_bits(out, "cr4", s->cr4, cr4_bits);
	print_bits(out, "efer", s->efer, efer_bits);
	print_bits(out, "rflags", r->rflags, rflags_bits);
	fprintf(out, "        IOPL %llu; the guest runs in ring %u (CS.RPL, SS.DPL %u)\n",
		(unsigned long long)((r->rflags >> 12) & 3), s->cs.selector & 3u,
		s->ss.dpl);
	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		if (segs[i].seg->unusable || !segs[i].seg->present)
			snprintf(text, sizeof(text), "null or unusable");
		else
			gdt_describe(segs[i].seg, text, sizeof(text));
		fprintf(out, " %-6s %#06x: %s\n", segs[i].name, segs[i].seg->selector, text);
	}
}
