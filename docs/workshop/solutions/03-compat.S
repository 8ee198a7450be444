/*
 * 03-compat.S - lesson 3, exercise: guests/03-modes.S, then one step back
 * from 64-bit mode to compatibility mode.  IA-32e mode stays on (EFER.LMA);
 * only CS changes, to a code segment with L=0 (Intel SDM vol. 3, 2.2 and
 * 3.4.5).  A far return loads CS and RIP from the stack.
 *
 * Run:    ./kvmrun --mode real docs/workshop/solutions/03-compat.bin
 * Expect: "real mode", "protected mode", "long mode",
 *         "compatibility mode", status 0.
 */

/* Where 03-modes.S halts in 64-bit mode, after "long mode": */
	.macro	to_compat
	pushq	$0x08			/* CS: 32-bit code */
	lea	compat(%rip), %rax
	push	%rax			/* RIP */
	lretq

	.code32
compat:	mov	$msg_compat, %esi
	call	puts32			/* 03-modes.S's 32-bit print loop */
	hlt
	.endm
#define IN_LONG_MODE	to_compat

#include "../guests/03-modes.S"

	.section .rodata
msg_compat:	.asciz	"compatibility mode\n"
