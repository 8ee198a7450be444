/*
 * fault-ss.S - a stack-segment fault (#SS): a non-canonical stack pointer.
 *
 * Demonstrates: a non-canonical address (see fault-gp.S) used through the
 * stack (RSP, or RBP as a base) is a #SS, not a #GP.  The guest points RSP
 * at 0x8000000000000000 and pushes.  #SS is not a #GP, so the default
 * --ring auto reports it where it happened, in ring 3.
 *
 * Run:    ./kvmrun guests/fault-ss.bin            (ring 3)
 *         ./kvmrun --ring 0 guests/fault-ss.bin   (ring 0)
 * Expect: "fault-ss: pushing onto a non-canonical stack" on stdout, then
 *           kvmrun: guest crashed: #SS stack-segment fault at rip 0x10016 in ring 3: error code 0
 *         (ring 0 with --ring 0), and exit status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	movabs	$0x8000000000000000, %rsp	/* not canonical */
	push	%rax			/* #SS(0) */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-ss: pushing onto a non-canonical stack\n"
