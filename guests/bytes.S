/*
 * bytes: write every byte value 0x00-0xff to COM1, then a newline, then
 * hlt.  Guest output is binary-safe: stdout must hold exactly these 257
 * bytes, NUL and 0xff included.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	mov	$KVMRUN_PORT_COM1 + UART_THR, %dx
	xor	%eax, %eax
1:	out	%al, %dx
	inc	%eax
	cmp	$256, %eax
	jne	1b
	mov	$'\n', %al
	out	%al, %dx
	hlt
