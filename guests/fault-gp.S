/*
 * fault-gp.S - a general protection fault (#GP): a non-canonical address.
 *
 * Demonstrates: x86-64 virtual addresses are 48 bits wide, sign-extended:
 * bits 63..47 must all be equal ("canonical").  Reading through
 * 0x8000000000000000 is not a page fault but a #GP with error code 0.
 *
 * Which ring does kvmrun report?  The ring it happened in.  In the default
 * --ring auto the guest starts in ring 3, and kvmrun moves it to ring 0
 * only for an instruction that needs ring 0 (the #GP a privileged
 * instruction raises there); a #GP like this one, which ring 0 would raise
 * too, is reported where it happened: "in ring 3" (and "in ring 0" with
 * --ring 0).
 *
 * Run:    ./kvmrun guests/fault-gp.bin   (also with --ring 0, --ring 3)
 * Expect: "fault-gp: reading a non-canonical address" on stdout, then
 *           kvmrun: guest crashed: #GP general protection fault at rip 0x10016 in ring 3: error code 0
 *         ("in ring 0" with --ring 0); exit status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	movabs	$0x8000000000000000, %rbx	/* not canonical */
	mov	(%rbx), %rax		/* #GP(0) */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-gp: reading a non-canonical address\n"
