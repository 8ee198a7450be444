/*
 * 05-gp.S - lesson 5, exercise: guests/05-idt.S with a fifth handler, for
 * #GP (vector 13, Intel SDM vol. 3, 6.15), raised by a load from a
 * non-canonical address (bits 63-47 not all equal, 3.3.7.1).  #GP pushes
 * an error code: 0 here, as the fault is not about a segment selector.
 *
 * Run:    ./kvmrun docs/workshop/solutions/05-gp.bin
 * Expect: the #GP line between #PF's and #BP's, status 0.
 */

/* After 05-idt.S's gates: one for vector 13. */
	.macro	gp_gate
	mov	$13, %edi
	lea	gp_handler(%rip), %rax
	call	set_gate
	.endm
#define MORE_GATES	gp_gate

/* After its #PF test: the #GP test, resumed at 5 after the handler. */
	.macro	gp_test
	lea	5f(%rip), %rax
	mov	%rax, resume(%rip)
	movabs	$0x8000000000000000, %rax
	mov	(%rax), %rax		/* non-canonical: #GP, not #PF */
5:
	.endm
#define MORE_TESTS	gp_test

#include "../guests/05-idt.S"

	.text
gp_handler:				/* #GP pushes an error code too */
	lea	msg_gp(%rip), %rsi
	call	puts
	mov	8(%rsp), %rax		/* RIP */
	call	puthex
	lea	msg_err(%rip), %rsi
	call	puts
	mov	(%rsp), %rax
	call	puthex
	call	newline
	add	$8, %rsp
	jmp	resume_next

	.section .rodata
msg_gp:		.asciz	"#GP general protection at rip "
