/*
 * 01-lwn.S - lesson 1's guest: the first guest of the LWN article "Using
 * the KVM API".  Twelve bytes of 16-bit real-mode code: add BL to AL,
 * print the sum as one digit and a newline on COM1's data port, and halt.
 * The host chooses AL and BL (--set rax=2 --set rbx=2).
 *
 * Each "out" is a VM exit (KVM_EXIT_IO): the CPU cannot complete it, KVM
 * hands it to kvmrun, which writes the byte to stdout.  "hlt" is the last
 * exit (KVM_EXIT_HLT): no interrupts can wake the CPU, so the run ends.
 *
 * Run:    ./kvmrun --mode real --load 0x1000 --set rax=2 --set rbx=2 docs/workshop/guests/01-lwn.bin
 * Expect: "4", status 0.
 */
	.code16				/* real mode: 16-bit code (SDM vol. 3, 20.1) */
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$0x3f8, %dx		/* COM1's transmit holding register */
	add	%bl, %al
	add	$'0', %al		/* a digit, if the sum is below 10 */
	out	%al, (%dx)		/* exit 1 */
	mov	$'\n', %al
	out	%al, (%dx)		/* exit 2 */
	hlt				/* exit 3: the end */
