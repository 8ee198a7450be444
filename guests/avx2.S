/*
 * avx2.S - AVX and AVX2 arithmetic on 256-bit YMM registers, in ring 3.
 *
 * Demonstrates: kvmrun sets CR4.OSXSAVE and XCR0 = x87|SSE|AVX where the
 * CPU has XSAVE, so a guest can use AVX like any program.  A careful
 * program asks first: CPUID.1:ECX.AVX and OSXSAVE, XGETBV (XCR0 has the
 * SSE and AVX state bits), CPUID.7:EBX.AVX2.  Then, eight lanes at once:
 *    vpaddd       {1,...,8} + {10,...,80}                    (AVX2)
 *    vpmulld      the squares of those sums, and their sum    (AVX2)
 *    vmulps/vaddps  x*x + 0.75 for x = 0.5, 1.5, ..., 7.5     (AVX)
 *                 which is n*n + n + 1 for n = 0..7
 *
 * Like SSE (see sse.S), AVX only works in ring 3 on kvm_pvm hosts, whose
 * ring-0 emulator cannot execute it; the default --ring auto keeps this
 * guest in ring 3.
 *
 * Run:    ./kvmrun guests/avx2.bin
 * Expect: on stdout
 *           avx2: computing with 256-bit vectors
 *           vpaddd: 11 22 33 44 55 66 77 88
 *           vpmulld: 121 484 1089 1936 3025 4356 5929 7744 (sum 24684)
 *           vmulps+vaddps: 1 3 7 13 21 31 43 57
 *         and status 0.  On a CPU without AVX2 it prints
 *         "avx2: not available" and exits with status 2.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

#define CPUID1_ECX_OSXSAVE	(1 << 27)
#define CPUID1_ECX_AVX		(1 << 28)
#define CPUID7_EBX_AVX2		(1 << 5)
#define XCR0_SSE_AVX		0x6	/* XMM and upper-YMM state enabled */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* Is AVX2 there, and enabled? */
	mov	$1, %eax
	cpuid
	and	$CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX, %ecx
	cmp	$CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX, %ecx
	jne	no_avx2
	xor	%ecx, %ecx
	xgetbv				/* EDX:EAX = XCR0 */
	and	$XCR0_SSE_AVX, %eax
	cmp	$XCR0_SSE_AVX, %eax
	jne	no_avx2
	mov	$7, %eax
	xor	%ecx, %ecx
	cpuid
	test	$CPUID7_EBX_AVX2, %ebx
	jz	no_avx2

	lea	msg_hdr(%rip), %rsi
	call	puts

	/* vpaddd: eight 32-bit adds */
	vmovdqu	ints_a(%rip), %ymm0
	vpaddd	ints_b(%rip), %ymm0, %ymm0	/* {11, 22, ..., 88} */
	vmovdqu	%ymm0, result(%rip)
	lea	msg_paddd(%rip), %rsi
	call	puts
	call	print8
	lea	msg_nl(%rip), %rsi
	call	puts

	/* vpmulld: eight 32-bit multiplies (low halves), then a sum */
	vpmulld	%ymm0, %ymm0, %ymm1		/* the squares */
	vmovdqu	%ymm1, result(%rip)
	vextracti128 $1, %ymm1, %xmm2		/* upper four lanes */
	vpaddd	%xmm2, %xmm1, %xmm1		/* + lower four */
	vpshufd	$0x4e, %xmm1, %xmm2
	vpaddd	%xmm2, %xmm1, %xmm1
	vpshufd	$0xb1, %xmm1, %xmm2
	vpaddd	%xmm2, %xmm1, %xmm1		/* every lane: the sum */
	lea	msg_pmulld(%rip), %rsi
	call	puts
	call	print8
	lea	msg_sum(%rip), %rsi
	call	puts
	vmovd	%xmm1, %eax
	call	putu
	lea	msg_close(%rip), %rsi
	call	puts

	/* vmulps + vaddps: x*x + 0.75 in single precision */
	vmovups	floats(%rip), %ymm3
	vbroadcastss three_quarters(%rip), %ymm4
	vmulps	%ymm3, %ymm3, %ymm3
	vaddps	%ymm4, %ymm3, %ymm3
	vcvttps2dq %ymm3, %ymm3			/* exact: the sums are integers */
	vmovdqu	%ymm3, result(%rip)
	lea	msg_mulps(%rip), %rsi
	call	puts
	call	print8
	lea	msg_nl(%rip), %rsi
	call	puts

	vzeroupper			/* leave AVX code clean */
	hlt

no_avx2:
	lea	msg_none(%rip), %rsi
	call	puts
	mov	$2, %al
	out	%al, $KVMRUN_PORT_EXIT	/* ends the run: status 2 */
	hlt

/* print8: print the eight 32-bit integers at `result`, space-separated. */
print8:
	xor	%ebx, %ebx
1:	mov	result(, %rbx, 4), %eax
	call	putu
	inc	%ebx
	cmp	$8, %ebx
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
	.balign	32
ints_a:		.long	1, 2, 3, 4, 5, 6, 7, 8
ints_b:		.long	10, 20, 30, 40, 50, 60, 70, 80
floats:		.float	0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5
three_quarters:	.float	0.75
msg_hdr:	.asciz	"avx2: computing with 256-bit vectors\n"
msg_paddd:	.asciz	"vpaddd: "
msg_pmulld:	.asciz	"vpmulld: "
msg_sum:	.asciz	" (sum "
msg_close:	.asciz	")\n"
msg_mulps:	.asciz	"vmulps+vaddps: "
msg_nl:		.asciz	"\n"
msg_none:	.asciz	"avx2: not available\n"

	.section .data
	.balign	32
result:		.space	32
numbuf:		.space	20
numbuf_end:	.byte	0
