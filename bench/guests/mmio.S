/* EXITS MMIO writes to the test device's first scratch register, then hlt. */
#ifndef EXITS
#define EXITS 20000
#endif
	.section .text.entry
	.globl _start
_start:	mov	$EXITS, %ecx
	mov	$0xd0000008, %ebx
1:	mov	%ecx, (%rbx)
	dec	%ecx
	jnz	1b
	hlt
