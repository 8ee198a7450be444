/* SPDX-License-Identifier: MIT */
/*
 * insn_classify and insn_branch_len on fuzzed bytes.
 *
 * The bytes sit at the very end of a heap buffer of exactly their size,
 * so ASan reports any read past code[len - 1] (insn.h: "Never reads past
 * code[len - 1]").  trap.c classifies at most 16 bytes (the code at RIP);
 * longer inputs are classified whole as well as cut to 16.
 *
 * Checked:
 *  - name is non-NULL and non-empty, the class is one of the four, and
 *    INSN_OTHER comes with "?" exactly when nothing was recognised;
 *  - len <= the bytes given, len >= 1 for a recognised instruction;
 *  - len <= 15: no x86 instruction is longer, and trap.c adds len to RIP
 *    to step over a hlt (insn.c: "an instruction is at most 15 bytes");
 *  - len is the bytes examined: classifying just the first len bytes
 *    gives the same answer;
 *  - a REX byte followed by a legacy prefix does not immediately precede
 *    the opcode, and the CPU ignores it (Intel SDM Vol. 2A, 2.2.1: "the
 *    REX prefix byte must immediately precede the opcode byte or the
 *    escape opcode byte (0FH) ... Other placements are ignored"; AMD APM
 *    Vol. 3, 1.2.7): such a byte in front changes nothing but the length.
 *
 * insn_branch_len (the length of a direct branch, for --trace insns, which
 * hands it at most 15 bytes): never more than the bytes given, and the
 * same answer from just that many bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "insn.h"

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x2e: case 0x36: case 0x3e: case 0x26: case 0x64: case 0x65:
		return true;
	}
	return false;
}

static bool is_rex(uint8_t b)
{
	return (b & 0xf0) == 0x40;
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

/* Classify n bytes placed at the very end of their own heap block. */
static void classify(const uint8_t *bytes, size_t n, struct insn_info *info)
{
	uint8_t *buf = malloc(n ? n : 1);

	if (!buf)
		abort();
	memcpy(buf, bytes, n);
	info->cls = (enum insn_class)0x55;
	info->name = NULL;
	info->len = 0xdead;
	insn_classify(n ? buf : buf + 1, (unsigned)n, info);
	free(buf);
}

static void hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%02x", i ? " " : "", p[i]);
}

/* insn_branch_len on n bytes at the very end of their own heap block. */
static unsigned branch_len(const uint8_t *bytes, size_t n)
{
	uint8_t *buf = malloc(n ? n : 1);
	unsigned r;

	if (!buf)
		abort();
	memcpy(buf, bytes, n);
	r = insn_branch_len(n ? buf : buf + 1, (unsigned)n);
	free(buf);
	return r;
}

static void check_branch(const uint8_t *data, size_t n)
{
	char bytes[16 * 3 + 8];
	unsigned len = branch_len(data, n);

	hex(data, n < 16 ? n : 16, bytes, sizeof(bytes));
	FUZZ_CHECK(len <= n, "[%s]: branch of %u bytes in %zu", bytes, len, n);
	if (len)
		FUZZ_CHECK(branch_len(data, len) == len, "[%s]: branch of %u bytes, "
			   "but %u from its first %u bytes", bytes, len,
			   branch_len(data, len), len);
}

static void check_one(const uint8_t *data, size_t n)
{
	struct insn_info info, again;
	char bytes[16 * 3 + 8];
	size_t prefixes;

	hex(data, n < 16 ? n : 16, bytes, sizeof(bytes));
	classify(data, n, &info);
	FUZZ_CHECK(info.name != NULL && info.name[0], "[%s]: no name", bytes);
	FUZZ_CHECK(info.cls == INSN_OTHER || info.cls == INSN_HLT ||
		   info.cls == INSN_PRIVILEGED || info.cls == INSN_SEGMENT,
		   "[%s]: class %d", bytes, (int)info.cls);
	FUZZ_CHECK(info.cls != INSN_OTHER || !strcmp(info.name, "?"),
		   "[%s]: OTHER named %s", bytes, info.name);
	FUZZ_CHECK(info.cls == INSN_OTHER || strcmp(info.name, "?"),
		   "[%s]: %s without a name", bytes, class_name(info.cls));
	FUZZ_CHECK(info.len <= n, "[%s]: len %u of %zu bytes", bytes, info.len, n);
	FUZZ_CHECK(info.cls == INSN_OTHER || info.len >= 1, "[%s]: len 0", bytes);
	FUZZ_CHECK(info.len <= 15, "[%s]: %s \"%s\" of %u bytes: longer than any "
		   "x86 instruction", bytes, class_name(info.cls), info.name, info.len);

	/* len is what was examined: the same answer from just those bytes. */
	classify(data, info.len, &again);
	FUZZ_CHECK(again.cls == info.cls && again.len == info.len &&
		   !strcmp(again.name, info.name),
		   "[%s]: %s \"%s\" len %u, but its first %u bytes give %s \"%s\" "
		   "len %u", bytes, class_name(info.cls), info.name, info.len,
		   info.len, class_name(again.cls), again.name, again.len);

	/* A REX byte followed by a legacy prefix is ignored by the CPU. */
	for (prefixes = 0; prefixes < n && (is_legacy_prefix(data[prefixes]) ||
					    is_rex(data[prefixes])); prefixes++)
		;
	if (n >= 2 && is_rex(data[0]) && prefixes < 13 && is_legacy_prefix(data[1])) {
		classify(data + 1, n - 1, &again);
		FUZZ_CHECK(again.cls == info.cls && !strcmp(again.name, info.name),
			   "[%s]: %s \"%s\", but without the leading REX, which the "
			   "CPU ignores because a legacy prefix follows it: %s \"%s\"", bytes,
			   class_name(info.cls), info.name, class_name(again.cls),
			   again.name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_one(data, size);
	if (size > 16)
		check_one(data, 16);    /* what trap.c hands over */
	check_branch(data, size);
	if (size > 15)
		check_branch(data, 15);
	return 0;
}
