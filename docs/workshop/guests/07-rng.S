/*
 * 07-rng.S - lesson 7: use the random-number register the exercise adds.
 *
 * The register is MMIO at 0xd0001000: four 8-byte loads from it each exit
 * to kvmrun (KVM_EXIT_MMIO), which asks the device on its MMIO bus for the
 * value.  With no device there, kvmrun answers every load with all ones
 * (README, "Devices"); the guest says so and exits with status 1.
 * Otherwise it checks that the four numbers differ and exits with 0.
 *
 * Run:    ./kvmrun docs/workshop/guests/07-rng.bin
 * Expect: without the device: "rng: 0xd0001000 reads all ones: no device",
 *         status 1; with it: "rng: 4 numbers, all different: ok", status 0.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

#define RNG_ADDR	0xd0001000

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$RNG_ADDR, %ebx
	mov	(%rbx), %r8		/* four MMIO loads */
	mov	(%rbx), %r9
	mov	(%rbx), %r10
	mov	(%rbx), %r11

	cmp	$-1, %r8		/* open bus: nobody answered */
	je	nodev
	cmp	%r8, %r9
	je	same
	cmp	%r8, %r10
	je	same
	cmp	%r8, %r11
	je	same
	cmp	%r9, %r10
	je	same
	cmp	%r9, %r11
	je	same
	cmp	%r10, %r11
	je	same
	lea	ok(%rip), %rsi
	call	puts
	hlt				/* status 0 */

nodev:	lea	msg_nodev(%rip), %rsi
	jmp	fail
same:	lea	msg_same(%rip), %rsi
fail:	call	puts
	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT	/* status 1 */

puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
ok:		.asciz	"rng: 4 numbers, all different: ok\n"
msg_nodev:	.asciz	"rng: 0xd0001000 reads all ones: no device\n"
msg_same:	.asciz	"rng: two of 4 numbers are the same\n"
