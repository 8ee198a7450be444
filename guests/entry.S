/*
 * entry: an image whose real start is not its first byte, for --entry.
 * Run as is, it starts at offset 0 and exits with status 1; run with
 * `-e 0x10100` it starts at offset 0x100, prints a line and halts.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT

	.org	0x100			/* the real entry: load address + 0x100 */
real_start:
	lea	msg(%rip), %rsi
	mov	$KVMRUN_PORT_DEBUGCON, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	hlt

	.section .rodata
msg:	.asciz "started at the --entry address\n"
