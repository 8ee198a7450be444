/*
 * 01-twodigits.S - lesson 1, exercise 2: print AL + BL in decimal, as two
 * digits, when the sum is 10 to 99 (below 10 with a leading 0: 2 + 2
 * prints "04").  "aam" (ASCII adjust AX after multiply, SDM vol. 2)
 * divides AL by 10: the quotient goes to AH, the remainder to AL.
 *
 * Run:    ./kvmrun --mode real --load 0x1000 --set rax=7 --set rbx=5 docs/workshop/solutions/01-twodigits.bin
 * Expect: "12", status 0.
 */
	.code16
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$0x3f8, %dx
	add	%bl, %al
	aam				/* AH = AL / 10, AL = AL % 10 */
	add	$0x3030, %ax		/* both to ASCII digits */
	xchg	%al, %ah		/* tens first */
	out	%al, (%dx)
	mov	%ah, %al
	out	%al, (%dx)
	mov	$'\n', %al
	out	%al, (%dx)
	hlt
