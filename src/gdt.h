/* SPDX-License-Identifier: MIT */
/*
 * The GDT and TSS kvmrun gives the guest.  One table of struct kvm_segment
 * describes every segment; it is encoded into the descriptor bytes written
 * to guest memory and handed to KVM_SET_SREGS as is, so the two can never
 * disagree.  Descriptor format: Intel SDM Vol. 3A, 3.4.5 (segment
 * descriptors) and 8.2.3 (64-bit TSS descriptor).  Pure: no KVM calls.
 */
#ifndef KVMRUN_GDT_H
#define KVMRUN_GDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "error.h"
#include "memmap.h"

/* Descriptor type field values (SDM Vol. 3A, Table 3-1 and 3-2). */
#define SEG_TYPE_DATA_RW_A      0x3     /* read/write, accessed */
#define SEG_TYPE_CODE_XR_A      0xb     /* execute/read, accessed */
#define SEG_TYPE_TSS64_AVAIL    0x9
#define SEG_TYPE_TSS64_BUSY     0xb
#define SEG_TYPE_TSS32_BUSY     0xb     /* the same type outside IA-32e mode */
#define TSS32_SIZE              104     /* SDM Vol. 3A, Figure 8-2 */

/* --mode protected: kvmrun's GDT then holds a null descriptor, 32-bit
 * flat code at 0x08, flat data at 0x10 and a 32-bit TSS at 0x18. */
#define GDT_PROTECTED_ENTRIES   4

#define TSS64_SIZE              104     /* SDM Vol. 3A, Figure 8-11 */
#define TSS64_RSP0              4       /* stack for CPL3 -> CPL0 */
#define TSS64_IST1              36      /* interrupt stack table entry 1 */
#define TSS64_IOMAP_BASE        102     /* offset of the I/O map base field */
#define TSS_IOMAP_BYTES         (65536 / 8)     /* one bit per port */
/* TSS, I/O permission bitmap, and the all-ones byte that must follow it
 * (SDM Vol. 1, 19.5.2). */
#define TSS_TOTAL_SIZE          (TSS64_SIZE + TSS_IOMAP_BYTES + 1)

enum gdt_index {
	GDT_NULL,
	GDT_CODE64,
	GDT_DATA,
	GDT_TSS,        /* 16 bytes: two slots */
	GDT_USER_DATA = GDT_TSS + 2,
	GDT_USER_CODE64,
	GDT_ENTRIES,
};

/* The segments loaded at entry: CS, the data segments and TR, for CPL0
 * and for CPL3 (user: DPL3 code and data). */
const struct kvm_segment *gdt_code_segment(void);
const struct kvm_segment *gdt_data_segment(void);
const struct kvm_segment *gdt_user_code_segment(void);
const struct kvm_segment *gdt_user_data_segment(void);
const struct kvm_segment *gdt_tss_segment(void);
/* --mode protected: 32-bit flat code (0x08) and the 32-bit TSS (0x18);
 * data is gdt_data_segment(), as in long mode. */
const struct kvm_segment *gdt_code32_segment(void);
const struct kvm_segment *gdt_tss32_segment(void);

/* Size of the GDT in bytes (its limit is this minus one). */
unsigned gdt_size(void);

/*
 * Write the GDT and the TSS into guest memory at their ABI addresses.  The
 * TSS gives RSP0 and IST1 the supervisor stack and allows every port.
 */
int gdt_write(const struct memmap *mm, struct error *err);

/* --mode protected: write the protected-mode GDT (GDT_PROTECTED_ENTRIES
 * descriptors) at KVMRUN_GDT_ADDR and an empty 32-bit TSS. */
int gdt_write_protected(const struct memmap *mm, struct error *err);

/*
 * Encode a segment as an 8-byte descriptor.  For a system segment (s == 0)
 * this is the low half of a 16-byte descriptor; gdt_encode_high gives the
 * high half (base bits 63:32).
 */
uint64_t gdt_encode(const struct kvm_segment *seg);
uint64_t gdt_encode_high(const struct kvm_segment *seg);

/*
 * Decode a descriptor (and, for system segments, its high half) into the
 * fields KVM uses, with the limit expanded to bytes as KVM expects.
 */
void gdt_decode(uint64_t desc, uint64_t high, uint16_t selector,
		struct kvm_segment *seg);

/*
 * In a GDT of len bytes, the first ring-0 descriptor that can stand in for
 * like (a ring-3 segment) when kvmrun moves a guest from ring 3 to ring 0:
 * for code, a present, non-conforming code segment of the same size (L and
 * D); for a stack, a present, writable data segment.  Where the size of
 * the code matters (not 64-bit: same_extent), base, limit and the D/B bit
 * must match too.  Returns its selector (RPL 0), or 0 if there is none.
 * System descriptors, which take two slots in 64-bit mode, are skipped.
 */
uint16_t gdt_find_ring0_twin(const uint8_t *gdt, size_t len,
			     const struct kvm_segment *like, bool same_extent);

/* One line describing a segment: "base=0 limit=0xffffffff code ..." */
void gdt_describe(const struct kvm_segment *seg, char *buf, unsigned size);

#endif
