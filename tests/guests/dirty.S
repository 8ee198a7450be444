/* Write one byte in each of RAX pages (--set rax=N) from 2 MiB up, then
 * hlt: the pages a --repeat reset has to undo. */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:	mov	$0x200000, %rdi
	mov	%rax, %rcx
	jrcxz	2f
1:	movb	$1, (%rdi)
	add	$4096, %rdi
	dec	%rcx
	jnz	1b
2:	hlt
