/*
 * 06-halt.S - lesson 6: hlt in ring 3.
 *
 * HLT is privileged: at CPL > 0 it raises #GP(0) instead of halting (SDM
 * Vol. 2A, "HLT").  The guest does nothing else, so under --ring 3 the
 * #GP is the first thing kvmrun sees: its supervisor recognises the hlt
 * and ends the run as a hlt in ring 0 would, status 0.
 *
 * Run:    ./kvmrun --ring 3 --regs docs/workshop/guests/06-halt.bin
 * Expect: no output, status 0; --regs shows CS 0x33 (ring 3).
 */
	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	hlt
