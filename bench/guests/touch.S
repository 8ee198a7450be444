/* Touch 256 MiB of RAM from 16 MiB up, one byte per 4 KiB page, then hlt.
 * Run with --mem 512M. */
	.section .text.entry
	.globl _start
_start:	mov	$0x1000000, %rax
	mov	$0x11000000, %rcx
1:	movb	$1, (%rax)
	add	$4096, %rax
	cmp	%rcx, %rax
	jne	1b
	hlt
