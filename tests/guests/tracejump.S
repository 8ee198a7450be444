/*
 * tracejump.S - taken forward branches, for --trace insns.
 *
 * A taken short jump lands a few bytes further on: the distance to where
 * execution went is not the jump's length.  The trace must show each
 * instruction's own bytes (eb 03, then 74 01), never the bytes it jumped
 * over.  tests/traces/tracejump-*.trace hold the exact traces.
 *
 * Run:    ./kvmrun --trace insns tests/guests/tracejump.bin
 * Expect: 5 instructions traced, nothing on stdout, status 0.
 */
	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	jmp	1f			/* eb 03: over the next three bytes */
	ud2				/* 0f 0b: never runs */
	nop
1:	xor	%eax, %eax		/* ZF = 1 */
	je	2f			/* 74 01: taken, over the hlt */
	hlt
2:	nop
	hlt
