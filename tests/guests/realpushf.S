/*
 * realpushf.S - a real-mode pushf on a stack whose segment has a base,
 * for --gdb's stepping (tests/sections/debug.sh): the image must not show
 * the TF kvmrun's steps set, and nothing else may change (a canary at the
 * stack offset's linear address without SS's base).
 *
 * Run:    ./kvmrun --mode real tests/guests/realpushf.bin
 * Expect: "k" on the debug console, status 0; "T" if the guest saw TF,
 *         "C" if the canary changed.
 */
#include <kvmrun/abi.h>

	.code16
	.section .text.entry, "ax"
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	movw	$0xffff, 0x100		/* the canary: linear 0x100 */
	mov	$0x2000, %ax		/* SS base 0x20000 (SDM vol. 3A, 20.1.1) */
	mov	%ax, %ss
	mov	$0x102, %sp		/* after the pushf: SS:SP = 2000:0100 */
	pushf
	pop	%bx
	mov	$'T', %al
	test	$0x100, %bx		/* TF is bit 8 */
	jnz	1f
	mov	$'C', %al
	cmpw	$0xffff, 0x100
	jne	1f
	mov	$'k', %al
1:	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	hlt
