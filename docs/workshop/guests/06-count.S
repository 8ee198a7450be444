/*
 * 06-count.S - lesson 6: a loop that only counts, to time a ring.
 *
 * RBX counts loop iterations and the guest never exits by itself: run it
 * with a time limit and --regs, and RBX at the end says how many
 * iterations the ring managed.  No port I/O, no privileged instruction:
 * under --ring auto the guest stays in ring 3 the whole time.
 *
 * Run:    ./kvmrun -t 1s --regs docs/workshop/guests/06-count.bin
 *         ./kvmrun -t 1s --regs --ring 0 docs/workshop/guests/06-count.bin
 * Expect: status 124 (the time limit) and RBX, in hexadecimal, in the dump.
 */
	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	xor	%ebx, %ebx
1:	inc	%rbx
	jmp	1b
