/* SPDX-License-Identifier: MIT */
/*
 * Just enough x86 instruction decoding to name an instruction that faulted
 * with #GP at CPL3 because it needs CPL0 (or a ring-0 selector), and to
 * tell any instruction's length.  Pure; unit-tested on byte strings.
 */
#ifndef KVMRUN_INSN_H
#define KVMRUN_INSN_H

#include <stdbool.h>
#include <stdint.h>

enum insn_class {
	INSN_OTHER,             /* nothing ring 0 would change */
	INSN_HLT,               /* hlt: at CPL3 kvmrun ends the run as hlt */
	INSN_PRIVILEGED,        /* needs CPL0 (lidt, mov to CR0, wrmsr, ...) */
	INSN_SEGMENT,           /* loads a segment or far-returns: may need ring-0 selectors */
};

struct insn_info {
	enum insn_class cls;
	const char *name;       /* mnemonic, e.g. "lidt"; "?" if unknown */
	unsigned len;           /* prefix + opcode bytes examined */
	uint8_t opcode;         /* the (last) opcode byte */
	bool two_byte;          /* opcode follows 0x0f */
};

/* in, out, ins, outs: allowed at CPL3 by the TSS's I/O bitmap. */
bool insn_is_port_io(const struct insn_info *info);

/*
 * Classify the instruction starting at code[0] (len bytes available) in
 * 16-, 32- or 64-bit code (mode_bits: REX exists, and some opcodes only,
 * in one or the other).  Never reads past code[len - 1].
 */
void insn_classify(const uint8_t *code, unsigned len, unsigned mode_bits,
		   struct insn_info *info);

/*
 * The length of the instruction at code[0] (avail bytes there) in 16-,
 * 32- or 64-bit code (mode_bits), decoded from its prefixes, opcode, ModRM,
 * SIB, displacement and immediate: 1 to 15, or 0 if the bytes are cut
 * short, the instruction is longer than 15 bytes or its opcode is invalid
 * in that mode.  A near branch with a 66h prefix in 64-bit code is taken
 * as Intel runs it (a 32-bit offset; AMD CPUs use 16 bits).  For --trace insns, which must not infer a length from
 * where execution went next (a taken branch goes anywhere).  Never reads
 * past code[avail - 1].
 */
unsigned insn_length(const uint8_t *code, unsigned avail, unsigned mode_bits);

#endif
