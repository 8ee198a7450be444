/* SPDX-License-Identifier: MIT */
#include "gdt.h"

#include <stdio.h>
#include <string.h>

#include "kvmrun/abi.h"

/* The single description of every segment at entry. */
static const struct kvm_segment segments[] = {
	[GDT_CODE64] = {
		.base = 0, .limit = 0xffffffff, .selector = KVMRUN_SEL_CODE64,
		.type = SEG_TYPE_CODE_XR_A, .present = 1, .dpl = 0, .db = 0,
		.s = 1, .l = 1, .g = 1,
	},
	[GDT_DATA] = {
		.base = 0, .limit = 0xffffffff, .selector = KVMRUN_SEL_DATA,
		.type = SEG_TYPE_DATA_RW_A, .present = 1, .dpl = 0, .db = 1,
		.s = 1, .l = 0, .g = 1,
	},
	[GDT_USER_DATA] = {
		.base = 0, .limit = 0xffffffff, .selector = KVMRUN_SEL_USER_DATA,
		.type = SEG_TYPE_DATA_RW_A, .present = 1, .dpl = 3, .db = 1,
		.s = 1, .l = 0, .g = 1,
	},
	[GDT_USER_CODE64] = {
		.base = 0, .limit = 0xffffffff, .selector = KVMRUN_SEL_USER_CODE64,
		.type = SEG_TYPE_CODE_XR_A, .present = 1, .dpl = 3, .db = 0,
		.s = 1, .l = 1, .g = 1,
	},
	[GDT_TSS] = {
		/* Busy: TR is loaded through KVM_SET_SREGS, as ltr would. */
		.base = KVMRUN_TSS_ADDR, .limit = TSS_TOTAL_SIZE - 1,
		.selector = KVMRUN_SEL_TSS, .type = SEG_TYPE_TSS64_BUSY,
		.present = 1, .dpl = 0, .s = 0, .g = 0,
	},
};

/* --mode protected (GDT_PROTECTED_ENTRIES: null, code32, data, TSS). */
static const struct kvm_segment protected_segments[GDT_PROTECTED_ENTRIES] = {
	[1] = {
		.base = 0, .limit = 0xffffffff, .selector = KVMRUN_SEL_CODE64,
		.type = SEG_TYPE_CODE_XR_A, .present = 1, .dpl = 0, .db = 1,
		.s = 1, .l = 0, .g = 1,
	},
	[2] = {
		.base = 0, .limit = 0xffffffff, .selector = KVMRUN_SEL_DATA,
		.type = SEG_TYPE_DATA_RW_A, .present = 1, .dpl = 0, .db = 1,
		.s = 1, .l = 0, .g = 1,
	},
	[3] = {
		.base = KVMRUN_TSS_ADDR, .limit = TSS32_SIZE - 1,
		.selector = KVMRUN_SEL_TSS, .type = SEG_TYPE_TSS32_BUSY,
		.present = 1, .dpl = 0, .s = 0, .g = 0,
	},
};

const struct kvm_segment *gdt_code32_segment(void) { return &protected_segments[1]; }
const struct kvm_segment *gdt_tss32_segment(void) { return &protected_segments[3]; }
const struct kvm_segment *gdt_code_segment(void) { return &segments[GDT_CODE64]; }
const struct kvm_segment *gdt_data_segment(void) { return &segments[GDT_DATA]; }
const struct kvm_segment *gdt_user_code_segment(void) { return &segments[GDT_USER_CODE64]; }
const struct kvm_segment *gdt_user_data_segment(void) { return &segments[GDT_USER_DATA]; }
const struct kvm_segment *gdt_tss_segment(void) { return &segments[GDT_TSS]; }

unsigned gdt_size(void)
{
	return GDT_ENTRIES * 8;
}

uint64_t gdt_encode(const struct kvm_segment *seg)
{
	uint64_t limit = seg->g ? seg->limit >> 12 : seg->limit;
	uint64_t base = seg->base;
	uint64_t d = 0;

	d |= limit & 0xffff;                            /* limit 15:0 */
	d |= (base & 0xffffff) << 16;                   /* base 23:0 */
	d |= (uint64_t)(seg->type & 0xf) << 40;
	d |= (uint64_t)(seg->s & 1) << 44;
	d |= (uint64_t)(seg->dpl & 3) << 45;
	d |= (uint64_t)(seg->present & 1) << 47;
	d |= ((limit >> 16) & 0xf) << 48;               /* limit 19:16 */
	d |= (uint64_t)(seg->avl & 1) << 52;
	d |= (uint64_t)(seg->l & 1) << 53;
	d |= (uint64_t)(seg->db & 1) << 54;
	d |= (uint64_t)(seg->g & 1) << 55;
	d |= ((base >> 24) & 0xff) << 56;               /* base 31:24 */
	return d;
}

uint64_t gdt_encode_high(const struct kvm_segment *seg)
{
	return seg->s ? 0 : seg->base >> 32;
}

void gdt_decode(uint64_t desc, uint64_t high, uint16_t selector,
		struct kvm_segment *seg)
{
	uint32_t limit = (uint32_t)((desc & 0xffff) | ((desc >> 32) & 0xf0000));

	memset(seg, 0, sizeof(*seg));
	seg->selector = selector;
	seg->base = ((desc >> 16) & 0xffffff) | ((desc >> 32) & 0xff000000);
	seg->type = (desc >> 40) & 0xf;
	seg->s = (desc >> 44) & 1;
	seg->dpl = (desc >> 45) & 3;
	seg->present = (desc >> 47) & 1;
	seg->avl = (desc >> 52) & 1;
	seg->l = (desc >> 53) & 1;
	seg->db = (desc >> 54) & 1;
	seg->g = (desc >> 55) & 1;
	seg->limit = seg->g ? (limit << 12) | 0xfff : limit;
	if (!seg->s)
		seg->base |= (high & 0xffffffff) << 32;
	seg->unusable = !seg->present;
}

static int write_u64(const struct memmap *mm, uint64_t gpa, uint64_t v,
		     struct error *err)
{
	uint8_t *p = memmap_gpa(mm, gpa, 8);

	if (!p)
		return error_set(err, "GDT at %#llx is outside RAM",
			       (unsigned long long)gpa);
	memcpy(p, &v, 8);
	return 0;
}

int gdt_write(const struct memmap *mm, struct error *err)
{
	uint8_t *tss = memmap_gpa(mm, KVMRUN_TSS_ADDR, TSS_TOTAL_SIZE);
	const uint64_t stack = KVMRUN_SUPER_STACK_TOP;
	const uint16_t iomap = TSS64_SIZE;      /* the bitmap follows the TSS */
	unsigned i;

	if (!tss)
		return error_set(err, "TSS is outside RAM");
	for (i = GDT_NULL; i < GDT_ENTRIES; i++) {
		uint64_t d = 0;

		if (i == GDT_TSS + 1)
			d = gdt_encode_high(&segments[GDT_TSS]);
		else if (i != GDT_NULL)
			d = gdt_encode(&segments[i]);
		if (write_u64(mm, KVMRUN_GDT_ADDR + 8ULL * i, d, err) < 0)
			return -1;
	}
	/* All bitmap bits clear: every port allowed at CPL3 too. */
	memset(tss, 0, TSS_TOTAL_SIZE);
	memcpy(tss + TSS64_RSP0, &stack, sizeof(stack));
	memcpy(tss + TSS64_IST1, &stack, sizeof(stack));
	memcpy(tss + TSS64_IOMAP_BASE, &iomap, sizeof(iomap));
	tss[TSS_TOTAL_SIZE - 1] = 0xff;
	return 0;
}

int gdt_write_protected(const struct memmap *mm, struct error *err)
{
	uint8_t *tss = memmap_gpa(mm, KVMRUN_TSS_ADDR, TSS32_SIZE);
	unsigned i;

	if (!tss)
		return error_set(err, "TSS is outside RAM");
	for (i = 0; i < GDT_PROTECTED_ENTRIES; i++)
		if (write_u64(mm, KVMRUN_GDT_ADDR + 8ULL * i,
			      i ? gdt_encode(&protected_segments[i]) : 0, err) < 0)
			return -1;
	memset(tss, 0, TSS32_SIZE);
	return 0;
}

void gdt_describe(const struct kvm_segment *seg, char *buf, unsigned size)
{
	const char *kind;

	if (!seg->s)
		kind = seg->type == SEG_TYPE_TSS64_BUSY ? "64-bit TSS (busy)" :
		       seg->type == SEG_TYPE_TSS64_AVAIL ? "64-bit TSS" : "system";
	else if (seg->type & 0x8)
		kind = seg->l ? "64-bit code" : seg->db ? "32-bit code" : "16-bit code";
	else
		kind = "data";
	snprintf(buf, size, "%s, base %#llx, limit %#x, DPL%u, %s%s%s%s",
		 kind, (unsigned long long)seg->base, seg->limit, seg->dpl,
		 seg->present ? "present" : "not present",
		 seg->s && (seg->type & 0x8) ? ((seg->type & 2) ? ", readable" : ", execute-only") : "",
		 seg->s && !(seg->type & 0x8) ? ((seg->type & 2) ? ", writable" : ", read-only") : "",
		 seg->g ? ", 4 KiB granularity" : "");
}

/* SDM Vol. 3A, Table 3-1: type bit 3 is code; for code, bit 2 conforming;
 * for data, bit 1 writable. */
#define TYPE_CODE       0x8
#define TYPE_CONFORMING 0x4
#define TYPE_WRITABLE   0x2

uint16_t gdt_find_ring0_twin(const uint8_t *gdt, size_t len,
			     const struct kvm_segment *like, bool same_extent)
{
	bool code = like->type & TYPE_CODE;
	size_t off;

	for (off = 8; off + 8 <= len && off <= 0xfff8; off += 8) {
		struct kvm_segment s;
		uint64_t lo, hi = 0;

		memcpy(&lo, gdt + off, 8);
		if (off + 16 <= len)
			memcpy(&hi, gdt + off + 8, 8);
		gdt_decode(lo, hi, (uint16_t)off, &s);
		if (!s.s) {
			/* LDT, TSS and gates take two slots in long mode
			 * (SDM Vol. 3A, 3.5 and 8.2.3); an empty slot one. */
			if (s.present && (s.type == 2 || s.type == 9 || s.type == 11 ||
					  s.type == 12 || s.type == 14 || s.type == 15))
				off += 8;
			continue;
		}
		if (!s.present || s.dpl != 0 || (bool)(s.type & TYPE_CODE) != code)
			continue;
		if (code && ((s.type & TYPE_CONFORMING) || s.l != like->l ||
			     (!s.l && s.db != like->db)))
			continue;
		if (!code && !(s.type & TYPE_WRITABLE))
			continue;
		if (same_extent && (s.base != like->base || s.limit != like->limit ||
				    s.db != like->db))
			continue;
		return (uint16_t)off;
	}
	return 0;
}
