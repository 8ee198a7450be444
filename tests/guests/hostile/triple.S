/*
 * hostile/triple.S - a triple fault.
 *
 * A hostile guest that makes every exception undeliverable (an IDT with
 * limit 0) and then faults.  The CPU gives up: a triple fault, which on a
 * PC resets the machine and which KVM reports as KVM_EXIT_SHUTDOWN.
 * kvmrun must end the run there, once: no reset, no second run of the
 * guest, one crash report, status 126.  RBX (--set rbx=N) picks the fault:
 *
 *   0  ud2 (#UD)
 *   1  a write to an unmapped address (#PF)
 *   2  a division by zero (#DE)
 *
 * In the default mode the lidt moves the guest to ring 0 first.
 *
 * Run:    ./kvmrun --set rbx=1 tests/guests/hostile/triple.bin
 * Expect: "triple: booting\n" once on stdout, then
 *           kvmrun: guest crashed: KVM_EXIT_SHUTDOWN (triple fault: ...)
 *         with the code bytes and registers, and status 126.
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
2:	lidt	null_idt(%rip)		/* no exception can be delivered now */
	cmp	$1, %rbx
	je	pf
	cmp	$2, %rbx
	je	de
	ud2
pf:	movabs	$0x200000000, %rax
	movq	$1, (%rax)
de:	xor	%ecx, %ecx
	div	%ecx
	hlt

	.section .rodata
	.balign	8
null_idt: .word	0			/* limit 0: not even one gate */
	.quad	0
msg:	.asciz	"triple: booting\n"
