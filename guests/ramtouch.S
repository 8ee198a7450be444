/*
 * ramtouch: walk the boot information block's memory regions and write,
 * then read back, the first and last byte of every usable region.  Run
 * with --mem 5G it reaches RAM above 4 GiB through kvmrun's page tables.
 * Prints "ramtouch ok" and halts, or exits with status 1 on a mismatch.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	mov	BOOTINFO_MEM_COUNT(%rdi), %ecx
	lea	BOOTINFO_MEM(%rdi), %rbx
1:	test	%ecx, %ecx
	jz	done
	cmpl	$KVMRUN_MEM_USABLE, 16(%rbx)
	jne	2f
	mov	(%rbx), %rsi		/* first byte */
	test	%rsi, %rsi
	jz	3f			/* leave the null page alone */
	movb	$0xa5, (%rsi)
	cmpb	$0xa5, (%rsi)
	jne	bad
3:	add	8(%rbx), %rsi		/* last byte */
	dec	%rsi
	movb	$0x5a, (%rsi)
	cmpb	$0x5a, (%rsi)
	jne	bad
2:	add	$24, %rbx
	dec	%ecx
	jmp	1b
done:
	lea	msg(%rip), %rsi
	mov	$KVMRUN_PORT_DEBUGCON, %dx
4:	lodsb
	test	%al, %al
	jz	5f
	out	%al, %dx
	jmp	4b
5:	hlt
bad:	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
msg:	.asciz "ramtouch ok\n"
