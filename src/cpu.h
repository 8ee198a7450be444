/* SPDX-License-Identifier: MIT */
/*
 * The vCPU's state at entry: CPUID, control registers, EFER, segments and
 * general registers for 64-bit long mode at CPL0 (Intel SDM Vol. 3A, 9.8.5
 * "Initializing IA-32e Mode").
 */
#ifndef KVMRUN_CPU_H
#define KVMRUN_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/kvm.h>

#include "config.h"
#include "error.h"
#include "kvm.h"

/* Control register and EFER bits (SDM Vol. 3A, 2.5 and 2.2.1). */
#define X86_CR0_PE              (1ULL << 0)     /* protected mode */
#define X86_CR0_MP              (1ULL << 1)     /* monitor coprocessor */
#define X86_CR0_EM              (1ULL << 2)     /* x87 emulation: off for SSE */
#define X86_CR0_TS              (1ULL << 3)
#define X86_CR0_ET              (1ULL << 4)
#define X86_CR0_NE              (1ULL << 5)     /* native FPU errors */
#define X86_CR0_WP              (1ULL << 16)    /* write protect in ring 0 */
#define X86_CR0_AM              (1ULL << 18)
#define X86_CR0_NW              (1ULL << 29)
#define X86_CR0_CD              (1ULL << 30)
#define X86_CR0_PG              (1ULL << 31)    /* paging */

#define X86_CR4_PSE             (1ULL << 4)
#define X86_CR4_PAE             (1ULL << 5)     /* required for long mode */
#define X86_CR4_LA57            (1ULL << 12)    /* 5-level paging */
#define X86_CR4_PGE             (1ULL << 7)
#define X86_CR4_OSFXSR          (1ULL << 9)     /* fxsave/fxrstor and SSE */
#define X86_CR4_OSXMMEXCPT      (1ULL << 10)    /* SIMD exceptions as #XM */
#define X86_CR4_OSXSAVE         (1ULL << 18)    /* xsave, xgetbv: AVX */

#define X86_EFER_SCE            (1ULL << 0)
#define X86_EFER_LME            (1ULL << 8)     /* long mode enable */
#define X86_EFER_LMA            (1ULL << 10)    /* long mode active */
#define X86_EFER_NXE            (1ULL << 11)

#define X86_XCR0_X87            (1ULL << 0)
#define X86_XCR0_SSE            (1ULL << 1)
#define X86_XCR0_AVX            (1ULL << 2)

#define X86_RFLAGS_RESERVED     (1ULL << 1)     /* always 1 */
#define X86_RFLAGS_TF           (1ULL << 8)     /* trap after each instruction */
#define X86_RFLAGS_IF           (1ULL << 9)
#define X86_RFLAGS_IOPL         (3ULL << 12)    /* I/O privilege level */
#define X86_RFLAGS_RF           (1ULL << 16)    /* resume: set in fault frames */

/* Where the guest starts. */
struct cpu_entry {
	enum start_mode mode;   /* long, protected or real (config.h) */
	uint64_t rip;           /* real mode: the linear entry, below 1 MiB */
	uint64_t rsp;
	uint64_t rdi;           /* boot information block */
	uint64_t rax, rbx;      /* multiboot: the magic and the information */
	unsigned cpl;           /* 0, or 3: user code and data segments */
	uint64_t rflags;        /* X86_RFLAGS_RESERVED, plus TF when tracing */
	const struct reg_set *sets;     /* --set */
	unsigned nr_sets;
};

/* Where the CPUID given to the vCPU came from. */
enum cpuid_source {
	CPUID_FROM_KVM,                 /* KVM_GET_SUPPORTED_CPUID, just now */
	CPUID_FROM_CACHE,               /* its answer, cached this boot */
};

/* What cpu_setup chose, for -v and the report. */
struct cpu_setup_info {
	unsigned cpuid_offered;         /* KVM_GET_SUPPORTED_CPUID's leaves */
	unsigned cpuid_entries;         /* the vCPU's, after KVM_SET_CPUID2 */
	enum cpuid_source cpuid_source;
	char cpuid_cache_note[320];     /* what happened to the cache, for -v */
	bool xsave;             /* CR4.OSXSAVE set and XCR0 loaded */
	bool nx;                /* EFER.NXE set */
	uint64_t xcr0;
};

/*
 * Give the vCPU the host's supported CPUID (from the cache file at
 * cpuid_cache when it is good, cpuid_cache.h; NULL: always ask KVM), then
 * load long-mode special registers (paging with CR3 at KVMRUN_PML4_ADDR,
 * the GDT's segments for entry->cpl, the supervisor's IDT, SSE enabled as
 * an OS would) and the general registers for entry.  A cache that cannot
 * be read or written is never an error: KVM is asked instead.
 */
int cpu_setup(struct kvm *kvm, const struct cpu_entry *entry,
	      const char *cpuid_cache, struct cpu_setup_info *info,
	      struct error *err);

/* Load the CPL0 (cpl 0) or CPL3 (cpl 3) code and data segments. */
void cpu_set_ring(struct kvm_sregs *sregs, unsigned cpl);

/* The 16 general registers, by name ("rax" ... "r15"), and where each
 * lives in struct kvm_regs: --set, the report and the register dump. */
#define CPU_NR_GPRS             16
struct cpu_gpr {
	const char *name;
	size_t offset;          /* offsetof(struct kvm_regs, ...) */
};
extern const struct cpu_gpr cpu_gprs[CPU_NR_GPRS];

/* General register i (an index into cpu_gprs) of regs. */
uint64_t cpu_gpr_get(const struct kvm_regs *regs, unsigned i);
void cpu_gpr_set(struct kvm_regs *regs, unsigned i, uint64_t value);

/* Set the vCPU's general registers named in sets (--sets: a run's line). */
int cpu_set_gprs(struct kvm *kvm, const struct reg_set *sets, unsigned nr_sets,
		 struct error *err);

/* Is the CPU running 64-bit code (IA-32e mode and CS.L, Intel SDM vol. 3A,
 * 5.2.1)?  Outside it RIP is an offset into CS, whose base counts. */
static inline bool cpu_in_64bit_code(const struct kvm_sregs *s)
{
	return (s->efer & X86_EFER_LMA) && s->cs.l;
}

/* The CPU mode the registers say: "real mode", "protected mode" (with
 * paging or not), "compatibility mode" or "64-bit long mode" (Intel SDM
 * vol. 3A, 2.2: CR0.PE, EFER.LMA and CS.L). */
const char *cpu_mode_name(const struct kvm_sregs *s);

/* Read the registers (for dumps at the end of a run). */
int cpu_get(struct kvm *kvm, struct kvm_regs *regs, struct kvm_sregs *sregs,
	    struct error *err);

/* Print general, control and segment registers, one group per line, in
 * the width the guest's mode gives them (16-bit real, 32-bit protected,
 * 64-bit long mode). */
void cpu_print_regs(FILE *out, const struct kvm_regs *regs,
		    const struct kvm_sregs *sregs);

/* --regs: CR0, CR4, EFER and RFLAGS bit by bit, and the segments decoded. */
void cpu_print_decoded(FILE *out, const struct kvm_regs *regs,
		       const struct kvm_sregs *sregs);

#endif
