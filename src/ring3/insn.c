/* SPDX-License-Identifier: MIT */
/*
 * Opcodes from the Intel SDM Vol. 2 (opcode map, Appendix A) and the list
 * of privileged instructions in Vol. 3A, 5.9.
 */
#include "ring3/insn.h"

#include <stddef.h>

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
		return true;
	}
	return false;
}

static void set(struct insn_info *info, enum insn_class cls, const char *name)
{
	info->cls = cls;
	info->name = name;
}

/* 0f 00 /r and 0f 01 /r: the descriptor-table group (SDM Table A-6). */
static void group_0f00(uint8_t modrm, struct insn_info *info)
{
	switch ((modrm >> 3) & 7) {
	case 2: set(info, INSN_PRIVILEGED, "lldt"); break;
	case 3: set(info, INSN_PRIVILEGED, "ltr"); break;
	}
}

static void group_0f01(uint8_t modrm, struct insn_info *info)
{
	static const struct { uint8_t modrm; const char *name; } reg_forms[] = {
		{ 0xc8, "monitor" }, { 0xc9, "mwait" }, { 0xca, "clac" },
		{ 0xcb, "stac" }, { 0xd1, "xsetbv" }, { 0xf8, "swapgs" },
		{ 0xc1, "vmcall" }, { 0xd9, "vmmcall" },
	};
	unsigned i;

	if ((modrm & 0xc0) == 0xc0) {
		for (i = 0; i < sizeof(reg_forms) / sizeof(reg_forms[0]); i++)
			if (reg_forms[i].modrm == modrm)
				set(info, INSN_PRIVILEGED, reg_forms[i].name);
		/* lmsw takes r/m16: its register form is privileged too. */
		if (((modrm >> 3) & 7) == 6)
			set(info, INSN_PRIVILEGED, "lmsw");
		return;
	}
	switch ((modrm >> 3) & 7) {
	case 2: set(info, INSN_PRIVILEGED, "lgdt"); break;
	case 3: set(info, INSN_PRIVILEGED, "lidt"); break;
	case 6: set(info, INSN_PRIVILEGED, "lmsw"); break;
	case 7: set(info, INSN_PRIVILEGED, "invlpg"); break;
	}
}

static void two_byte(const uint8_t *p, const uint8_t *end, struct insn_info *info)
{
	uint8_t op;

	if (p >= end)
		return;
	op = *p++;
	info->len++;
	switch (op) {
	case 0x00:
	case 0x01:
		if (p >= end)
			return;
		info->len++;
		if (op == 0x00)
			group_0f00(*p, info);
		else
			group_0f01(*p, info);
		return;
	case 0x06: set(info, INSN_PRIVILEGED, "clts"); return;
	case 0x07: set(info, INSN_PRIVILEGED, "sysret"); return;
	case 0x08: set(info, INSN_PRIVILEGED, "invd"); return;
	case 0x09: set(info, INSN_PRIVILEGED, "wbinvd"); return;
	case 0x20: set(info, INSN_PRIVILEGED, "mov from cr"); return;
	case 0x21: set(info, INSN_PRIVILEGED, "mov from dr"); return;
	case 0x22: set(info, INSN_PRIVILEGED, "mov to cr"); return;
	case 0x23: set(info, INSN_PRIVILEGED, "mov to dr"); return;
	case 0x30: set(info, INSN_PRIVILEGED, "wrmsr"); return;
	case 0x32: set(info, INSN_PRIVILEGED, "rdmsr"); return;
	case 0x33: set(info, INSN_PRIVILEGED, "rdpmc"); return;
	case 0x35: set(info, INSN_PRIVILEGED, "sysexit"); return;
	case 0xa1: set(info, INSN_SEGMENT, "pop fs"); return;
	case 0xa9: set(info, INSN_SEGMENT, "pop gs"); return;
	case 0xb2: set(info, INSN_SEGMENT, "lss"); return;
	case 0xb4: set(info, INSN_SEGMENT, "lfs"); return;
	case 0xb5: set(info, INSN_SEGMENT, "lgs"); return;
	}
}

bool insn_is_port_io(const struct insn_info *info)
{
	uint8_t op = info->opcode;

	return !info->two_byte && info->cls == INSN_PRIVILEGED &&
	       ((op >= 0xe4 && op <= 0xe7) || (op >= 0xec && op <= 0xef) ||
		(op >= 0x6c && op <= 0x6f));
}

void insn_classify(const uint8_t *code, unsigned len, unsigned mode_bits,
		   struct insn_info *info)
{
	const uint8_t *p = code, *end = code + len;
	bool x64 = mode_bits == 64;
	uint8_t op;

	info->cls = INSN_OTHER;
	info->name = "?";
	info->len = 0;
	info->opcode = 0;
	info->two_byte = false;
	/*
	 * Legacy prefixes and REX bytes, in any mix: a REX that a legacy
	 * prefix follows is ignored by the CPU, but it is still a byte of the
	 * instruction.  An instruction is at most 15 bytes.
	 */
	while (p < end && info->len < 15 &&
	       (is_legacy_prefix(*p) || (x64 && (*p & 0xf0) == 0x40))) {
		p++;
		info->len++;
	}
	if (p >= end || info->len >= 15)
		return;
	op = *p++;
	info->len++;
	info->opcode = op;
	switch (op) {
	case 0x0f:
		info->two_byte = true;
		info->opcode = p < end ? *p : 0;
		two_byte(p, end, info);
		break;
	case 0xf4: set(info, INSN_HLT, "hlt"); break;
	/* IOPL-sensitive (SDM Vol. 1, 19.5.1): at CPL3 the TSS's I/O bitmap
	 * decides, and may say no; at CPL0 they always run. */
	case 0xe4: case 0xe5: case 0xec: case 0xed:
		set(info, INSN_PRIVILEGED, "in"); break;
	case 0xe6: case 0xe7: case 0xee: case 0xef:
		set(info, INSN_PRIVILEGED, "out"); break;
	case 0x6c: case 0x6d: set(info, INSN_PRIVILEGED, "ins"); break;
	case 0x6e: case 0x6f: set(info, INSN_PRIVILEGED, "outs"); break;
	case 0xfa: set(info, INSN_PRIVILEGED, "cli"); break;
	case 0xfb: set(info, INSN_PRIVILEGED, "sti"); break;
	case 0xcf: set(info, INSN_SEGMENT, "iret"); break;
	case 0xca:
	case 0xcb: set(info, INSN_SEGMENT, "far ret"); break;
	case 0x8e: set(info, INSN_SEGMENT, "mov to segment register"); break;
	/* Outside 64-bit code, where these opcodes are invalid or VEX. */
	case 0x07: if (!x64) set(info, INSN_SEGMENT, "pop es"); break;
	case 0x17: if (!x64) set(info, INSN_SEGMENT, "pop ss"); break;
	case 0x1f: if (!x64) set(info, INSN_SEGMENT, "pop ds"); break;
	case 0x9a: if (!x64) set(info, INSN_SEGMENT, "far call"); break;
	case 0xea: if (!x64) set(info, INSN_SEGMENT, "far jmp"); break;
	case 0xc4: case 0xc5:
		/* les, lds: a memory operand (mod 11 would make it VEX). */
		if (!x64 && p < end && (*p >> 6) != 3) {
			info->len++;
			set(info, INSN_SEGMENT, op == 0xc4 ? "les" : "lds");
		}
		break;
	case 0xff:
		if (p < end) {
			unsigned reg = (*p >> 3) & 7;

			info->len++;            /* the ModRM byte, as for 0f 01 */
			if (reg == 3)
				set(info, INSN_SEGMENT, "far call");
			else if (reg == 5)
				set(info, INSN_SEGMENT, "far jmp");
		}
		break;
	}
	/* Longer than 15 bytes: the CPU raises #GP, whatever it would be. */
	if (info->len > 15) {
		info->cls = INSN_OTHER;
		info->name = "?";
		info->len = 15;
	}
}

/*
 * ---- Instruction length (SDM Vol. 2, chapter 2 and Appendix A) ----------
 *
 * An instruction is: legacy prefixes, REX (64-bit mode), an opcode of one
 * to three bytes (or a VEX, EVEX or XOP prefix and one opcode byte), a
 * ModRM byte with SIB and displacement when the opcode has one, and an
 * immediate.  The tables say, per opcode, whether a ModRM byte follows
 * and what immediate: that and the operand and address sizes give the
 * length.  Nothing else about the instruction is decoded.
 */

/* Per-opcode operand forms. */
enum {
	F_NONE  = 0,
	F_MODRM = 1 << 0,       /* a ModRM byte follows */
	F_IB    = 1 << 1,       /* 8-bit immediate or relative offset */
	F_IW    = 1 << 2,       /* 16-bit immediate */
	F_IZ    = 1 << 3,       /* 16 or 32 bits by operand size */
	F_IV    = 1 << 4,       /* 16, 32 or 64 bits by operand size (mov r, imm) */
	F_JZ    = 1 << 5,       /* near branch: 32 bits (16 with 66h outside 64-bit) */
	F_MOFFS = 1 << 6,       /* address-sized offset (mov al, [moffs]) */
	F_FAR   = 1 << 7,       /* ptr16:16/32 (not in 64-bit mode) */
	F_GRP3  = 1 << 8,       /* F6/F7: an immediate only for /0 and /1 (test) */
	F_BAD64 = 1 << 9,       /* invalid in 64-bit mode */
	F_PREFIX = 1 << 10,     /* not an opcode: handled before the table */
	F_ESC   = 1 << 11,      /* 0F: the two-byte map */
	F_MODRM_REG = 1 << 12,  /* ModRM always a register form: no SIB, no disp */
};

#define R4(f)   f, f, f, f
#define R8(f)   R4(f), R4(f)
#define R16(f)  R8(f), R8(f)
/* The eight ALU rows (add, or, adc, sbb, and, sub, xor, cmp): four ModRM
 * forms, then al/eAX with an immediate. */
#define ALU     F_MODRM, F_MODRM, F_MODRM, F_MODRM, F_IB, F_IZ

static const uint16_t map_one_byte[] = {
	/* 00 */ ALU, F_BAD64, F_BAD64, ALU, F_BAD64, F_ESC,
	/* 10 */ ALU, F_BAD64, F_BAD64, ALU, F_BAD64, F_BAD64,
	/* 20 */ ALU, F_PREFIX, F_BAD64, ALU, F_PREFIX, F_BAD64,
	/* 30 */ ALU, F_PREFIX, F_BAD64, ALU, F_PREFIX, F_BAD64,
	/* 40 */ R16(F_NONE),                      /* REX in 64-bit mode */
	/* 50 */ R16(F_NONE),
	/* 60 */ F_BAD64, F_BAD64, F_MODRM | F_BAD64, F_MODRM,
		 F_PREFIX, F_PREFIX, F_PREFIX, F_PREFIX,
		 F_IZ, F_MODRM | F_IZ, F_IB, F_MODRM | F_IB, R4(F_NONE),
	/* 70 */ R16(F_IB),
	/* 80 */ F_MODRM | F_IB, F_MODRM | F_IZ, F_MODRM | F_IB | F_BAD64,
		 F_MODRM | F_IB, R4(F_MODRM), R8(F_MODRM),
	/* 90 */ R8(F_NONE), F_NONE, F_NONE, F_FAR | F_BAD64, F_NONE, R4(F_NONE),
	/* A0 */ R4(F_MOFFS), R4(F_NONE), F_IB, F_IZ, F_NONE, F_NONE, R4(F_NONE),
	/* B0 */ R8(F_IB), R8(F_IV),
	/* C0 */ F_MODRM | F_IB, F_MODRM | F_IB, F_IW, F_NONE,
		 F_MODRM | F_BAD64, F_MODRM | F_BAD64,  /* VEX in 64-bit mode */
		 F_MODRM | F_IB, F_MODRM | F_IZ, F_IW | F_IB, F_NONE, F_IW, F_NONE,
		 F_NONE, F_IB, F_BAD64, F_NONE,
	/* D0 */ R4(F_MODRM), F_IB | F_BAD64, F_IB | F_BAD64, F_BAD64, F_NONE,
		 R8(F_MODRM),                       /* x87 */
	/* E0 */ R4(F_IB), R4(F_IB), F_JZ, F_JZ, F_FAR | F_BAD64, F_IB, R4(F_NONE),
	/* F0 */ F_PREFIX, F_NONE, F_PREFIX, F_PREFIX, F_NONE, F_NONE,
		 F_MODRM | F_GRP3, F_MODRM | F_GRP3, R4(F_NONE), F_NONE, F_NONE,
		 F_MODRM, F_MODRM,
};

static const uint16_t map_0f[] = {
	/* 00 */ R4(F_MODRM), F_NONE, F_NONE, F_NONE, F_NONE,
		 F_NONE, F_NONE, F_NONE, F_NONE, F_NONE, F_MODRM, F_NONE,
		 F_MODRM | F_IB,                    /* 3DNow!: the suffix */
	/* 10 */ R16(F_MODRM),
	/* 20 */ R16(F_MODRM),
	/* 30 */ R8(F_NONE), F_ESC, F_NONE, F_ESC, F_NONE, R4(F_NONE),
	/* 40 */ R16(F_MODRM),
	/* 50 */ R16(F_MODRM),
	/* 60 */ R16(F_MODRM),
	/* 70 */ R4(F_MODRM | F_IB), F_MODRM, F_MODRM, F_MODRM, F_NONE, R8(F_MODRM),
	/* 80 */ R16(F_JZ),
	/* 90 */ R16(F_MODRM),
	/* A0 */ F_NONE, F_NONE, F_NONE, F_MODRM, F_MODRM | F_IB, F_MODRM, F_NONE,
		 F_NONE, F_NONE, F_NONE, F_NONE, F_MODRM, F_MODRM | F_IB, F_MODRM,
		 F_MODRM, F_MODRM,
	/* B0 */ R8(F_MODRM), F_MODRM, F_MODRM, F_MODRM | F_IB, F_MODRM, R4(F_MODRM),
	/* C0 */ F_MODRM, F_MODRM, F_MODRM | F_IB, F_MODRM, F_MODRM | F_IB,
		 F_MODRM | F_IB, F_MODRM | F_IB, F_MODRM, R8(F_NONE),
	/* D0 */ R16(F_MODRM),
	/* E0 */ R16(F_MODRM),
	/* F0 */ R16(F_MODRM),
};

_Static_assert(sizeof(map_one_byte) / sizeof(map_one_byte[0]) == 256, "one-byte map");
_Static_assert(sizeof(map_0f) / sizeof(map_0f[0]) == 256, "0F map");

/* The opcodes of the VEX/EVEX 0F map that take an 8-bit immediate. */
static bool vex_map1_imm8(uint8_t op)
{
	return (op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6);
}

/* Bytes of ModRM, SIB and displacement at p (0 if cut short). */
static unsigned modrm_len(const uint8_t *p, const uint8_t *end, unsigned addr_bits)
{
	uint8_t modrm, mod, rm;
	unsigned n = 1;

	if (p >= end)
		return 0;
	modrm = *p;
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return 1;
	if (addr_bits == 16) {
		/* No SIB; [disp16] when mod 0, rm 6 (SDM Table 2-1). */
		if (mod == 1)
			return 2;
		if (mod == 2 || rm == 6)
			return mod == 2 || mod == 0 ? 3 : 0;
		return 1;
	}
	if (rm == 4) {          /* a SIB byte follows (Table 2-3) */
		if (p + 1 >= end)
			return 0;
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			return n + 4;   /* no base: disp32 */
	}
	if (mod == 1)
		return n + 1;
	if (mod == 2 || (mod == 0 && rm == 5))
		return n + 4;   /* disp32 (RIP-relative in 64-bit mode) */
	return n;
}

unsigned insn_length(const uint8_t *code, unsigned avail, unsigned mode_bits)
{
	const uint8_t *p = code, *end = code + (avail < 15 ? avail : 15);
	unsigned opsize = mode_bits == 16 ? 16 : 32, addr = mode_bits;
	bool rex_w = false, x64 = mode_bits == 64;
	unsigned form, imm = 0, n;
	uint8_t last_simd = 0;          /* the last of 66, F2, F3 */
	uint8_t op;

	/* Legacy prefixes, then REX: only REX right before the opcode counts
	 * (SDM 2.2.1), but any REX byte is a byte of the instruction. */
	for (; p < end; p++) {
		if (*p == 0x66 || *p == 0xf2 || *p == 0xf3)
			last_simd = *p;
		if (*p == 0x66)
			opsize = mode_bits == 16 ? 32 : 16;
		else if (*p == 0x67)
			addr = mode_bits == 32 ? 16 : 32;
		else if (x64 && (*p & 0xf0) == 0x40)
			rex_w = (*p & 8) != 0;
		else if (!is_legacy_prefix(*p))
			break;
		if (x64 && (*p & 0xf0) != 0x40)
			rex_w = false;  /* a legacy prefix after REX cancels it */
	}
	if (p >= end)
		return 0;
	if (rex_w)
		opsize = 64;
	op = *p++;

	/* VEX (C4, C5), EVEX (62) and XOP (8F): outside 64-bit mode only when
	 * the next byte's top bits are 11 (else they are les, lds, bound). */
	if ((op == 0xc4 || op == 0xc5 || op == 0x62 ||
	     (op == 0x8f && p < end && (*p & 0x1f) >= 8)) &&
	    p < end && (x64 || op == 0x8f || (*p & 0xc0) == 0xc0)) {
		bool evex = op == 0x62, xop = op == 0x8f;
		unsigned map;

		if (op == 0xc5) {
			map = 1;
			p += 1;
		} else if (op == 0x62) {
			if (end - p < 3)
				return 0;
			map = p[0] & 7;
			p += 3;
		} else {
			if (end - p < 2)
				return 0;
			map = p[0] & 0x1f;
			p += 2;
		}
		if (p >= end)
			return 0;
		op = *p++;
		if (op == 0x77 && map == 1 && !evex && !xop)
			return (unsigned)(p - code);    /* vzeroupper/vzeroall */
		n = modrm_len(p, end, addr);
		if (!n)
			return 0;
		p += n;
		if (xop)
			imm = map == 8 ? 1 : map == 0xa ? 4 : 0;
		else if (map == 3 || (map == 1 && vex_map1_imm8(op)))
			imm = 1;        /* the 0F3A map, and a few 0F ones */
		return p + imm <= end ? (unsigned)(p - code) + imm : 0;
	}

	form = map_one_byte[op];
	if (form & F_ESC) {
		if (p >= end)
			return 0;
		op = *p++;
		if (op == 0x38 || op == 0x3a) {
			if (p >= end)
				return 0;
			form = F_MODRM | (op == 0x3a ? F_IB : 0);
			p++;
		} else {
			form = map_0f[op];
			/* mov to/from CR, DR, TR: the CPU takes ModRM as a
			 * register form whatever its mod (SDM Vol. 2, MOV). */
			if (op >= 0x20 && op <= 0x27)
				form |= F_MODRM_REG;
			/* AMD's SSE4a extrq/insertq: 66/F2 0F 78 ib ib. */
			if (op == 0x78 && (last_simd == 0x66 || last_simd == 0xf2))
				form |= F_IW;
		}
	} else if (x64 && (form & F_BAD64)) {
		return 0;
	}
	if (form & F_MODRM) {
		if (p >= end)
			return 0;
		if ((form & F_GRP3) && ((*p >> 3) & 7) < 2)
			form |= op == 0xf6 ? F_IB : F_IZ;
		n = form & F_MODRM_REG ? 1 : modrm_len(p, end, addr);
		if (!n)
			return 0;
		p += n;
	}
	if (form & F_IB)
		imm += 1;
	if (form & F_IW)
		imm += 2;
	if (form & F_IZ)
		imm += opsize == 16 ? 2 : 4;
	if (form & F_IV)
		imm += opsize == 64 ? 8 : opsize == 16 ? 2 : 4;
	if (form & F_JZ)
		imm += opsize == 16 && !x64 ? 2 : 4;    /* 64-bit: rel32 (Intel) */
	if (form & F_MOFFS)
		imm += addr / 8;
	if (form & F_FAR)
		imm += 2 + (opsize == 16 ? 2 : 4);
	return p + imm <= end ? (unsigned)(p - code) + imm : 0;
}
