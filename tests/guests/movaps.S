/*
 * movaps.S - a #GP that has nothing to do with rings: movaps from an
 * address that is not 16-byte aligned.  In --ring auto the guest must not
 * be moved to ring 0 for it: the fault is reported where it happened, in
 * ring 3, and the guest's SSE state is as it was.
 *
 * Run:    ./kvmrun tests/guests/movaps.bin
 * Expect: "#GP ... in ring 3: error code 0", status 126.
 */
	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	buf + 1(%rip), %rax
	movaps	(%rax), %xmm0		/* misaligned: #GP(0) in any ring */
	hlt

	.section .rodata
	.align	16
buf:	.fill	32, 1, 0
