/*
 * avxtouch: the first touch of a RAM chunk is an AVX store.  kvmrun hands
 * RAM to KVM in 64 MiB chunks when first needed; KVM cannot emulate an AVX
 * store to memory it does not have yet, so kvmrun hands over the rest of
 * RAM and the store is retried.  (Checks CPUID for AVX first.)
 *
 * Run:    ./kvmrun --mem 256M tests/guests/avxtouch.bin
 * Expect: "avxtouch ok", status 0.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	mov	$1, %eax
	cpuid
	bt	$28, %ecx		/* AVX */
	jnc	done
	vpcmpeqb %ymm0, %ymm0, %ymm0	/* all ones */
	mov	$0x8000000, %rbx	/* 128 MiB: a chunk nobody touched */
	vmovdqu	%ymm0, (%rbx)
	cmpq	$-1, 24(%rbx)
	jne	bad
done:	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	hlt
bad:	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
msg:	.asciz "avxtouch ok\n"
