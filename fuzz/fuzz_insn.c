/* SPDX-License-Identifier: MIT */
/*
 * insn_classify and insn_length on fuzzed bytes.
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
 * insn_length (any instruction's length, in 16-, 32- and 64-bit code):
 * 0 or 1..15 and never more than the bytes given; the same answer from
 * just that many bytes, and 0 (cut short) from one byte fewer; a REX byte
 * in front adds one byte in 64-bit mode where it is a prefix.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ring3/insn.h"

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
	insn_classify(n ? buf : buf + 1, (unsigned)n, 64, info);
	free(buf);
}

static void hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%02x", i ? " " : "", p[i]);
}

/* insn_length on n bytes at the very end of their own heap block. */
static unsigned length(const uint8_t *bytes, size_t n, unsigned bits)
{
	uint8_t *buf = malloc(n ? n : 1);
	unsigned r;

	if (!buf)
		abort();
	memcpy(buf, bytes, n);
	r = insn_length(n ? buf : buf + 1, (unsigned)n, bits);
	free(buf);
	return r;
}

static void check_length(const uint8_t *data, size_t n, unsigned bits)
{
	char bytes[16 * 3 + 8];
	unsigned len = length(data, n, bits);

	hex(data, n < 16 ? n : 16, bytes, sizeof(bytes));
	FUZZ_CHECK(len <= n && len <= 15, "[%s] %u-bit: %u bytes of %zu", bytes,
		   bits, len, n);
	if (!len)
		return;
	FUZZ_CHECK(length(data, len, bits) == len, "[%s] %u-bit: %u bytes, but %u "
		   "from its first %u bytes", bytes, bits, len,
		   length(data, len, bits), len);
	FUZZ_CHECK(length(data, len - 1, bits) == 0, "[%s] %u-bit: %u bytes, but "
		   "its first %u bytes make an instruction of %u", bytes, bits, len,
		   len - 1, length(data, len - 1, bits));
	/* Another REX in front (64-bit code): one byte longer, unless that
	 * makes more than 15. */
	if (bits == 64 && len < 15 && n < 64) {
		uint8_t more[65];

		more[0] = 0x40;
		memcpy(more + 1, data, n);
		FUZZ_CHECK(length(more, n + 1, 64) == len + 1, "[40 %s]: %u bytes, "
			   "without the REX %u", bytes, length(more, n + 1, 64), len);
	}
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
	check_length(data, size, 64);
	check_length(data, size, 32);
	check_length(data, size, 16);
	return 0;
}
