/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for insn.c: instructions classified from their bytes.  Every
 * encoding below was produced by GNU as and checked with objdump -d.
 *
 * Each byte string is copied to the very end of a heap buffer of exactly
 * its size, so under ASan (make SANITIZE=1) any read past code[len - 1] is
 * caught, and every case is also classified truncated to each shorter length.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ring3/insn.h"
#include "test.h"

#define NO_LEN  (~0u)   /* len not checked (see insn_far_jmp_call_len) */

struct insn_case {
	const char *text;       /* what objdump printed */
	uint8_t bytes[15];
	unsigned n;
	enum insn_class cls;
	const char *name;
	unsigned len;           /* prefix + opcode bytes examined */
};

#define B(...)  { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })

/* Classify bytes placed at the very end of a malloc'd buffer. */
static void classify_tight(const uint8_t *bytes, unsigned n,
			   struct insn_info *info)
{
	uint8_t *buf = malloc(n ? n : 1);
	uint8_t *code;

	if (!buf) {
		test_fail(__FILE__, __LINE__, "malloc(%u)", n);
		return;
	}
	code = buf + (n ? 0 : 1);       /* len 0: a pointer just past the end */
	memcpy(code, bytes, n);
	/* Garbage, so that a field left unset shows. */
	info->cls = (enum insn_class)0x55;
	info->name = NULL;
	info->len = 0xdead;
	insn_classify(code, n, 64, info);
	free(buf);
}

static const char *class_name(enum insn_class c)
{
	switch (c) {
	case INSN_OTHER: return "OTHER";
	case INSN_HLT: return "HLT";
	case INSN_PRIVILEGED: return "PRIVILEGED";
	case INSN_SEGMENT: return "SEGMENT";
	}
	return "(bad class)";
}

/* Check one case whole, then every truncation of it. */
static void check_case(const struct insn_case *c)
{
	struct insn_info info;
	unsigned k;

	classify_tight(c->bytes, c->n, &info);
	TEST_CHECK_MSG(info.cls == c->cls, "%s: class %s, want %s", c->text,
		       class_name(info.cls), class_name(c->cls));
	TEST_CHECK_MSG(info.name && strcmp(info.name, c->name) == 0,
		       "%s: name \"%s\", want \"%s\"", c->text,
		       info.name ? info.name : "(null)", c->name);
	if (c->len != NO_LEN)
		TEST_CHECK_MSG(info.len == c->len, "%s: len %u, want %u",
			       c->text, info.len, c->len);
	TEST_CHECK_MSG(info.len <= c->n, "%s: len %u > %u bytes", c->text,
		       info.len, c->n);

	for (k = 0; k < c->n; k++) {
		classify_tight(c->bytes, k, &info);
		TEST_CHECK_MSG(info.len <= k, "%s cut to %u: len %u", c->text,
			       k, info.len);
		TEST_CHECK_MSG(info.name != NULL, "%s cut to %u: name NULL",
			       c->text, k);
		if (c->len == NO_LEN)
			continue;
		if (k < c->len) {
			/* Fewer bytes than the class needs: nothing known. */
			TEST_CHECK_MSG(info.cls == INSN_OTHER,
				       "%s cut to %u: class %s", c->text, k,
				       class_name(info.cls));
			TEST_CHECK_MSG(info.name && strcmp(info.name, "?") == 0,
				       "%s cut to %u: name %s", c->text, k,
				       info.name ? info.name : "(null)");
		} else {
			/* The bytes after the examined ones do not matter. */
			TEST_CHECK_MSG(info.cls == c->cls && info.len == c->len,
				       "%s cut to %u: class %s len %u", c->text,
				       k, class_name(info.cls), info.len);
		}
	}
}

static void check_cases(const struct insn_case *cases, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		check_case(&cases[i]);
}

#define P INSN_PRIVILEGED
#define S INSN_SEGMENT
#define O INSN_OTHER

TEST(insn_hlt)
{
	static const struct insn_case cases[] = {
		{ "hlt", B(0xf4), INSN_HLT, "hlt", 1 },
		{ "data16 data16 data16 hlt", B(0x66, 0x66, 0x66, 0xf4),
		  INSN_HLT, "hlt", 4 },
		{ "rex.W hlt", B(0x48, 0xf4), INSN_HLT, "hlt", 2 },
		{ "rep cs hlt", B(0xf3, 0x2e, 0xf4), INSN_HLT, "hlt", 3 },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(insn_privileged)
{
	static const struct insn_case cases[] = {
		{ "cli", B(0xfa), P, "cli", 1 },
		{ "sti", B(0xfb), P, "sti", 1 },
		{ "lgdt (%rax)", B(0x0f, 0x01, 0x10), P, "lgdt", 3 },
		{ "lidt (%rax)", B(0x0f, 0x01, 0x18), P, "lidt", 3 },
		{ "lldt (%rax)", B(0x0f, 0x00, 0x10), P, "lldt", 3 },
		{ "lldt %ax", B(0x0f, 0x00, 0xd0), P, "lldt", 3 },
		{ "ltr %ax", B(0x0f, 0x00, 0xd8), P, "ltr", 3 },
		{ "ltr (%rbx)", B(0x0f, 0x00, 0x1b), P, "ltr", 3 },
		{ "lmsw (%rax)", B(0x0f, 0x01, 0x30), P, "lmsw", 3 },
		{ "invlpg (%rax)", B(0x0f, 0x01, 0x38), P, "invlpg", 3 },
		{ "clts", B(0x0f, 0x06), P, "clts", 2 },
		{ "invd", B(0x0f, 0x08), P, "invd", 2 },
		{ "wbinvd", B(0x0f, 0x09), P, "wbinvd", 2 },
		{ "mov %cr0,%rax", B(0x0f, 0x20, 0xc0), P, "mov from cr", 2 },
		{ "mov %rax,%cr0", B(0x0f, 0x22, 0xc0), P, "mov to cr", 2 },
		{ "mov %cr3,%rax", B(0x0f, 0x20, 0xd8), P, "mov from cr", 2 },
		{ "mov %rax,%cr3", B(0x0f, 0x22, 0xd8), P, "mov to cr", 2 },
		{ "mov %cr4,%rax", B(0x0f, 0x20, 0xe0), P, "mov from cr", 2 },
		{ "mov %rax,%cr4", B(0x0f, 0x22, 0xe0), P, "mov to cr", 2 },
		{ "mov %rax,%cr8", B(0x44, 0x0f, 0x22, 0xc0), P, "mov to cr", 3 },
		{ "mov %cr8,%rax", B(0x44, 0x0f, 0x20, 0xc0), P, "mov from cr", 3 },
		{ "mov %rax,%db7", B(0x0f, 0x23, 0xf8), P, "mov to dr", 2 },
		{ "mov %db7,%rax", B(0x0f, 0x21, 0xf8), P, "mov from dr", 2 },
		{ "wrmsr", B(0x0f, 0x30), P, "wrmsr", 2 },
		{ "rdmsr", B(0x0f, 0x32), P, "rdmsr", 2 },
		{ "rdpmc", B(0x0f, 0x33), P, "rdpmc", 2 },
		{ "sysretl", B(0x0f, 0x07), P, "sysret", 2 },
		{ "sysretq", B(0x48, 0x0f, 0x07), P, "sysret", 3 },
		{ "sysexitl", B(0x0f, 0x35), P, "sysexit", 2 },
		{ "swapgs", B(0x0f, 0x01, 0xf8), P, "swapgs", 3 },
		{ "monitor", B(0x0f, 0x01, 0xc8), P, "monitor", 3 },
		{ "mwait", B(0x0f, 0x01, 0xc9), P, "mwait", 3 },
		{ "xsetbv", B(0x0f, 0x01, 0xd1), P, "xsetbv", 3 },
		{ "clac", B(0x0f, 0x01, 0xca), P, "clac", 3 },
		{ "stac", B(0x0f, 0x01, 0xcb), P, "stac", 3 },
		{ "vmcall", B(0x0f, 0x01, 0xc1), P, "vmcall", 3 },
		{ "vmmcall", B(0x0f, 0x01, 0xd9), P, "vmmcall", 3 },
		/* IOPL-sensitive (SDM Vol. 1, 19.5.1): at CPL3 the TSS I/O
		 * bitmap may refuse them; ring 0 never does. */
		{ "in $0x60,%al", B(0xe4, 0x60), P, "in", 1 },
		{ "out %al,$0x80", B(0xe6, 0x80), P, "out", 1 },
		{ "in (%dx),%al", B(0xec), P, "in", 1 },
		{ "out %eax,(%dx)", B(0xef), P, "out", 1 },
		{ "rep insb", B(0xf3, 0x6c), P, "ins", 2 },
		{ "outsw", B(0x66, 0x6f), P, "outs", 2 },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(insn_segment)
{
	static const struct insn_case cases[] = {
		{ "mov %eax,%ds", B(0x8e, 0xd8), S, "mov to segment register", 1 },
		{ "mov %eax,%ss", B(0x8e, 0xd0), S, "mov to segment register", 1 },
		{ "mov (%rax),%ss", B(0x8e, 0x10), S, "mov to segment register", 1 },
		{ "pop %fs", B(0x0f, 0xa1), S, "pop fs", 2 },
		{ "pop %gs", B(0x0f, 0xa9), S, "pop gs", 2 },
		{ "lss (%rax),%eax", B(0x0f, 0xb2, 0x00), S, "lss", 2 },
		{ "lfs (%rax),%eax", B(0x0f, 0xb4, 0x00), S, "lfs", 2 },
		{ "lgs (%rax),%eax", B(0x0f, 0xb5, 0x00), S, "lgs", 2 },
		{ "iretq", B(0x48, 0xcf), S, "iret", 2 },
		{ "iretl", B(0xcf), S, "iret", 1 },
		{ "lretl", B(0xcb), S, "far ret", 1 },
		{ "lretq", B(0x48, 0xcb), S, "far ret", 2 },
		{ "lret $0x8", B(0xca, 0x08, 0x00), S, "far ret", 1 },
		{ "ljmp *(%rax)", B(0xff, 0x28), S, "far jmp", NO_LEN },
		{ "lcall *(%rax)", B(0xff, 0x18), S, "far call", NO_LEN },
		{ "rex.W ljmp *(%rax)", B(0x48, 0xff, 0x28), S, "far jmp", NO_LEN },
		{ "ss ljmp *0x10(%rax,%rbx,8)", B(0x36, 0xff, 0x6c, 0xd8, 0x10),
		  S, "far jmp", NO_LEN },
		{ "lcall *(%r11)", B(0x41, 0xff, 0x1b), S, "far call", NO_LEN },
		{ "addr32 lcall *(%eax)", B(0x67, 0xff, 0x18), S, "far call", NO_LEN },
		{ "ljmpw *(%rax)", B(0x66, 0xff, 0x28), S, "far jmp", NO_LEN },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(insn_other)
{
	static const struct insn_case cases[] = {
		{ "mov %rax,%rbx", B(0x48, 0x89, 0xc3), O, "?", 2 },
		{ "add $0x1,%eax", B(0x83, 0xc0, 0x01), O, "?", 1 },
		{ "rdtsc", B(0x0f, 0x31), O, "?", 2 },
		{ "cpuid", B(0x0f, 0xa2), O, "?", 2 },
		{ "sgdt (%rax)", B(0x0f, 0x01, 0x00), O, "?", 3 },
		{ "sidt (%rax)", B(0x0f, 0x01, 0x08), O, "?", 3 },
		{ "smsw %eax", B(0x0f, 0x01, 0xe0), O, "?", 3 },
		{ "str %eax", B(0x0f, 0x00, 0xc8), O, "?", 3 },
		{ "sldt %eax", B(0x0f, 0x00, 0xc0), O, "?", 3 },
		{ "verr %ax", B(0x0f, 0x00, 0xe0), O, "?", 3 },
		{ "xgetbv", B(0x0f, 0x01, 0xd0), O, "?", 3 },
		{ "rdtscp", B(0x0f, 0x01, 0xf9), O, "?", 3 },
		{ "syscall", B(0x0f, 0x05), O, "?", 2 },
		{ "sysenter", B(0x0f, 0x34), O, "?", 2 },
		{ "ud2", B(0x0f, 0x0b), O, "?", 2 },
		{ "int3", B(0xcc), O, "?", 1 },
		{ "int $0x80", B(0xcd, 0x80), O, "?", 1 },
		{ "pushf", B(0x9c), O, "?", 1 },
		{ "popf", B(0x9d), O, "?", 1 },
		{ "mov %ds,%eax", B(0x8c, 0xd8), O, "?", 1 },
		{ "push %fs", B(0x0f, 0xa0), O, "?", 2 },
		{ "nop", B(0x90), O, "?", 1 },
		{ "ret", B(0xc3), O, "?", 1 },
		{ "pop %rax", B(0x58), O, "?", 1 },
		{ "rep stos %al,%es:(%rdi)", B(0xf3, 0xaa), O, "?", 2 },
		/* ff with a modrm.reg other than 3 and 5: near, not far. */
		{ "call *(%rax)", B(0xff, 0x10), O, "?", NO_LEN },
		{ "jmp *(%rax)", B(0xff, 0x20), O, "?", NO_LEN },
		{ "call *%rax", B(0xff, 0xd0), O, "?", NO_LEN },
		{ "jmp *%r11", B(0x41, 0xff, 0xe3), O, "?", NO_LEN },
		{ "inc %eax", B(0xff, 0xc0), O, "?", NO_LEN },
		{ "decl (%rax)", B(0xff, 0x08), O, "?", NO_LEN },
		{ "push (%rax)", B(0xff, 0x30), O, "?", NO_LEN },
		{ "lock incl (%rax)", B(0xf0, 0xff, 0x00), O, "?", NO_LEN },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(insn_prefixes_and_rex)
{
	static const struct insn_case cases[] = {
		{ "mov %rax,%cr3", B(0x0f, 0x22, 0xd8), P, "mov to cr", 2 },
		{ "mov %r8,%cr3", B(0x41, 0x0f, 0x22, 0xd8), P, "mov to cr", 3 },
		{ "addr32 mov %rax,%cr0", B(0x67, 0x0f, 0x22, 0xc0), P, "mov to cr", 3 },
		{ "lidt (%eax)", B(0x67, 0x0f, 0x01, 0x18), P, "lidt", 4 },
		{ "lidt %gs:(%rax)", B(0x65, 0x0f, 0x01, 0x18), P, "lidt", 4 },
		{ "lidt %fs:0x10(%rax,%rbx,8)",
		  B(0x64, 0x0f, 0x01, 0x5c, 0xd8, 0x10), P, "lidt", 4 },
		{ "data16 lidt (%rax)", B(0x66, 0x0f, 0x01, 0x18), P, "lidt", 4 },
		{ "cs lgdt (%rax)", B(0x2e, 0x0f, 0x01, 0x10), P, "lgdt", 4 },
		{ "rex.W wrmsr", B(0x48, 0x0f, 0x30), P, "wrmsr", 3 },
		{ "repz swapgs", B(0xf3, 0x0f, 0x01, 0xf8), P, "swapgs", 4 },
		{ "rex.W cli", B(0x48, 0xfa), P, "cli", 2 },
		{ "es mov (%rax),%ds", B(0x26, 0x8e, 0x18), S,
		  "mov to segment register", 2 },
		{ "mov %ax,%ds", B(0x66, 0x8e, 0xd8), S, "mov to segment register", 2 },
		{ "lfs (%r8),%r9d", B(0x45, 0x0f, 0xb4, 0x08), S, "lfs", 3 },
		{ "lgs (%eax),%ax", B(0x67, 0x66, 0x0f, 0xb5, 0x00), S, "lgs", 4 },
		/* Prefixes, REX and all: an ordinary instruction stays one. */
		{ "ds data16 rex.W mov", B(0x3e, 0x66, 0x48, 0x89, 0xc3), O, "?", 4 },
		{ "fs rex.W rdtsc", B(0x64, 0x48, 0x0f, 0x31), O, "?", 4 },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * The examined length is what trap.c adds to RIP to step over a hlt that
 * faulted at CPL3: it must be exactly the prefix bytes plus the f4.
 */
TEST(insn_len_steps_over_hlt)
{
	static const uint8_t prefixes[] = {
		0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65,
	};
	uint8_t code[16];
	struct insn_info info;
	unsigned n, i;

	/* 0 to 13 prefixes, cycling through all eleven, then REX, then hlt. */
	for (n = 0; n < 14; n++) {
		for (i = 0; i < n; i++)
			code[i] = prefixes[i % sizeof(prefixes)];
		code[n] = 0x40 + n % 16;        /* every REX value */
		code[n + 1] = 0xf4;
		classify_tight(code, n + 2, &info);
		TEST_CHECK_MSG(info.cls == INSN_HLT && info.len == n + 2,
			       "%u prefixes + REX: class %s len %u", n,
			       class_name(info.cls), info.len);
		classify_tight(code + n + 1, 1, &info);
		TEST_EQ(info.len, 1);
		/* Trailing bytes are not examined. */
		code[n + 2] = 0x0f;
		classify_tight(code, n + 3, &info);
		TEST_CHECK_MSG(info.cls == INSN_HLT && info.len == n + 2,
			       "%u prefixes + REX + trailing: len %u", n, info.len);
	}
	/* 14 prefixes and hlt: the longest legal hlt, 15 bytes. */
	memset(code, 0x66, 14);
	code[14] = 0xf4;
	classify_tight(code, 15, &info);
	TEST_EQ(info.cls, INSN_HLT);
	TEST_EQ(info.len, 15);
}

TEST(insn_too_many_prefixes)
{
	uint8_t code[20];
	struct insn_info info;

	/* 15 prefixes then hlt is 16 bytes, not an instruction: not a hlt. */
	memset(code, 0x66, 15);
	code[15] = 0xf4;
	classify_tight(code, 16, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_CHECK(info.len <= 15);
	/* Nothing but prefixes. */
	memset(code, 0xf3, sizeof(code));
	classify_tight(code, sizeof(code), &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_STREQ(info.name, "?");
	TEST_CHECK(info.len <= 15);
}

TEST(insn_truncated)
{
	static const uint8_t lone_0f[] = { 0x0f };
	static const uint8_t lone_0f00[] = { 0x0f, 0x00 };
	static const uint8_t lone_0f01[] = { 0x0f, 0x01 };
	static const uint8_t rex_0f01[] = { 0x48, 0x0f, 0x01 };
	static const uint8_t lone_ff[] = { 0xff };
	static const uint8_t prefixes[] = { 0x66, 0xf3, 0x65 };
	static const uint8_t rex[] = { 0x66, 0x41 };
	struct insn_info info;

	classify_tight(lone_0f, 0, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_STREQ(info.name, "?");
	TEST_EQ(info.len, 0);

	classify_tight(lone_0f, 1, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_STREQ(info.name, "?");
	TEST_EQ(info.len, 1);

	classify_tight(lone_0f00, 2, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_STREQ(info.name, "?");
	TEST_EQ(info.len, 2);

	classify_tight(lone_0f01, 2, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_STREQ(info.name, "?");
	TEST_EQ(info.len, 2);

	classify_tight(rex_0f01, 3, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_EQ(info.len, 3);

	classify_tight(lone_ff, 1, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_STREQ(info.name, "?");
	TEST_EQ(info.len, 1);

	classify_tight(prefixes, 3, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_EQ(info.len, 3);

	classify_tight(rex, 2, &info);
	TEST_EQ(info.cls, INSN_OTHER);
	TEST_EQ(info.len, 2);
}

/* Every two-byte string: never crashes or over-reads, len within bounds,
 * and anything flagged has a name. */
TEST(insn_all_short_strings)
{
	uint8_t code[2];
	struct insn_info info;
	unsigned a, b, bad = 0;

	for (a = 0; a < 256; a++) {
		code[0] = (uint8_t)a;
		classify_tight(code, 1, &info);
		if (info.len != 1 || !info.name ||
		    (info.cls != INSN_OTHER && strcmp(info.name, "?") == 0))
			bad++;
		for (b = 0; b < 256; b++) {
			code[1] = (uint8_t)b;
			classify_tight(code, 2, &info);
			if (info.len < 1 || info.len > 2 || !info.name ||
			    (info.cls != INSN_OTHER) == (strcmp(info.name, "?") == 0))
				bad++;
		}
	}
	TEST_EQ(bad, 0);
}

/*
 * LMSW r16 (0f 01 /6 with mod = 11, "lmsw %ax") is as privileged as its
 * memory form: SDM Vol. 2A LMSW, "0F 01 /6 LMSW r/m16"; #GP(0) if CPL > 0.
 */
TEST(insn_lmsw_register_form)
{
	static const struct insn_case cases[] = {
		{ "lmsw %ax", B(0x0f, 0x01, 0xf0), P, "lmsw", 3 },
		{ "lmsw %di", B(0x0f, 0x01, 0xf7), P, "lmsw", 3 },
		{ "lmsw %r8w", B(0x41, 0x0f, 0x01, 0xf0), P, "lmsw", 4 },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* insn_length: encodings checked against objdump (binutils 2.40). */
/* Outside 64-bit code: segment loads whose opcodes 64-bit code lacks,
 * and no REX (0x40 is inc). */
TEST(insn_classify_compat)
{
	static const struct { uint8_t b[4]; unsigned n; const char *name; unsigned len; } rows[] = {
		{ { 0x1f }, 1, "pop ds", 1 },
		{ { 0x07 }, 1, "pop es", 1 },
		{ { 0x17 }, 1, "pop ss", 1 },
		{ { 0xea, 0, 0, 0 }, 4, "far jmp", 1 },
		{ { 0x9a, 0, 0, 0 }, 4, "far call", 1 },
		{ { 0xc5, 0x06 }, 2, "lds", 2 },
		{ { 0xc4, 0x06 }, 2, "les", 2 },
	};
	struct insn_info info;
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		insn_classify(rows[i].b, rows[i].n, 32, &info);
		TEST_CHECK_MSG(info.cls == INSN_SEGMENT && !strcmp(info.name, rows[i].name) &&
			       info.len == rows[i].len, "%s: %s len %u", rows[i].name,
			       info.name, info.len);
		insn_classify(rows[i].b, rows[i].n, 64, &info);
		TEST_CHECK_MSG(info.cls == INSN_OTHER, "%s in 64-bit code", rows[i].name);
	}
	/* c5 with mod 11 is VEX even in 32-bit code: not lds. */
	insn_classify((const uint8_t *)"\xc5\xf8\x77", 3, 32, &info);
	TEST_CHECK(info.cls == INSN_OTHER);
	/* 0x40 is inc eax in 32-bit code, not a prefix of the cli after it. */
	insn_classify((const uint8_t *)"\x40\xfa", 2, 32, &info);
	TEST_CHECK(info.cls == INSN_OTHER && info.len == 1);
	insn_classify((const uint8_t *)"\x40\xfa", 2, 64, &info);
	TEST_CHECK(info.cls == INSN_PRIVILEGED && info.len == 2);
}

TEST(insn_length_table)
{
	static const struct {
		unsigned bits, len; const char *bytes;
	} rows[] = {
		{ 64, 1, "f4" },                        /* hlt */
		{ 64, 1, "c3" },                        /* ret */
		{ 64, 3, "c2 08 00" },                  /* ret $8 */
		{ 64, 2, "eb 05" },                     /* jmp short: its own length */
		{ 64, 2, "75 fe" },                     /* jne back */
		{ 64, 5, "e8 00 00 00 00" },            /* call rel32 */
		{ 64, 6, "0f 84 10 00 00 00" },         /* je rel32 */
		{ 64, 7, "48 8d 35 1f 00 00 00" },      /* lea rip-relative */
		{ 64, 10, "48 b8 88 77 66 55 44 33 22 11" }, /* mov rax, imm64 */
		{ 64, 5, "b8 01 00 00 00" },            /* mov eax, imm32 */
		{ 64, 4, "66 b8 01 00" },               /* mov ax, imm16 */
		{ 64, 10, "48 a1 00 00 00 00 00 00 00 00" }, /* mov rax, moffs64 */
		{ 64, 6, "67 a1 00 00 00 00" },         /* mov eax, moffs32 */
		{ 64, 7, "c7 04 24 2a 00 00 00" },      /* movl $42, (%rsp) */
		{ 64, 11, "c7 04 25 00 10 00 00 2a 00 00 00" }, /* no base: SIB, disp32 */
		{ 64, 8, "c7 44 24 08 01 00 00 00" },   /* disp8 + imm32 */
		{ 64, 3, "f6 c3 01" },                  /* test bl, imm8 */
		{ 64, 6, "f7 c3 01 00 00 00" },         /* test ebx, imm32 */
		{ 64, 2, "f7 d8" },                     /* neg eax: no immediate */
		{ 64, 4, "c8 10 00 00" },               /* enter $16, $0 */
		{ 64, 1, "ee 90" },                     /* out dx, al */
		{ 64, 2, "0f 05" },                     /* syscall */
		{ 64, 3, "0f 01 d0" },                  /* xgetbv */
		{ 64, 3, "0f 22 d8 90" },               /* mov cr3, rax (then nop) */
		{ 64, 3, "0f 22 6d 90" },               /* mod 01 ignored: no disp */
		{ 64, 3, "0f 21 05 90 90 90 90" },      /* mod 00 rm 101: no disp32 */
		{ 64, 6, "66 0f 78 c1 04 08" },         /* extrq xmm1, 4, 8 (SSE4a) */
		{ 64, 6, "f2 0f 78 c1 04 08" },         /* insertq (SSE4a) */
		{ 64, 3, "0f 78 c1" },                  /* vmread: no immediate */
		{ 64, 6, "66 0f 3a 0f c1 08" },         /* palignr: 0F3A + imm8 */
		{ 64, 5, "66 0f 38 00 c1" },            /* pshufb: 0F38 */
		{ 64, 3, "c5 f8 77 90" },               /* vzeroupper: no ModRM */
		{ 64, 4, "c5 fd 6f 06" },               /* vmovdqa (%rsi), ymm0 */
		{ 64, 6, "c4 e3 7d 0f c1 08" },         /* vpalignr: VEX 0F3A, imm8 */
		{ 64, 6, "62 f1 fe 48 6f 06" },         /* vmovdqu64 (%rsi), zmm0 */
		{ 64, 7, "62 f1 fe 48 6f 46 01" },      /* the same, disp8 */
		{ 64, 6, "8f e8 78 c2 c1 05" },         /* XOP vprotb imm8 */
		{ 64, 2, "8f c0" },                     /* pop rax (not XOP) */
		{ 64, 5, "f3 48 0f b8 c1" },            /* popcnt rcx, rax */
		{ 64, 4, "0f 0f c1 b4" },               /* 3DNow! (a suffix byte) */
		{ 64, 15, "66 66 66 66 66 66 2e 0f 1f 84 00 00 00 00 00" },
		{ 64, 0, "66 66 66 66 66 66 66 2e 0f 1f 84 00 00 00 00 00" }, /* 16 */
		{ 64, 0, "06" },                        /* push es: not in 64-bit mode */
		{ 64, 0, "c7 04 25 00 10" },            /* cut short */
		{ 64, 0, "" },
		{ 32, 1, "40" },                        /* inc eax, not REX */
		{ 32, 1, "06" },                        /* push es */
		{ 32, 5, "a1 00 10 00 00" },            /* mov eax, moffs32 */
		{ 32, 7, "ea 00 00 10 00 08 00" },      /* jmp far ptr16:32 */
		{ 32, 2, "c5 06" },                     /* lds, not VEX */
		{ 32, 6, "66 0f 3a 0f c1 08" },         /* the same palignr */
		{ 16, 3, "b8 01 00" },                  /* mov ax, imm16 */
		{ 16, 6, "66 b8 01 00 00 00" },         /* mov eax, imm32 */
		{ 16, 4, "8b 86 00 10" },               /* mov ax, [bp+disp16] */
		{ 16, 4, "8b 36 00 7c" },               /* mov si, [disp16] */
		{ 16, 3, "8b 46 fe" },                  /* mov ax, [bp-2] */
		{ 16, 5, "ea 00 7c 00 00" },            /* jmp far 0:7c00 */
		{ 16, 3, "e8 fd ff" },                  /* call rel16 */
		{ 16, 2, "cd 10" },                     /* int 0x10 */
	};
	unsigned i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t code[32];
		unsigned n = 0, v, len;
		const char *p = rows[i].bytes;
		int k;

		while (sscanf(p, "%2x%n", &v, &k) == 1 && n < sizeof(code)) {
			code[n++] = (uint8_t)v;
			p += k;
		}
		len = insn_length(code, n, rows[i].bits);
		TEST_CHECK_MSG(len == rows[i].len, "%u-bit [%s]: %u bytes, want %u",
			       rows[i].bits, rows[i].bytes, len, rows[i].len);
	}
}

/* Never past the bytes given: a length from a prefix of them is 0. */
TEST(insn_length_cut_short)
{
	static const uint8_t lea[] = { 0x48, 0x8d, 0x35, 0x1f, 0x00, 0x00, 0x00 };
	unsigned n;

	for (n = 0; n < sizeof(lea); n++)
		TEST_CHECK_MSG(insn_length(lea, n, 64) == 0, "%u bytes", n);
	TEST_EQ(insn_length(lea, sizeof(lea), 64), 7);
}

/* Port I/O is what the TSS's I/O bitmap allows at CPL3; nothing else is. */
TEST(insn_port_io)
{
	static const struct {
		const char *text;
		uint8_t bytes[4];
		unsigned n;
		bool port_io;
	} rows[] = {
		{ "in $0x60,%al", { 0xe4, 0x60 }, 2, true },
		{ "in (%dx),%eax", { 0xed }, 1, true },
		{ "out %al,$0xe9", { 0xe6, 0xe9 }, 2, true },
		{ "out %ax,(%dx)", { 0x66, 0xef }, 2, true },
		{ "rep insb", { 0xf3, 0x6c }, 2, true },
		{ "outsl", { 0x6f }, 1, true },
		{ "cli", { 0xfa }, 1, false },
		{ "hlt", { 0xf4 }, 1, false },
		{ "lidt (%rax)", { 0x0f, 0x01, 0x18 }, 3, false },
		{ "wrmsr", { 0x0f, 0x30 }, 2, false },
		{ "nop", { 0x90 }, 1, false },
	};

	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct insn_info info;

		insn_classify(rows[i].bytes, rows[i].n, 64, &info);
		if (insn_is_port_io(&info) != rows[i].port_io)
			test_fail(__FILE__, __LINE__, "%s: insn_is_port_io is %d",
				  rows[i].text, !rows[i].port_io);
	}
}

const struct test tests_insn[] = {
	TEST_ENTRY(insn_port_io),
	TEST_ENTRY(insn_hlt),
	TEST_ENTRY(insn_privileged),
	TEST_ENTRY(insn_segment),
	TEST_ENTRY(insn_other),
	TEST_ENTRY(insn_prefixes_and_rex),
	TEST_ENTRY(insn_len_steps_over_hlt),
	TEST_ENTRY(insn_too_many_prefixes),
	TEST_ENTRY(insn_truncated),
	TEST_ENTRY(insn_all_short_strings),
	TEST_ENTRY(insn_lmsw_register_form),
	TEST_ENTRY(insn_classify_compat),
	TEST_ENTRY(insn_length_table),
	TEST_ENTRY(insn_length_cut_short),
	TEST_END,
};
