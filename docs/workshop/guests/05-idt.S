/*
 * 05-idt.S - lesson 5's second guest: its own IDT (Intel SDM vol. 3, 6.10
 * and 6.14), with handlers for #DE (vector 0), #BP (3, int3), #UD (6) and
 * #PF (14).  It raises each in turn; a handler prints what it got from the
 * CPU (the vector's name, the saved RIP, an error code, CR2) and resumes
 * the guest at the next test.  int3 is executed in ring 3, as a user
 * program would (its gate has DPL 3, 6.12.1.1); its handler ends the run.
 *
 * Run:    ./kvmrun docs/workshop/guests/05-idt.bin
 * Expect: one line per exception, status 0.
 */
#include <kvmrun/abi.h>

/* Two places lesson 5's exercise adds to, empty in this guest: more gates,
 * and one more test after #PF's.  solutions/05-gp.S defines them (and its
 * handler) and then includes this file. */
#ifndef MORE_GATES
#define MORE_GATES
#endif
#ifndef MORE_TESTS
#define MORE_TESTS
#endif

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* The gates: vector, handler, DPL.  Still in ring 3 here: the IDT
	 * is plain memory until lidt points the CPU at it. */
	mov	$0, %edi
	lea	de_handler(%rip), %rax
	call	set_gate
	mov	$6, %edi
	lea	ud_handler(%rip), %rax
	call	set_gate
	mov	$14, %edi
	lea	pf_handler(%rip), %rax
	call	set_gate
	mov	$3, %edi
	lea	bp_handler(%rip), %rax
	call	set_gate
	orb	$0x60, idt + 3 * 16 + 5(%rip)	/* gate 3: DPL 3, int3 from ring 3 */
	MORE_GATES

	lidt	idtr(%rip)		/* needs ring 0: kvmrun moves the guest there */

	lea	1f(%rip), %rax
	mov	%rax, resume(%rip)
	mov	$7, %eax
	xor	%edx, %edx
	xor	%ecx, %ecx
	div	%ecx			/* #DE */
1:	lea	2f(%rip), %rax
	mov	%rax, resume(%rip)
	ud2				/* #UD */
2:	lea	3f(%rip), %rax
	mov	%rax, resume(%rip)
	mov	0x200000000, %rax	/* 8 GiB: not mapped, #PF */
3:	MORE_TESTS
	/* To ring 3 as an OS starts a program: iretq to a DPL3 CS and SS
	 * (kvmrun's selectors 0x33 and 0x2b). */
	mov	%rsp, %rax
	push	$KVMRUN_SEL_USER_DATA	/* SS */
	push	%rax			/* RSP */
	push	$0x2			/* RFLAGS */
	push	$KVMRUN_SEL_USER_CODE64	/* CS */
	lea	4f(%rip), %rax
	push	%rax			/* RIP */
	iretq
4:	int3				/* #BP, a trap: the saved RIP is after it */
	hlt

/* Faults: the saved RIP is the faulting instruction's (6.5). */
de_handler:
	lea	msg_de(%rip), %rsi
	jmp	report
ud_handler:
	lea	msg_ud(%rip), %rsi
	jmp	report
pf_handler:				/* #PF pushes an error code */
	lea	msg_pf(%rip), %rsi
	call	puts
	mov	8(%rsp), %rax		/* RIP */
	call	puthex
	lea	msg_err(%rip), %rsi
	call	puts
	mov	(%rsp), %rax
	call	puthex
	lea	msg_cr2(%rip), %rsi
	call	puts
	mov	%cr2, %rax
	call	puthex
	call	newline
	add	$8, %rsp		/* drop the error code before iretq */
	jmp	resume_next
report:
	call	puts
	mov	(%rsp), %rax
	call	puthex
	call	newline
resume_next:
	mov	resume(%rip), %rax	/* continue at the next test */
	mov	%rax, (%rsp)
	iretq

bp_handler:
	lea	msg_bp(%rip), %rsi
	call	puts
	mov	(%rsp), %rax
	call	puthex
	lea	msg_ring(%rip), %rsi
	call	puts
	mov	8(%rsp), %rax		/* the saved CS: its RPL is the ring */
	and	$3, %al
	add	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	call	newline
	hlt

/* set_gate: a 64-bit interrupt gate for vector EDI, handler RAX,
 * selector 0x08 (kvmrun's ring-0 code), DPL 0. */
set_gate:
	shl	$4, %edi
	lea	idt(%rip), %rdx
	add	%rdx, %rdi
	mov	%ax, (%rdi)		/* offset 15:0 */
	movw	$KVMRUN_SEL_CODE64, 2(%rdi)
	movw	$0x8e00, 4(%rdi)	/* present, DPL 0, 64-bit interrupt gate */
	shr	$16, %rax
	mov	%ax, 6(%rdi)		/* offset 31:16 */
	shr	$16, %rax
	mov	%eax, 8(%rdi)		/* offset 63:32 */
	ret

puts:	lodsb
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts
1:	ret

newline:
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	ret

/* puthex: RAX as 0x and hexadecimal digits, no leading zeros. */
puthex:
	mov	%rax, %rdx
	mov	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'x', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$60, %cl
1:	mov	%rdx, %rax
	shr	%cl, %rax
	test	$0xf, %al
	jnz	2f
	sub	$4, %cl
	jns	1b
	mov	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	ret
2:	mov	%rdx, %rax
	shr	%cl, %rax
	and	$0xf, %eax
	lea	hexdigits(%rip), %rsi
	mov	(%rsi,%rax), %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	sub	$4, %cl
	jns	2b
	ret

	.section .rodata
hexdigits:	.ascii	"0123456789abcdef"
msg_de:		.asciz	"#DE divide error at rip "
msg_ud:		.asciz	"#UD invalid opcode at rip "
msg_pf:		.asciz	"#PF page fault at rip "
msg_err:	.asciz	", error code "
msg_cr2:	.asciz	", CR2 "
msg_bp:		.asciz	"#BP breakpoint (int3), rip after it "
msg_ring:	.asciz	", from ring "

	.data
	.p2align 4
idt:	.fill	256 * 16, 1, 0
idtr:	.word	256 * 16 - 1
	.quad	idt
resume:	.quad	0
