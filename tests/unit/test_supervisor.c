/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for supervisor.c: IDT gates (checked against the layout of
 * Intel SDM Vol. 3A, 6.14.1, decoded here independently), the stubs in
 * guest memory, hlt RIP -> vector, exception frames on the supervisor
 * stack, and the exception names and error-code descriptions.
 */
#include <limits.h>
#include <string.h>

#include "guest_ram.h"
#include "kvmrun/abi.h"
#include "ring3/supervisor.h"
#include "test.h"

#define MIB (1ULL << 20)
#define STUBS_END (KVMRUN_STUBS_ADDR + SUP_VECTORS * SUP_STUB_SIZE)
#define IDT_END (KVMRUN_IDT_ADDR + SUP_VECTORS * 16)

/* The areas the ABI gives them do not overlap their neighbours. */
_Static_assert(STUBS_END <= KVMRUN_BOOTINFO_ADDR, "stubs end before boot info");
_Static_assert(KVMRUN_STUBS_ADDR >= KVMRUN_GDT_ADDR + 56, "stubs after the GDT");
_Static_assert(KVMRUN_TSS_ADDR >= KVMRUN_BOOTINFO_ADDR + 0x400, "TSS after boot info");
_Static_assert(KVMRUN_TSS_ADDR + 104 + 8192 + 1 <= KVMRUN_IDT_ADDR, "TSS and I/O bitmap end before the IDT");
_Static_assert(IDT_END + 64 <= KVMRUN_SUPER_STACK_TOP, "room for a frame after the IDT");
_Static_assert(KVMRUN_SUPER_STACK_TOP <= KVMRUN_STACK_GUARD, "supervisor stack below the guard");
_Static_assert(KVMRUN_IDT_ADDR % 16 == 0, "IDT 16-byte aligned");

/* A 64-bit IDT gate, field by field (SDM Vol. 3A, Figure 6-8). */
struct gate {
	uint64_t offset;
	unsigned selector, ist, zero_39_35, type, s, dpl, p, reserved_hi;
};

static void decode_gate(uint64_t lo, uint64_t hi, struct gate *g)
{
	g->offset = (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 |
		    (hi & 0xffffffff) << 32;
	g->selector = (lo >> 16) & 0xffff;
	g->ist = (lo >> 32) & 7;
	g->zero_39_35 = (lo >> 35) & 0x1f;
	g->type = (lo >> 40) & 0xf;
	g->s = (lo >> 44) & 1;
	g->dpl = (lo >> 45) & 3;
	g->p = (lo >> 47) & 1;
	g->reserved_hi = (unsigned)(hi >> 32);
}

/* The 16 bytes of a gate as they lie in memory. */
static void gate_bytes(uint64_t lo, uint64_t hi, uint8_t out[16])
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		out[i] = (uint8_t)(lo >> (8 * i));
		out[8 + i] = (uint8_t)(hi >> (8 * i));
	}
}

TEST(sup_encode_gate_known)
{
	/* Handler 0x123456789abcdef0, selector 8, IST1, DPL0:
	 * f0 de | 08 00 | 01 (IST) | 8e (P=1 DPL=0 type=e) | bc 9a | 78 56 34 12
	 * | 00 00 00 00 */
	static const uint8_t want1[16] = {
		0xf0, 0xde, 0x08, 0x00, 0x01, 0x8e, 0xbc, 0x9a,
		0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00,
	};
	/* Stub 3 at 0x740c, DPL3: attribute byte ee. */
	static const uint8_t want2[16] = {
		0x0c, 0x74, 0x08, 0x00, 0x01, 0xee, 0x00, 0x00,
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	/* All-ones handler and selector, IST7, DPL2: attribute ce, the
	 * reserved bits 39:35 and 127:96 stay zero. */
	static const uint8_t want3[16] = {
		0xff, 0xff, 0xff, 0xff, 0x07, 0xce, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	};
	uint64_t lo, hi;
	uint8_t got[16];

	supervisor_encode_gate(0x123456789abcdef0ULL, 0x08, 1, 0, &lo, &hi);
	TEST_EQ(lo, 0x9abc8e010008def0ULL);
	TEST_EQ(hi, 0x12345678);
	gate_bytes(lo, hi, got);
	TEST_CHECK(memcmp(got, want1, 16) == 0);

	supervisor_encode_gate(0x740c, KVMRUN_SEL_CODE64, SUP_IST, 3, &lo, &hi);
	TEST_EQ(lo, 0x0000ee010008740cULL);
	TEST_EQ(hi, 0);
	gate_bytes(lo, hi, got);
	TEST_CHECK(memcmp(got, want2, 16) == 0);

	supervisor_encode_gate(~0ULL, 0xffff, 7, 2, &lo, &hi);
	TEST_EQ(lo, 0xffffce07ffffffffULL);
	TEST_EQ(hi, 0xffffffff);
	gate_bytes(lo, hi, got);
	TEST_CHECK(memcmp(got, want3, 16) == 0);

	/* IST 0 (no stack switch), handler 0. */
	supervisor_encode_gate(0, 0x10, 0, 0, &lo, &hi);
	TEST_EQ(lo, 0x00008e0000100000ULL);
	TEST_EQ(hi, 0);
}

TEST(sup_encode_gate_round_trip)
{
	static const uint64_t handlers[] = {
		0, 1, 0xffff, 0x10000, 0xffffffff, 0x100000000ULL,
		0xffffffff80001234ULL, 0x00007fffdeadbeefULL,
	};
	unsigned i, ist, dpl;

	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		for (ist = 0; ist < 8; ist++)
			for (dpl = 0; dpl < 4; dpl++) {
				uint64_t lo, hi;
				struct gate g;
				uint16_t sel = (uint16_t)(0x8 * (i + 1) + dpl);

				supervisor_encode_gate(handlers[i], sel, ist, dpl, &lo, &hi);
				decode_gate(lo, hi, &g);
				TEST_CHECK_MSG(g.offset == handlers[i] &&
					       g.selector == sel && g.ist == ist &&
					       g.dpl == dpl && g.p == 1 &&
					       g.type == IDT_GATE_INTERRUPT &&
					       g.s == 0 && g.zero_39_35 == 0 &&
					       g.reserved_hi == 0,
					       "handler %#llx ist %u dpl %u",
					       (unsigned long long)handlers[i], ist, dpl);
			}
}

TEST(sup_write_to_guest_memory)
{
	struct memmap mm;
	struct error err = { "" };
	unsigned v, stray = 0;
	uint64_t a;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	memset(mm.host, 0xaa, MIB);             /* so stray writes show */
	TEST_REQUIRE(supervisor_write(&mm, &err) == 0);

	for (v = 0; v < SUP_VECTORS; v++) {
		uint64_t stub = KVMRUN_STUBS_ADDR + (uint64_t)v * SUP_STUB_SIZE;
		uint64_t lo = guest_read_u64(&mm, KVMRUN_IDT_ADDR + 16ULL * v);
		uint64_t hi = guest_read_u64(&mm, KVMRUN_IDT_ADDR + 16ULL * v + 8);
		unsigned want_dpl = (v == 3 || v == 4) ? 3 : 0;
		const uint8_t *s = mm.host + stub;
		struct gate g;

		decode_gate(lo, hi, &g);
		TEST_CHECK_MSG(g.offset == stub, "vector %u: handler %#llx", v,
			       (unsigned long long)g.offset);
		TEST_CHECK_MSG(g.selector == KVMRUN_SEL_CODE64,
			       "vector %u: selector %#x", v, g.selector);
		TEST_CHECK_MSG(g.ist == 1, "vector %u: IST %u", v, g.ist);
		TEST_CHECK_MSG(g.p == 1, "vector %u: not present", v);
		TEST_CHECK_MSG(g.type == 0xe && g.s == 0,
			       "vector %u: type %#x s %u", v, g.type, g.s);
		TEST_CHECK_MSG(g.dpl == want_dpl, "vector %u: DPL %u", v, g.dpl);
		TEST_CHECK_MSG(g.zero_39_35 == 0 && g.reserved_hi == 0,
			       "vector %u: reserved bits set", v);

		/* hlt, then a jump that lands back on the hlt. */
		TEST_CHECK_MSG(s[0] == 0xf4, "stub %u: byte 0 is %#x", v, s[0]);
		TEST_CHECK_MSG(s[1] == 0xeb && 2 + 1 + (int8_t)s[2] == 0,
			       "stub %u: %02x %02x does not jump to the hlt", v,
			       s[1], s[2]);
	}
	/* Nothing written outside the IDT and the stubs. */
	for (a = 0; a < MIB; a++) {
		if ((a >= KVMRUN_IDT_ADDR && a < IDT_END) ||
		    (a >= KVMRUN_STUBS_ADDR && a < STUBS_END))
			continue;
		if (mm.host[a] != 0xaa)
			stray++;
	}
	TEST_EQ(stray, 0);
	/* And the stub area holds no byte of the fill. */
	for (a = KVMRUN_STUBS_ADDR; a < STUBS_END; a++)
		if (mm.host[a] == 0xaa)
			stray++;
	TEST_EQ(stray, 0);
	guest_ram_free(&mm);
}

TEST(sup_write_fails_without_ram)
{
	struct memmap mm;
	struct error err = { "" };

	TEST_REQUIRE(memmap_init(&mm, MIB, &err) == 0);
	TEST_EQ(supervisor_write(&mm, &err), -1);      /* host is NULL */
	TEST_CHECK(err.msg[0] != '\0');
	TEST_EQ(supervisor_write(&mm, NULL), -1);
}

TEST(sup_vector_at_each_stub)
{
	unsigned v;

	for (v = 0; v < SUP_VECTORS; v++) {
		unsigned got = 0xdead;
		/* After the stub's hlt, RIP is one byte into the stub. */
		uint64_t rip = KVMRUN_STUBS_ADDR + (uint64_t)v * SUP_STUB_SIZE + 1;

		TEST_CHECK_MSG(supervisor_vector_at(rip, &got) && got == v,
			       "rip %#llx: vector %u, want %u",
			       (unsigned long long)rip, got, v);
	}
}

TEST(sup_vector_at_outside_stubs)
{
	static const uint64_t rips[] = {
		0, 1, KVMRUN_STUBS_ADDR - 1,
		KVMRUN_STUBS_ADDR,              /* the stub area's base itself */
		STUBS_END + 1, STUBS_END + 4, STUBS_END + 5,
		KVMRUN_IDT_ADDR, KVMRUN_IDT_ADDR + 1, KVMRUN_DEFAULT_LOAD + 1,
		KVMRUN_STUBS_ADDR + 1 + (1ULL << 32), ~0ULL, ~0ULL - 1,
	};
	unsigned i;

	for (i = 0; i < sizeof(rips) / sizeof(rips[0]); i++) {
		unsigned got = 0xdead;

		TEST_CHECK_MSG(!supervisor_vector_at(rips[i], &got),
			       "rip %#llx gave vector %u",
			       (unsigned long long)rips[i], got);
		TEST_CHECK_MSG(got == 0xdead, "rip %#llx: vector written",
			       (unsigned long long)rips[i]);
	}
}

/*
 * A stub is hlt; jmp; nop, so a hlt exit in a stub always has RIP = stub
 * base + 1.  Any other RIP in or just past the area comes from a hlt that
 * is not a stub's (the guest wrote code there), and is no exception.  In
 * particular STUBS_END, the first byte past the area, lies in no stub
 * (supervisor.h: "If a hlt exit's RIP lies in a stub").
 */
TEST(sup_vector_at_only_after_a_stub_hlt)
{
	unsigned v, got, wrong = 0;

	got = 0xdead;
	TEST_CHECK_MSG(!supervisor_vector_at(STUBS_END, &got),
		       "rip %#x (past the last stub) gave vector %u",
		       STUBS_END, got);
	for (v = 0; v < SUP_VECTORS; v++) {
		uint64_t stub = KVMRUN_STUBS_ADDR + (uint64_t)v * SUP_STUB_SIZE;
		unsigned off;

		/* stub + 2, + 3: inside stub v; stub + 4: the next one's base. */
		for (off = 2; off <= SUP_STUB_SIZE; off++)
			if (supervisor_vector_at(stub + off, &got))
				wrong++;
	}
	TEST_CHECK_MSG(wrong == 0, "%u of %u RIPs that follow no stub hlt map "
		       "to a vector", wrong, SUP_VECTORS * (SUP_STUB_SIZE - 1));
}

/* Push a frame as the CPU does at IST1: the top word is SS. */
static uint64_t push_frame(const struct memmap *mm, bool ec, const uint64_t w[6])
{
	uint64_t rsp = KVMRUN_SUPER_STACK_TOP - (ec ? 48 : 40);
	unsigned i, n = ec ? 6 : 5;

	/* Guard words below and above, so an off-by-one word shows. */
	guest_write_u64(mm, rsp - 8, 0x5151515151515151ULL);
	for (i = 0; i < n; i++)
		guest_write_u64(mm, rsp + 8 * i, w[ec ? i : i + 1]);
	return rsp;
}

TEST(sup_read_frame_with_error_code)
{
	static const unsigned vectors[] = { 13, 14, 8, 10, 11, 12, 17, 21 };
	struct memmap mm;
	unsigned i;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const uint64_t w[6] = {
			0x10 + i, 0x10023 + i, 0x33, 0x10202 + i,
			0xfff8 - 8 * i, 0x2b,
		};
		uint64_t rsp = push_frame(&mm, true, w);
		struct exc_frame f;

		memset(&f, 0x77, sizeof(f));
		TEST_REQUIRE(supervisor_read_frame(&mm, rsp, vectors[i], &f) == 0);
		TEST_EQ(f.vector, vectors[i]);
		TEST_EQ(f.has_error_code, true);
		TEST_EQ(f.error_code, w[0]);
		TEST_EQ(f.rip, w[1]);
		TEST_EQ(f.cs, w[2]);
		TEST_EQ(f.rflags, w[3]);
		TEST_EQ(f.rsp, w[4]);
		TEST_EQ(f.ss, w[5]);
	}
	guest_ram_free(&mm);
}

TEST(sup_read_frame_without_error_code)
{
	static const unsigned vectors[] = { 0, 6, 3, 1, 4, 7, 16, 19, 32, 255 };
	struct memmap mm;
	unsigned i;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const uint64_t w[6] = {
			0, 0x401000 + i, 0x33, 0x246 + i, 0x7ff0 - 8 * i, 0x2b,
		};
		uint64_t rsp = push_frame(&mm, false, w);
		struct exc_frame f;

		memset(&f, 0x77, sizeof(f));
		TEST_REQUIRE(supervisor_read_frame(&mm, rsp, vectors[i], &f) == 0);
		TEST_EQ(f.vector, vectors[i]);
		TEST_EQ(f.has_error_code, false);
		TEST_EQ(f.error_code, 0);
		TEST_EQ(f.rip, w[1]);
		TEST_EQ(f.cs, w[2]);
		TEST_EQ(f.rflags, w[3]);
		TEST_EQ(f.rsp, w[4]);
		TEST_EQ(f.ss, w[5]);
	}
	guest_ram_free(&mm);
}

TEST(sup_read_frame_outside_ram)
{
	struct memmap mm;
	struct exc_frame f;

	TEST_REQUIRE(guest_ram_init(&mm, MIB) == 0);
	TEST_EQ(supervisor_read_frame(&mm, 2 * MIB, 13, &f), -1);
	TEST_EQ(supervisor_read_frame(&mm, 2 * MIB, 0, &f), -1);
	TEST_EQ(supervisor_read_frame(&mm, KVMRUN_MMIO_WINDOW, 6, &f), -1);
	TEST_EQ(supervisor_read_frame(&mm, ~0ULL - 8, 14, &f), -1);   /* wraps */
	TEST_EQ(supervisor_read_frame(&mm, ~0ULL - 8, 3, &f), -1);
	/* Straddling the end of RAM: 40 bytes fit, 48 do not. */
	TEST_EQ(supervisor_read_frame(&mm, MIB - 40, 0, &f), 0);
	TEST_EQ(supervisor_read_frame(&mm, MIB - 40, 13, &f), -1);
	TEST_EQ(supervisor_read_frame(&mm, MIB - 48, 13, &f), 0);
	TEST_EQ(supervisor_read_frame(&mm, MIB - 39, 0, &f), -1);
	guest_ram_free(&mm);

	/* No host memory at all. */
	{
		struct error err;

		TEST_REQUIRE(memmap_init(&mm, MIB, &err) == 0);
		TEST_EQ(supervisor_read_frame(&mm, KVMRUN_SUPER_STACK_TOP - 48, 13, &f), -1);
	}
}

TEST(exc_has_error_code_table)
{
	/* SDM Vol. 3A Table 6-1, plus #VC (29) and #SX (30). */
	static const bool want[32] = {
		[8] = true, [10] = true, [11] = true, [12] = true, [13] = true,
		[14] = true, [17] = true, [21] = true, [29] = true, [30] = true,
	};
	unsigned v;

	for (v = 0; v < 32; v++)
		TEST_CHECK_MSG(supervisor_has_error_code(v) == want[v], "vector %u", v);
	TEST_CHECK(!supervisor_has_error_code(32));
	TEST_CHECK(!supervisor_has_error_code(0x80));
	TEST_CHECK(!supervisor_has_error_code(255));
	TEST_CHECK(!supervisor_has_error_code(256 + 13));
	TEST_CHECK(!supervisor_has_error_code(UINT_MAX));
}

TEST(exc_names)
{
	unsigned v;

	TEST_STREQ(supervisor_exc_mnemonic(0), "#DE");
	TEST_STREQ(supervisor_exc_name(0), "divide error");
	TEST_STREQ(supervisor_exc_mnemonic(6), "#UD");
	TEST_STREQ(supervisor_exc_name(6), "invalid opcode");
	TEST_STREQ(supervisor_exc_mnemonic(13), "#GP");
	TEST_STREQ(supervisor_exc_name(13), "general protection fault");
	TEST_STREQ(supervisor_exc_mnemonic(14), "#PF");
	TEST_STREQ(supervisor_exc_name(14), "page fault");
	TEST_STREQ(supervisor_exc_mnemonic(8), "#DF");
	TEST_STREQ(supervisor_exc_mnemonic(2), "NMI");
	TEST_STREQ(supervisor_exc_mnemonic(21), "#CP");
	/* Reserved vectors. */
	TEST_STREQ(supervisor_exc_mnemonic(15), "reserved");
	TEST_STREQ(supervisor_exc_name(15), "reserved vector");
	TEST_STREQ(supervisor_exc_mnemonic(22), "reserved");
	TEST_STREQ(supervisor_exc_name(22), "reserved vector");
	TEST_STREQ(supervisor_exc_mnemonic(31), "reserved");
	/* Interrupts. */
	TEST_STREQ(supervisor_exc_mnemonic(32), "interrupt");
	TEST_STREQ(supervisor_exc_name(32), "external or software interrupt");
	TEST_STREQ(supervisor_exc_mnemonic(255), "interrupt");
	TEST_STREQ(supervisor_exc_mnemonic(UINT_MAX), "interrupt");
	TEST_STREQ(supervisor_exc_name(UINT_MAX), "external or software interrupt");
	/* Every vector has a non-empty name. */
	for (v = 0; v < 256; v++)
		TEST_CHECK_MSG(supervisor_exc_mnemonic(v) && supervisor_exc_mnemonic(v)[0] &&
			       supervisor_exc_name(v) && supervisor_exc_name(v)[0], "vector %u", v);
}

TEST(exc_describe_pf_text)
{
	char buf[160];

	supervisor_describe_pf(0, buf, sizeof(buf));
	TEST_STREQ(buf, "read, supervisor mode, page not present");
	supervisor_describe_pf(PF_ERR_W, buf, sizeof(buf));
	TEST_STREQ(buf, "write, supervisor mode, page not present");
	TEST_CONTAINS(buf, "write");
	TEST_CONTAINS(buf, "supervisor mode");
	TEST_CONTAINS(buf, "page not present");
	supervisor_describe_pf(0x15, buf, sizeof(buf));  /* I | U | P */
	TEST_STREQ(buf, "instruction fetch, user mode, protection violation");
	supervisor_describe_pf(PF_ERR_P | PF_ERR_W | PF_ERR_U, buf, sizeof(buf));
	TEST_STREQ(buf, "write, user mode, protection violation");
	supervisor_describe_pf(PF_ERR_U, buf, sizeof(buf));
	TEST_STREQ(buf, "read, user mode, page not present");
	supervisor_describe_pf(PF_ERR_P | PF_ERR_RSVD, buf, sizeof(buf));
	TEST_STREQ(buf, "read, supervisor mode, protection violation, "
		   "reserved bit set");
	supervisor_describe_pf(PF_ERR_P | PF_ERR_U | PF_ERR_W | PF_ERR_PK, buf,
			sizeof(buf));
	TEST_STREQ(buf, "write, user mode, protection violation, protection key");
	supervisor_describe_pf(0x3f, buf, sizeof(buf));
	TEST_CONTAINS(buf, "instruction fetch");
	TEST_CONTAINS(buf, "reserved bit set");
	TEST_CONTAINS(buf, "protection key");
	/* A short buffer is truncated and terminated. */
	memset(buf, 'x', sizeof(buf));
	supervisor_describe_pf(PF_ERR_W, buf, 6);
	TEST_STREQ(buf, "write");
	TEST_EQ(buf[6], 'x');
}

TEST(exc_describe_selector_text)
{
	char buf[160];

	supervisor_describe_selector(0, buf, sizeof(buf));
	TEST_STREQ(buf, "error code 0");
	supervisor_describe_selector(0x10, buf, sizeof(buf));      /* GDT */
	TEST_STREQ(buf, "error code 0x10: selector 0x10 in the GDT");
	supervisor_describe_selector(0x11, buf, sizeof(buf));      /* EXT */
	TEST_CONTAINS(buf, "selector 0x10 in the GDT");
	TEST_CONTAINS(buf, "external event");
	supervisor_describe_selector(0x14, buf, sizeof(buf));      /* TI: LDT */
	TEST_STREQ(buf, "error code 0x14: selector 0x10 in the LDT");
	supervisor_describe_selector(0x2c, buf, sizeof(buf));
	TEST_CONTAINS(buf, "selector 0x28 in the LDT");
	supervisor_describe_selector(0x402, buf, sizeof(buf));     /* IDT, vector 0x80 */
	TEST_STREQ(buf, "error code 0x402: IDT vector 128");
	supervisor_describe_selector(0x6a, buf, sizeof(buf));      /* IDT + TI: still IDT */
	TEST_STREQ(buf, "error code 0x6a: IDT vector 13");
	supervisor_describe_selector(0x403, buf, sizeof(buf));
	TEST_CONTAINS(buf, "IDT vector 128");
	TEST_CONTAINS(buf, "external event");
	supervisor_describe_selector(0xfff8, buf, sizeof(buf));
	TEST_CONTAINS(buf, "selector 0xfff8 in the GDT");
	supervisor_describe_selector(0x7fa, buf, sizeof(buf));     /* vector 255 */
	TEST_CONTAINS(buf, "IDT vector 255");
}

const struct test tests_supervisor[] = {
	TEST_ENTRY(sup_encode_gate_known),
	TEST_ENTRY(sup_encode_gate_round_trip),
	TEST_ENTRY(sup_write_to_guest_memory),
	TEST_ENTRY(sup_write_fails_without_ram),
	TEST_ENTRY(sup_vector_at_each_stub),
	TEST_ENTRY(sup_vector_at_outside_stubs),
	TEST_ENTRY(sup_vector_at_only_after_a_stub_hlt),
	TEST_ENTRY(sup_read_frame_with_error_code),
	TEST_ENTRY(sup_read_frame_without_error_code),
	TEST_ENTRY(sup_read_frame_outside_ram),
	TEST_ENTRY(exc_has_error_code_table),
	TEST_ENTRY(exc_names),
	TEST_ENTRY(exc_describe_pf_text),
	TEST_ENTRY(exc_describe_selector_text),
	TEST_END,
};
