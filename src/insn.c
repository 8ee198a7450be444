/* SPDX-License-Identifier: MIT */
/*
 * Opcodes from the Intel SDM Vol. 2 (opcode map, Appendix A) and the list
 * of privileged instructions in Vol. 3A, 5.9.
 */
#include "insn.h"

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

void insn_classify(const uint8_t *code, unsigned len, struct insn_info *info)
{
	const uint8_t *p = code, *end = code + len;
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
	while (p < end && info->len < 15 && (is_legacy_prefix(*p) || (*p & 0xf0) == 0x40)) {
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
	case 0xfa: set(info, INSN_PRIVILEGED, "cli"); break;
	case 0xfb: set(info, INSN_PRIVILEGED, "sti"); break;
	case 0xcf: set(info, INSN_SEGMENT, "iret"); break;
	case 0xca:
	case 0xcb: set(info, INSN_SEGMENT, "far ret"); break;
	case 0x8e: set(info, INSN_SEGMENT, "mov to segment register"); break;
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

unsigned insn_branch_len(const uint8_t *code, unsigned len)
{
	unsigned i = 0, imm;
	bool opsize = false;

	while (i < len && i < 14 && is_legacy_prefix(code[i]))
		opsize |= code[i++] == 0x66;
	if (i < len && (code[i] & 0xf0) == 0x40)
		i++;
	if (i >= len)
		return 0;
	switch (code[i]) {
	case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75:
	case 0x76: case 0x77: case 0x78: case 0x79: case 0x7a: case 0x7b:
	case 0x7c: case 0x7d: case 0x7e: case 0x7f:
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xeb:
		imm = 1;
		break;
	case 0xe8: case 0xe9:
		imm = opsize ? 2 : 4;
		break;
	case 0xc3: case 0xcb:
		imm = 0;
		break;
	case 0xc2: case 0xca:
		imm = 2;
		break;
	case 0x0f:
		if (i + 1 < len && (code[i + 1] & 0xf0) == 0x80) {
			i++;
			imm = opsize ? 2 : 4;
			break;
		}
		return 0;
	default:
		return 0;
	}
	return i + 1 + imm <= len ? i + 1 + imm : 0;
}
