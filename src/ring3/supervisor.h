/* SPDX-License-Identifier: MIT */
/*
 * kvmrun's ring-0 supervisor: a 256-vector IDT whose every gate leads to a
 * stub that is a single hlt.  When a guest exception fires, the CPU
 * switches to the supervisor stack (IST1), pushes the exception frame and
 * halts; KVM_EXIT_HLT's RIP says which vector fired, and the frame on the
 * supervisor stack says where.  No guest register is touched, so the host
 * can report the exception or resume the guest exactly where it was.
 * A guest that loads its own IDT takes over its exceptions.
 * Gate format: Intel SDM Vol. 3A, 6.14.1 (64-bit IDT gate descriptors).
 * Pure: no KVM calls.
 */
#ifndef KVMRUN_SUPERVISOR_H
#define KVMRUN_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "memmap.h"

#define SUP_VECTORS             256
#define SUP_STUB_SIZE           4       /* hlt; jmp back to the hlt; pad */
#define SUP_IST                 1       /* every gate switches to IST1 */
#define IDT_GATE_INTERRUPT      0xe

/* Vector numbers (SDM Vol. 3A, Table 6-1). */
enum {
	EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4,
	EXC_BR = 5, EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10,
	EXC_NP = 11, EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16,
	EXC_AC = 17, EXC_MC = 18, EXC_XM = 19, EXC_VE = 20, EXC_CP = 21,
};

/* #PF error code bits (SDM Vol. 3A, 4.7). */
#define PF_ERR_P        (1u << 0)       /* protection violation, else not present */
#define PF_ERR_W        (1u << 1)       /* write, else read */
#define PF_ERR_U        (1u << 2)       /* user mode (CPL3) */
#define PF_ERR_RSVD     (1u << 3)
#define PF_ERR_I        (1u << 4)       /* instruction fetch */
#define PF_ERR_PK       (1u << 5)

/* The frame the CPU pushed on the supervisor stack. */
struct exc_frame {
	unsigned vector;
	bool has_error_code;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Write the IDT and the stubs into guest memory at their ABI addresses. */
int supervisor_write(const struct memmap *mm, struct error *err);

/* Encode one 16-byte interrupt gate; lo and hi are its two halves. */
void supervisor_encode_gate(uint64_t handler, uint16_t selector, unsigned ist,
		     unsigned dpl, uint64_t *lo, uint64_t *hi);

/* If a hlt exit's RIP lies in a stub, set *vector and return true. */
bool supervisor_vector_at(uint64_t rip, unsigned *vector);

/*
 * Read the exception frame for vector from the supervisor stack at rsp
 * (the guest's RSP at the hlt exit).  Returns -1 if it is not in RAM.
 */
int supervisor_read_frame(const struct memmap *mm, uint64_t rsp, unsigned vector,
		   struct exc_frame *f);

bool supervisor_has_error_code(unsigned vector);
const char *supervisor_exc_mnemonic(unsigned vector);     /* "#PF" */
const char *supervisor_exc_name(unsigned vector);         /* "page fault" */

/*
 * The #PF error code as kvmrun reports it.  Without EFER.NXE the CPU does
 * not flag instruction fetches (SDM Vol. 3A, 4.7); a read that faulted on
 * the bytes of the instruction at RIP can only have been the fetch.
 */
uint64_t exc_pf_error_code(uint64_t error_code, uint64_t cr2, uint64_t rip,
			   bool nxe);

/* "write, user mode, page not present" for a #PF error code. */
void supervisor_describe_pf(uint64_t error_code, char *buf, unsigned size);

/* "selector 0x10 in the GDT" for a selector error code (#GP #TS #NP #SS). */
void supervisor_describe_selector(uint64_t error_code, char *buf, unsigned size);

#endif
