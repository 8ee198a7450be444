/*
 * compat.S - a ring-3 guest in compatibility mode that needs ring 0.
 *
 * In --ring auto the guest starts in ring 3; its lgdt moves it to ring 0.
 * It loads its own GDT, then drops back to ring 3 with iretq, into 32-bit
 * (RBX=0) or 16-bit (RBX=1) compatibility-mode code, which executes cli:
 * that needs ring 0 again, so kvmrun moves it again.  The move must keep
 * the code's size: 0x40 is "inc eax" (or "inc ax") there, but a REX
 * prefix in 64-bit code, and b8 takes a 16-bit immediate in 16-bit code.
 * Kept intact, the code prints "B" and exits with 32 (or 16); moved to
 * 64-bit code it would print "A" or garble.  With RBX=2 the GDT has no
 * ring-0 twin of the 32-bit code segment: kvmrun cannot move the guest,
 * and must say so.
 *
 * Run:    ./kvmrun --set rbx=0 tests/guests/compat.bin
 * Expect: "B" on stdout, status 32 (rbx=1: 16; rbx=2: 126 and a message
 *         that kvmrun cannot move the guest to ring 0).
 */
#include <kvmrun/abi.h>

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32_U	0x1b		/* ring-3 selectors: RPL 3 */
#define SEL_DATA32_U	0x23
#define SEL_CODE32	0x28
#define SEL_CODE16_U	0x3b
#define SEL_DATA16_U	0x43
#define STACK		0xfff0

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lgdt	gdtr(%rip)		/* needs ring 0: kvmrun moves the guest */
	mov	$SEL_DATA, %ax
	mov	%ax, %ss
	mov	%ax, %ds
	mov	%ax, %es
	pushq	$SEL_CODE64		/* CS from the new GDT */
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	cmp	$2, %rbx
	jne	2f
	movb	$0x1a, gdt + SEL_CODE32 + 5(%rip)	/* not present: no twin */
2:	/* iretq to ring 3: SS, RSP, RFLAGS, CS, RIP. */
	cmp	$1, %rbx
	je	3f
	pushq	$SEL_DATA32_U
	pushq	$STACK
	pushq	$0x2
	pushq	$SEL_CODE32_U
	lea	compat32(%rip), %rax
	pushq	%rax
	iretq
3:	pushq	$SEL_DATA16_U
	pushq	$STACK
	pushq	$0x2
	pushq	$SEL_CODE16_U
	lea	compat16(%rip), %rax
	sub	$KVMRUN_DEFAULT_LOAD, %rax	/* IP within the 16-bit segment */
	pushq	%rax
	iretq

	.code32
compat32:
	cli				/* needs ring 0: moved again */
	mov	$'A', %eax
	.byte	0x40			/* inc %eax; a REX prefix in 64-bit code */
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$32, %al
	out	%al, $KVMRUN_PORT_EXIT

	.code16
compat16:
	cli
	mov	$'A', %ax		/* b8 41 00: a 16-bit immediate */
	inc	%ax
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$16, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
	.align	8
gdt:	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code, ring 0 */
	.quad	0x00cf92000000ffff	/* 0x10: data, ring 0 */
	.quad	0x00cffa000000ffff	/* 0x18: 32-bit code, ring 3 */
	.quad	0x00cff2000000ffff	/* 0x20: 32-bit data, ring 3 */
	.quad	0x00cf9a000000ffff	/* 0x28: 32-bit code, ring 0 */
	.quad	0x00cf92000000ffff	/* 0x30: 32-bit data, ring 0 */
	.quad	0x0000fa010000ffff	/* 0x38: 16-bit code at 0x10000, ring 3 */
	.quad	0x0000f2000000ffff	/* 0x40: 16-bit data, ring 3 */
	.quad	0x00009a010000ffff	/* 0x48: 16-bit code at 0x10000, ring 0 */
	.quad	0x000092000000ffff	/* 0x50: 16-bit data, ring 0 */
gdt_end:
gdtr:	.short	gdt_end - gdt - 1
	.quad	gdt
