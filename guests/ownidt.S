/*
 * ownidt: a guest that loads its own IDT keeps its exceptions.  It builds
 * a one-entry-per-vector IDT whose #UD gate leads to its own handler,
 * loads it with lidt (in the default --ring auto, this is the instruction
 * that moves the guest to ring 0), then executes ud2.  Its handler, not
 * kvmrun's supervisor, gets the #UD: it steps over the ud2 and returns.
 *
 * Run:    ./kvmrun guests/ownidt.bin
 * Expect: "ownidt: caught #UD at 0x..." then "ownidt: back after iretq",
 *         status 0.
 */
#include <kvmrun/abi.h>

#define VEC_UD	6

	.section .text.entry
	.globl _start
_start:
	/* Gate 6: 64-bit interrupt gate, present, DPL0, selector 0x08. */
	lea	idt(%rip), %rdi
	lea	ud_handler(%rip), %rax
	mov	%ax, VEC_UD * 16(%rdi)			/* offset 15:0 */
	movw	$KVMRUN_SEL_CODE64, VEC_UD * 16 + 2(%rdi)
	movw	$0x8e00, VEC_UD * 16 + 4(%rdi)		/* P, DPL0, type 0xe */
	shr	$16, %rax
	mov	%ax, VEC_UD * 16 + 6(%rdi)		/* offset 31:16 */
	shr	$16, %rax
	mov	%eax, VEC_UD * 16 + 8(%rdi)		/* offset 63:32 */

	lidt	idtr(%rip)
	ud2
	lea	back(%rip), %rsi
	call	puts
	hlt

ud_handler:
	lea	caught(%rip), %rsi
	call	puts
	mov	(%rsp), %rax				/* the faulting RIP */
	call	puthex
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	addq	$2, (%rsp)				/* step over ud2 */
	iretq

/* puts: print the NUL-terminated string at RSI on the debug console. */
puts:
	lodsb
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts
1:	ret

/* puthex: print RAX in hex. */
puthex:
	mov	%rax, %rdx
	mov	$16, %ecx
1:	rol	$4, %rdx
	mov	%dl, %al
	and	$0xf, %al
	add	$'0', %al
	cmp	$'9', %al
	jbe	2f
	add	$'a' - '9' - 1, %al
2:	out	%al, $KVMRUN_PORT_DEBUGCON
	dec	%ecx
	jnz	1b
	ret

	.section .rodata
caught:	.asciz "ownidt: caught #UD at 0x"
back:	.asciz "ownidt: back after iretq\n"
idtr:	.word	256 * 16 - 1
	.quad	idt

	.data
	.balign 16
idt:	.fill	256 * 16, 1, 0
