/*
 * bootsector.S - a 512-byte boot sector, loaded where a BIOS loads one:
 * 0000:7c00.  It checks the real-mode entry state kvmrun documents (CS 0,
 * IP 0x7c00, SS:SP 0000:7c00, DS and ES 0), prints a line on the debug
 * console if all holds and exits with 0, else exits with 1.  It ends with
 * the 0x55 0xaa signature.  Position-independent (call/pop), so that the
 * check of IP means something.
 *
 * Run:    ./kvmrun --mode real --load 0x7c00 tests/guests/bootsector.bin
 * Expect: "boot sector at 0000:7c00, stack 0000:7c00", status 0.
 */
#include <kvmrun/abi.h>

	.code16
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%sp, %bp		/* before the call below moves it */
	call	1f
1:	pop	%si			/* the IP of label 1 */
	xor	%bx, %bx		/* stays 0 while every check holds */
	mov	%cs, %ax
	or	%ax, %bx
	mov	%ss, %ax
	or	%ax, %bx
	mov	%ds, %ax
	or	%ax, %bx
	mov	%es, %ax
	or	%ax, %bx
	mov	%bp, %ax
	xor	$0x7c00, %ax
	or	%ax, %bx
	mov	%si, %ax
	xor	$(1b - _start + 0x7c00), %ax
	or	%ax, %bx
	jnz	bad
	add	$(msg - 1b), %si
	mov	$KVMRUN_PORT_DEBUGCON, %dx
2:	lodsb				/* DS:SI, DS being 0 */
	test	%al, %al
	jz	3f
	out	%al, (%dx)
	jmp	2b
3:	xor	%ax, %ax
	jmp	4f
bad:	mov	$1, %ax
4:	mov	$KVMRUN_PORT_EXIT, %dx
	out	%al, (%dx)
	hlt

msg:	.asciz	"boot sector at 0000:7c00, stack 0000:7c00\n"
	.org	510
	.byte	0x55, 0xaa
