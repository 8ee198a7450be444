/* BYTES bytes written one `out` at a time to COM1's THR, then hlt. */
	.section .text.entry
	.globl _start
_start:	mov	$BYTES, %ecx
	mov	$0x3f8, %dx
	mov	$'x', %al
1:	out	%al, %dx
	dec	%ecx
	jnz	1b
	hlt
