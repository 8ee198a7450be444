/*
 * uint64_t bench_compute(uint8_t *buf): the CPU-bound work of `make bench`,
 * run the same way natively (bench/native.c) and as a guest.  buf holds
 * 16 MiB.  Three parts: an integer loop, a sieve of Eratosthenes over the
 * 16 MiB, and an SSE2 pass (psadbw byte sums) over it.  Returns a checksum.
 * SysV ABI, position-independent, uses only rax rcx rdx rsi r8-r11 xmm0-2.
 */
#define SIEVE	(16 << 20)
#define LOOPS	200000000
#define PASSES	16
	.text
	.globl bench_compute
bench_compute:
	/* 1: integer loop */
	mov	$LOOPS, %rcx
	xor	%eax, %eax
1:	lea	1(%rax,%rax,2), %rax
	xor	%rcx, %rax
	dec	%rcx
	jnz	1b
	mov	%rax, %r11

	/* 2: sieve: buf[i] = 1 if i is prime */
	mov	%rdi, %rsi
	mov	$SIEVE, %rcx
	mov	$1, %eax
	mov	%rdi, %rdx
	rep stosb
	mov	%rsi, %rdi
	movb	$0, (%rdi)
	movb	$0, 1(%rdi)
	mov	$2, %r8			/* i */
2:	mov	%r8, %rax
	imul	%r8, %rax		/* i * i */
	cmp	$SIEVE, %rax
	jae	4f
	cmpb	$0, (%rdi,%r8)
	je	3f
5:	movb	$0, (%rdi,%rax)
	add	%r8, %rax
	cmp	$SIEVE, %rax
	jb	5b
3:	inc	%r8
	jmp	2b
4:
	/* 3: SSE2: sum all bytes PASSES times with psadbw */
	pxor	%xmm2, %xmm2
	mov	$PASSES, %r9
6:	xor	%rcx, %rcx
	pxor	%xmm1, %xmm1
7:	movdqa	(%rdi,%rcx), %xmm0
	psadbw	%xmm2, %xmm0
	paddq	%xmm0, %xmm1
	add	$16, %rcx
	cmp	$SIEVE, %rcx
	jb	7b
	dec	%r9
	jnz	6b
	movq	%xmm1, %rax		/* primes in the low half */
	pshufd	$0xee, %xmm1, %xmm1
	movq	%xmm1, %rdx
	add	%rdx, %rax		/* primes below 16M: 1077871 */
	xor	%r11, %rax
	ret
	.section .note.GNU-stack,"",@progbits
