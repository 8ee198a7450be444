/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for gdt.c: segment descriptors encoded from struct
 * kvm_segment, decoded back, and written into guest memory.
 */
#include <string.h>

#include "gdt.h"
#include "guest_ram.h"
#include "kvmrun/abi.h"
#include "test.h"

#define MIB (1ULL << 20)

/* The first field in which two segments differ, or NULL. */
static const char *seg_diff(const struct kvm_segment *a,
			    const struct kvm_segment *b)
{
	if (a->base != b->base) return "base";
	if (a->limit != b->limit) return "limit";
	if (a->selector != b->selector) return "selector";
	if (a->type != b->type) return "type";
	if (a->present != b->present) return "present";
	if (a->dpl != b->dpl) return "dpl";
	if (a->db != b->db) return "db";
	if (a->s != b->s) return "s";
	if (a->l != b->l) return "l";
	if (a->g != b->g) return "g";
	if (a->avl != b->avl) return "avl";
	return NULL;
}

/* Encode, decode, compare: the descriptor loses nothing KVM uses. */
static const char *round_trip(const struct kvm_segment *seg)
{
	static struct kvm_segment back;

	gdt_decode(gdt_encode(seg), gdt_encode_high(seg), seg->selector, &back);
	return seg_diff(&back, seg);
}

TEST(gdt_encode_known_descriptors)
{
	/* The flat 64-bit code and data descriptors every kernel uses. */
	TEST_EQ(gdt_encode(gdt_code_segment()), 0x00af9b000000ffffULL);
	TEST_EQ(gdt_encode(gdt_data_segment()), 0x00cf93000000ffffULL);
	TEST_EQ(gdt_encode_high(gdt_code_segment()), 0);
	TEST_EQ(gdt_encode_high(gdt_data_segment()), 0);
	/* The same pair at DPL3, for ring 3. */
	TEST_EQ(gdt_encode(gdt_user_code_segment()), 0x00affb000000ffffULL);
	TEST_EQ(gdt_encode(gdt_user_data_segment()), 0x00cff3000000ffffULL);
	/* Busy 64-bit TSS at 0x7f00: 104 bytes, the 8 KiB I/O bitmap and its
	 * terminating byte (limit 0x2068), byte granular. */
	TEST_EQ(gdt_encode(gdt_tss_segment()), 0x00008b007f002068ULL);
	TEST_EQ(gdt_encode_high(gdt_tss_segment()), 0);
}

TEST(gdt_segments_match_abi)
{
	const struct kvm_segment *cs = gdt_code_segment();
	const struct kvm_segment *ds = gdt_data_segment();
	const struct kvm_segment *tr = gdt_tss_segment();

	TEST_EQ(cs->selector, KVMRUN_SEL_CODE64);
	TEST_EQ(ds->selector, KVMRUN_SEL_DATA);
	TEST_EQ(tr->selector, KVMRUN_SEL_TSS);
	TEST_EQ(cs->l, 1);
	TEST_EQ(cs->db, 0);                     /* L=1 requires D=0 */
	TEST_EQ(tr->base, KVMRUN_TSS_ADDR);
	TEST_EQ(tr->limit, TSS_TOTAL_SIZE - 1);
	TEST_EQ(tr->s, 0);
	TEST_EQ(gdt_user_code_segment()->selector, KVMRUN_SEL_USER_CODE64);
	TEST_EQ(gdt_user_data_segment()->selector, KVMRUN_SEL_USER_DATA);
	/* The CPL is the selector's RPL and the segment's DPL: all 3. */
	TEST_EQ(KVMRUN_SEL_USER_CODE64 & 3, 3);
	TEST_EQ(gdt_user_code_segment()->dpl, 3);
	TEST_EQ(gdt_user_data_segment()->dpl, 3);
	TEST_EQ(gdt_user_code_segment()->l, 1);
	TEST_EQ(gdt_size(), GDT_ENTRIES * 8);
	/* null, code, data, TSS x2, user data, user code */
	TEST_EQ(gdt_size(), 56);
}

TEST(gdt_round_trip_kvmrun_segments)
{
	const struct kvm_segment *segs[] = {
		gdt_code_segment(), gdt_data_segment(), gdt_tss_segment(),
	};
	unsigned i;

	for (i = 0; i < 3; i++) {
		struct kvm_segment back;
		const char *diff = round_trip(segs[i]);

		TEST_CHECK_MSG(diff == NULL, "segment %u differs in %s", i, diff);
		/* And the whole struct, as handed to KVM_SET_SREGS. */
		gdt_decode(gdt_encode(segs[i]), gdt_encode_high(segs[i]),
			   segs[i]->selector, &back);
		TEST_CHECK_MSG(memcmp(&back, segs[i], sizeof(back)) == 0,
			       "segment %u", i);
	}
}

TEST(gdt_round_trip_other_segments)
{
	static const struct kvm_segment segs[] = {
		/* TSS above 4 GiB (the high half), byte-granular 20-bit limit. */
		{ .base = 0xffff8000deadb000ULL, .limit = 0xabcde, .selector = 0x28,
		  .type = SEG_TYPE_TSS64_AVAIL, .present = 1, .dpl = 3, .s = 0,
		  .g = 0, .avl = 1 },
		{ .base = 0x0000000100000000ULL, .limit = 0x67, .selector = 0x18,
		  .type = SEG_TYPE_TSS64_BUSY, .present = 1, .s = 0 },
		/* Byte-granular data segment, every base byte non-zero. */
		{ .base = 0x12345678, .limit = 0xfffff, .selector = 0x23,
		  .type = SEG_TYPE_DATA_RW_A, .present = 1, .dpl = 3, .db = 1,
		  .s = 1, .g = 0 },
		/* 32-bit code, page-granular 1 GiB limit, DPL 2, AVL set. */
		{ .base = 0xff000000, .limit = 0x3fffffff, .selector = 0x42,
		  .type = SEG_TYPE_CODE_XR_A, .present = 1, .dpl = 2, .db = 1,
		  .s = 1, .g = 1, .avl = 1 },
		/* 64-bit user code. */
		{ .base = 0, .limit = 0xffffffff, .selector = 0x33,
		  .type = SEG_TYPE_CODE_XR_A, .present = 1, .dpl = 3, .l = 1,
		  .s = 1, .g = 1 },
		/* Zero limit. */
		{ .base = 0xabcdef, .limit = 0, .selector = 0x8,
		  .type = 0x1, .present = 1, .s = 1 },
	};
	unsigned i;

	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		const char *diff = round_trip(&segs[i]);

		TEST_CHECK_MSG(diff == NULL, "segment %u differs in %s", i, diff);
	}
}

TEST(gdt_encode_tss_high_half)
{
	struct kvm_segment tss = *gdt_tss_segment();
	uint64_t d;

	tss.base = 0x123456789abcdef0ULL;
	d = gdt_encode(&tss);
	TEST_EQ((d >> 16) & 0xffffff, 0xbcdef0);        /* base 23:0 */
	TEST_EQ(d >> 56, 0x9a);                         /* base 31:24 */
	TEST_EQ(gdt_encode_high(&tss), 0x12345678);     /* base 63:32 */
}

TEST(gdt_decode_details)
{
	struct kvm_segment s;

	/* A code or data segment has no high half: high is ignored. */
	gdt_decode(0x00af9b000000ffffULL, 0xffffffff, 0x08, &s);
	TEST_EQ(s.base, 0);
	TEST_EQ(s.limit, 0xffffffff);           /* expanded to bytes */
	TEST_EQ(s.unusable, 0);
	/* Only the low 32 bits of the high half are base bits. */
	gdt_decode(0x00008b0071000067ULL, 0xdeadbeef00000001ULL, 0x18, &s);
	TEST_EQ(s.base, 0x100007100ULL);
	TEST_EQ(s.limit, 0x67);
	/* A not-present descriptor is unusable to KVM. */
	gdt_decode(0x00cf13000000ffffULL, 0, 0x10, &s);
	TEST_EQ(s.present, 0);
	TEST_EQ(s.unusable, 1);
	/* The null descriptor. */
	gdt_decode(0, 0, 0, &s);
	TEST_EQ(s.present, 0);
	TEST_EQ(s.unusable, 1);
	TEST_EQ(s.limit, 0);
}

TEST(gdt_write_to_guest_memory)
{
	const uint64_t gdt = KVMRUN_GDT_ADDR;
	struct memmap mm;
	struct error err;
	struct kvm_segment s;
	const char *diff;
	uint16_t iomap;
	unsigned i;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	memset(mm.host, 0xaa, MIB);             /* so stale bytes show */
	TEST_REQUIRE(gdt_write(&mm, &err) == 0);

	TEST_EQ(guest_read_u64(&mm, gdt + 8 * GDT_NULL), 0);
	TEST_EQ(guest_read_u64(&mm, gdt + 8 * GDT_CODE64), 0x00af9b000000ffffULL);
	TEST_EQ(guest_read_u64(&mm, gdt + 8 * GDT_DATA), 0x00cf93000000ffffULL);

	/* Each descriptor, found by its selector, decodes to its segment. */
	gdt_decode(guest_read_u64(&mm, gdt + KVMRUN_SEL_CODE64), 0,
		   KVMRUN_SEL_CODE64, &s);
	diff = seg_diff(&s, gdt_code_segment());
	TEST_CHECK_MSG(diff == NULL, "code differs in %s", diff);
	gdt_decode(guest_read_u64(&mm, gdt + KVMRUN_SEL_DATA), 0,
		   KVMRUN_SEL_DATA, &s);
	diff = seg_diff(&s, gdt_data_segment());
	TEST_CHECK_MSG(diff == NULL, "data differs in %s", diff);
	gdt_decode(guest_read_u64(&mm, gdt + KVMRUN_SEL_TSS),
		   guest_read_u64(&mm, gdt + KVMRUN_SEL_TSS + 8),
		   KVMRUN_SEL_TSS, &s);
	diff = seg_diff(&s, gdt_tss_segment());
	TEST_CHECK_MSG(diff == NULL, "TSS differs in %s", diff);

	/* Nothing written past the GDT's limit. */
	TEST_EQ(mm.host[gdt + gdt_size()], 0xaa);
	TEST_EQ(mm.host[gdt - 1], 0xaa);

	gdt_decode(guest_read_u64(&mm, gdt + (KVMRUN_SEL_USER_CODE64 & ~3)), 0,
		   KVMRUN_SEL_USER_CODE64, &s);
	diff = seg_diff(&s, gdt_user_code_segment());
	TEST_CHECK_MSG(diff == NULL, "user code differs in %s", diff);
	gdt_decode(guest_read_u64(&mm, gdt + (KVMRUN_SEL_USER_DATA & ~3)), 0,
		   KVMRUN_SEL_USER_DATA, &s);
	diff = seg_diff(&s, gdt_user_data_segment());
	TEST_CHECK_MSG(diff == NULL, "user data differs in %s", diff);

	/* The TSS: RSP0 and IST1 at the supervisor stack, everything else
	 * zero, the I/O bitmap right after it, all ports allowed (bits clear),
	 * then the all-ones byte the CPU may read past the last port. */
	{
		uint64_t rsp0, ist1;

		memcpy(&rsp0, mm.host + KVMRUN_TSS_ADDR + TSS64_RSP0, 8);
		memcpy(&ist1, mm.host + KVMRUN_TSS_ADDR + TSS64_IST1, 8);
		TEST_EQ(rsp0, KVMRUN_SUPER_STACK_TOP);
		TEST_EQ(ist1, KVMRUN_SUPER_STACK_TOP);
	}
	for (i = 0; i < TSS64_IOMAP_BASE; i++) {
		if ((i >= TSS64_RSP0 && i < TSS64_RSP0 + 8) ||
		    (i >= TSS64_IST1 && i < TSS64_IST1 + 8))
			continue;
		TEST_CHECK_MSG(mm.host[KVMRUN_TSS_ADDR + i] == 0, "TSS byte %u", i);
	}
	memcpy(&iomap, mm.host + KVMRUN_TSS_ADDR + TSS64_IOMAP_BASE, 2);
	TEST_EQ(iomap, TSS64_SIZE);
	for (i = 0; i < TSS_IOMAP_BYTES; i++)
		TEST_CHECK_MSG(mm.host[KVMRUN_TSS_ADDR + TSS64_SIZE + i] == 0,
			       "I/O bitmap byte %u", i);
	TEST_EQ(mm.host[KVMRUN_TSS_ADDR + TSS_TOTAL_SIZE - 1], 0xff);
	TEST_EQ(mm.host[KVMRUN_TSS_ADDR + TSS_TOTAL_SIZE], 0xaa);
	guest_ram_free(&mm);
}

TEST(gdt_write_fails_without_ram)
{
	struct memmap mm;
	struct error err = { "" };

	TEST_REQUIRE(memmap_init(&mm, MIB, &err) == 0);
	TEST_EQ(gdt_write(&mm, &err), -1);      /* host is NULL */
	TEST_CHECK(err.msg[0] != '\0');
}

/* gdt_find_ring0_twin: the ring-0 stand-in for a ring-3 segment. */
TEST(gdt_ring0_twin)
{
	static const uint64_t gdt[] = {
		0,
		0x00cf9a000000ffffULL,  /* 0x08: 32-bit code, ring 0 */
		0x00af9a000000ffffULL,  /* 0x10: 64-bit code, ring 0 */
		0x00cf92000000ffffULL,  /* 0x18: data, ring 0 */
		0x0000890000000067ULL,  /* 0x20: a TSS (two slots) ... */
		0x00009a0000000000ULL,  /* 0x28: ... whose high half looks like code */
		0x00cffa000000ffffULL,  /* 0x30: 32-bit code, ring 3 */
		0x00cff2000000ffffULL,  /* 0x38: data, ring 3 */
		0x00009a010000ffffULL,  /* 0x40: 16-bit code at 0x10000, ring 0 */
		0x0000fa010000ffffULL,  /* 0x48: 16-bit code at 0x10000, ring 3 */
		0x00affa000000ffffULL,  /* 0x50: 64-bit code, ring 3 */
	};
	struct kvm_segment like;

	gdt_decode(gdt[6], 0, 0x33, &like);
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, sizeof(gdt), &like, true), 0x08);
	gdt_decode(gdt[10], 0, 0x53, &like);
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, sizeof(gdt), &like, false), 0x10);
	gdt_decode(gdt[7], 0, 0x3b, &like);
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, sizeof(gdt), &like, true), 0x18);
	gdt_decode(gdt[9], 0, 0x4b, &like);
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, sizeof(gdt), &like, true), 0x40);
	/* Another base: no twin; nor in a GDT that ends before one. */
	like.base = 0x20000;
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, sizeof(gdt), &like, true), 0);
	gdt_decode(gdt[6], 0, 0x33, &like);
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, 8, &like, true), 0);
}

/* A conforming code segment is no twin: it would run at the caller's CPL. */
TEST(gdt_ring0_twin_not_conforming)
{
	static const uint64_t gdt[] = {
		0,
		0x00cf9e000000ffffULL,  /* 0x08: conforming 32-bit code, ring 0 */
		0x00cffa000000ffffULL,  /* 0x10: 32-bit code, ring 3 */
	};
	struct kvm_segment like;

	gdt_decode(gdt[2], 0, 0x13, &like);
	TEST_EQ(gdt_find_ring0_twin((const uint8_t *)gdt, sizeof(gdt), &like, true), 0);
}

TEST(gdt_describe_text)
{
	char buf[160];

	gdt_describe(gdt_code_segment(), buf, sizeof(buf));
	TEST_CONTAINS(buf, "64-bit code");
	TEST_CONTAINS(buf, "readable");
	TEST_CONTAINS(buf, "4 KiB granularity");
	TEST_CONTAINS(buf, "DPL0");
	gdt_describe(gdt_data_segment(), buf, sizeof(buf));
	TEST_CONTAINS(buf, "data");
	TEST_CONTAINS(buf, "writable");
	gdt_describe(gdt_tss_segment(), buf, sizeof(buf));
	TEST_CONTAINS(buf, "64-bit TSS (busy)");
	TEST_CONTAINS(buf, "base 0x7f00");
	TEST_CONTAINS(buf, "limit 0x2068");
	gdt_describe(gdt_user_code_segment(), buf, sizeof(buf));
	TEST_CONTAINS(buf, "DPL3");
}

const struct test tests_gdt[] = {
	TEST_ENTRY(gdt_encode_known_descriptors),
	TEST_ENTRY(gdt_segments_match_abi),
	TEST_ENTRY(gdt_round_trip_kvmrun_segments),
	TEST_ENTRY(gdt_round_trip_other_segments),
	TEST_ENTRY(gdt_encode_tss_high_half),
	TEST_ENTRY(gdt_decode_details),
	TEST_ENTRY(gdt_write_to_guest_memory),
	TEST_ENTRY(gdt_write_fails_without_ram),
	TEST_ENTRY(gdt_describe_text),
	TEST_ENTRY(gdt_ring0_twin),
	TEST_ENTRY(gdt_ring0_twin_not_conforming),
	TEST_END,
};
