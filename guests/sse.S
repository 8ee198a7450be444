/*
 * sse.S - SSE2 arithmetic in the default ring 3.
 *
 * Demonstrates: kvmrun enables SSE the way an OS does (CR4.OSFXSR and
 * OSXMMEXCPT), so a guest can use the XMM registers like any program.
 * Three computations, printed so the output can be checked by eye:
 *    paddd   four 32-bit integer adds at once:   {1,2,3,4} + {10,20,30,40}
 *    mulps   four float multiplies at once:      {1.5,2.5,3.5,4.5} * {2,4,6,8}
 *            (then cvttps2dq turns them into integers)
 *    sqrtsd  a double square root: sqrt(2) * 1000000, truncated
 * and a horizontal sum of the paddd result (pshufd + paddd).
 *
 * Where SSE runs matters on some hosts.  In ring 3 (the default) the guest
 * runs natively.  On a kvm_pvm host (see the README) ring-0 code is
 * emulated instruction by instruction, and the emulator cannot do SSE
 * arithmetic: with --ring 0 the first paddd (0x10014; the movdqa before it
 * is a plain move, which the emulator can do) ends the run with
 * KVM_EXIT_INTERNAL_ERROR (status 126), after the first line.
 *
 * Run:    ./kvmrun guests/sse.bin
 * Expect: on stdout
 *           sse: computing with SSE2
 *           paddd: 11 22 33 44 (sum 110)
 *           mulps: 3 10 21 36
 *           sqrtsd: sqrt(2) * 1000000 = 1414213
 *         and status 0.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg_hdr(%rip), %rsi
	call	puts

	/* paddd: packed 32-bit integer add */
	movdqa	ints_a(%rip), %xmm0
	paddd	ints_b(%rip), %xmm0		/* xmm0 = {11,22,33,44} */
	movdqa	%xmm0, result(%rip)
	lea	msg_paddd(%rip), %rsi
	call	puts
	call	print4
	pshufd	$0x4e, %xmm0, %xmm1		/* swap the 64-bit halves */
	paddd	%xmm1, %xmm0			/* {11+33, 22+44, ...} */
	pshufd	$0xb1, %xmm0, %xmm1		/* swap neighbours */
	paddd	%xmm1, %xmm0			/* every lane: the sum */
	lea	msg_sum(%rip), %rsi
	call	puts
	movd	%xmm0, %eax
	call	putu
	lea	msg_close(%rip), %rsi
	call	puts

	/* mulps: packed single-precision multiply */
	movaps	floats_a(%rip), %xmm2
	mulps	floats_b(%rip), %xmm2		/* {3.0, 10.0, 21.0, 36.0} */
	cvttps2dq %xmm2, %xmm2			/* to 32-bit integers */
	movdqa	%xmm2, result(%rip)
	lea	msg_mulps(%rip), %rsi
	call	puts
	call	print4
	lea	msg_nl(%rip), %rsi
	call	puts

	/* sqrtsd: scalar double square root */
	movsd	two(%rip), %xmm3
	sqrtsd	%xmm3, %xmm3			/* 1.41421356... */
	mulsd	million(%rip), %xmm3
	lea	msg_sqrt(%rip), %rsi
	call	puts
	cvttsd2si %xmm3, %rax			/* truncate: 1414213 */
	call	putu
	lea	msg_nl(%rip), %rsi
	call	puts
	hlt

/* print4: print the four 32-bit integers at `result`, space-separated. */
print4:
	xor	%ebx, %ebx
1:	mov	result(, %rbx, 4), %eax
	call	putu
	inc	%ebx
	cmp	$4, %ebx
	je	2f
	mov	$' ', %al
	call	putc
	jmp	1b
2:	ret

/* putu: print RAX in decimal.  Clobbers RAX, RCX, RDX, RDI. */
putu:
	lea	numbuf_end(%rip), %rdi
	mov	$10, %ecx
1:	xor	%edx, %edx
	div	%rcx
	add	$'0', %dl
	dec	%rdi
	mov	%dl, (%rdi)
	test	%rax, %rax
	jnz	1b
	push	%rsi
	mov	%rdi, %rsi
	call	puts
	pop	%rsi
	ret

/* putc: write AL to COM1's THR.  Clobbers DX. */
putc:
	mov	$KVMRUN_PORT_COM1 + UART_THR, %dx
	out	%al, %dx
	ret

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed).  Clobbers AL, DX. */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
	.balign	16			/* movdqa/movaps need 16-byte alignment */
ints_a:		.long	1, 2, 3, 4
ints_b:		.long	10, 20, 30, 40
floats_a:	.float	1.5, 2.5, 3.5, 4.5
floats_b:	.float	2.0, 4.0, 6.0, 8.0
two:		.double	2.0
million:	.double	1000000.0
msg_hdr:	.asciz	"sse: computing with SSE2\n"
msg_paddd:	.asciz	"paddd: "
msg_sum:	.asciz	" (sum "
msg_close:	.asciz	")\n"
msg_mulps:	.asciz	"mulps: "
msg_sqrt:	.asciz	"sqrtsd: sqrt(2) * 1000000 = "
msg_nl:		.asciz	"\n"

	.section .data
	.balign	16
result:		.long	0, 0, 0, 0
numbuf:		.space	20
numbuf_end:	.byte	0
