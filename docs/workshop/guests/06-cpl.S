/*
 * 06-cpl.S - lesson 6: which ring, before and after a privileged instruction.
 *
 * The CPL is the low two bits of CS (SDM Vol. 3A, 5.5 "Privilege Levels").
 * The guest reads CS, reads CR0 (MOV from a control register raises #GP(0)
 * at CPL > 0: SDM Vol. 2B, "MOV - Move to/from Control Registers"), reads
 * CS again, and only then prints: no `out` runs before the two reads, so
 * what it prints does not depend on how the host treats port I/O in ring 3.
 *
 * Run:    ./kvmrun docs/workshop/guests/06-cpl.bin
 * Expect: "before: ring 3" and "after mov %cr0: ring 0" (--ring auto),
 *         status 0; with --ring 3 kvmrun ends the run at the mov (126).
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

/* What lesson 6's exercise changes (solutions/06-rdmsr.S defines these,
 * then includes this file): the privileged instruction, the second line's
 * text, and what is printed after the two rings (nothing here). */
#ifndef PRIVILEGED
#define PRIVILEGED	mov %cr0, %rax
#endif
#ifndef AFTER
#define AFTER		"after mov %cr0: ring "
#endif
#ifndef MORE_OUTPUT
#define MORE_OUTPUT
#endif

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%cs, %ebx		/* CPL before */
	PRIVILEGED			/* mov %cr0, %rax: needs ring 0 */
	mov	%cs, %ebp		/* CPL after */

	lea	before(%rip), %rsi
	call	puts
	mov	%ebx, %eax
	call	putring
	lea	after(%rip), %rsi
	call	puts
	mov	%ebp, %eax
	call	putring
	MORE_OUTPUT
	hlt

/* putring: print the CPL in AX's low two bits, then a newline. */
putring:
	and	$3, %al
	add	$'0', %al
	mov	%al, digit(%rip)
	lea	digit(%rip), %rsi
	jmp	puts

puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
before:	.asciz	"before: ring "
after:	.asciz	AFTER

	.section .data
digit:	.asciz	"?\n"
