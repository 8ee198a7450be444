/*
 * lwn.S - the first guest of the LWN article "Using the KVM API": twelve
 * bytes of 16-bit code that add AL and BL, print the sum as a digit and a
 * newline on COM1, and halt.  Position-independent: it runs wherever it
 * is loaded.
 *
 * Run:    ./kvmrun --mode real --load 0x1000 --set rax=2 --set rbx=2 tests/guests/lwn.bin
 * Expect: "4", status 0.
 */
	.code16
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$0x3f8, %dx
	add	%bl, %al
	add	$'0', %al
	out	%al, (%dx)
	mov	$'\n', %al
	out	%al, (%dx)
	hlt
