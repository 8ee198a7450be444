/*
 * spin: print a line, then loop forever without ever exiting to the host.
 * Used to test --timeout (status 124) and signals (128 + N): the line
 * printed before the loop must still reach stdout.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	lea	msg(%rip), %rsi
	mov	$KVMRUN_PORT_DEBUGCON, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	jmp	2b			/* no exit, no hlt: only a limit stops it */

	.section .rodata
msg:	.asciz "spinning\n"
