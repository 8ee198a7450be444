/*
 * hammer: pound on an unclaimed port and an unclaimed MMIO address, 1000
 * times each.  kvmrun reports the first access to each address once and
 * counts the rest, so stderr stays a few lines long; every read returns
 * all ones.  Exits with status 0 if all reads did, else 1.
 */
#include <kvmrun/abi.h>

#define NOBODY_PORT	0x404
#define NOBODY_MMIO	0xc0000000

	.section .text.entry
	.globl _start
_start:
	mov	$1000, %ecx
	mov	$NOBODY_PORT, %dx
	mov	$NOBODY_MMIO, %ebx
	xor	%edi, %edi		/* count of wrong reads */
1:	out	%al, %dx
	in	%dx, %al
	cmp	$0xff, %al
	setne	%al
	movzbl	%al, %eax
	add	%eax, %edi
	movl	%ecx, (%rbx)
	mov	(%rbx), %eax
	cmp	$0xffffffff, %eax
	setne	%al
	movzbl	%al, %eax
	add	%eax, %edi
	dec	%ecx
	jnz	1b
	test	%edi, %edi
	jnz	2f
	hlt
2:	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT
