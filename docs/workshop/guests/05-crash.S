/*
 * 05-crash.S - lesson 5's first guest: a division by zero with no IDT of
 * its own.  The CPU raises #DE (vector 0, Intel SDM vol. 3, 6.15) through
 * the IDT kvmrun set up, whose gate leads to a stub that is a single hlt:
 * kvmrun sees the hlt, knows the vector from the stub's address, reads the
 * exception frame, and reports the crash.
 *
 * Run:    ./kvmrun docs/workshop/guests/05-crash.bin
 * Expect: "dividing 7 by 0", then kvmrun's report of the #DE, status 126.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	mov	$7, %eax
	xor	%edx, %edx
	xor	%ecx, %ecx
	div	%ecx			/* EDX:EAX / 0: #DE */
	hlt

	.section .rodata
msg:	.asciz	"dividing 7 by 0\n"
