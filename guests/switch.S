/*
 * switch.S - the move from ring 3 to ring 0 keeps every register.
 *
 * Demonstrates: what --ring auto (the default) does at the first
 * privileged instruction.  The guest starts in ring 3, loads a distinctive
 * value into every general register (rax rbx rcx rdx rsi rdi rbp r8-r15),
 * a known RSP, sets the carry flag, then executes `cli`.  In ring 3 `cli`
 * raises #GP; kvmrun catches it and continues the guest in ring 0 (CS 0x08,
 * SS 0x10) AT THE SAME INSTRUCTION, which now runs.  The guest then checks,
 * in ring 0, that
 *    1-15  rax rbx rcx rdx rsi rdi rbp r8 ... r15 still hold their values
 *    16    RSP is unchanged
 *    17    RFLAGS.IF is clear (cli cleared it; kvmrun resumes with IF clear)
 *    18    the rest of RFLAGS is as before: CF set, nothing else (0x3)
 *    19    it really runs in ring 0 now (CS.RPL = 0)
 *
 * switch-cr3.S builds this file with SWITCH_CR3 defined: the privileged
 * instruction is then `mov %cr3, %rax`, and check 1 expects rax to hold
 * CR3 (KVMRUN_PML4_ADDR, 0x1000) afterwards instead of its old value.
 *
 * Run:    ./kvmrun guests/switch.bin     (and guests/switch-cr3.bin)
 * Expect: "switch ok" (or "switch-cr3 ok") and status 0.  A failed check
 *         prints "switch FAIL <n>: <register>" and exits with status n.
 *         With --ring 0 there is no switch and the checks pass as well;
 *         with --ring 3 kvmrun ends the run at the cli ("mov from cr") with
 *         status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

#define RSP_VALUE	0xfe58		/* a known, odd-looking stack pointer */
#define RFLAGS_CF	0x001
#define RFLAGS_FIXED	0x002		/* bit 1 always reads as 1 */
#define RFLAGS_IF	0x200

/* CHECK n, jcc, "what": if the jcc jumps, check n failed. */
.macro CHECK n, jcc, what
	\jcc	fail_\@
	.pushsection .text.entry, 1
fail_\@:
	mov	$\n, %ebx
	lea	what_\@(%rip), %r12
	jmp	fail
what_\@:	.asciz	"\what"
	.popsection
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	expect+0*8(%rip), %rax
	mov	expect+1*8(%rip), %rbx
	mov	expect+2*8(%rip), %rcx
	mov	expect+3*8(%rip), %rdx
	mov	expect+4*8(%rip), %rsi
	mov	expect+5*8(%rip), %rdi
	mov	expect+6*8(%rip), %rbp
	mov	expect+7*8(%rip), %r8
	mov	expect+8*8(%rip), %r9
	mov	expect+9*8(%rip), %r10
	mov	expect+10*8(%rip), %r11
	mov	expect+11*8(%rip), %r12
	mov	expect+12*8(%rip), %r13
	mov	expect+13*8(%rip), %r14
	mov	expect+14*8(%rip), %r15
	mov	$RSP_VALUE, %esp	/* (writing ESP zeroes RSP's top half) */
	stc				/* CF = 1: a flag that must survive */
#ifdef SWITCH_CR3
	mov	%cr3, %rax		/* ring 3: #GP; kvmrun moves us to ring 0 */
#else
	cli				/* ring 3: #GP; kvmrun moves us to ring 0 */
#endif
	/* Now in ring 0.  Save RFLAGS first: `cmp` changes it. */
	pushfq
	popq	saved_rflags(%rip)
	cmp	$RSP_VALUE, %rsp
	CHECK	16, jne, "rsp"
#ifdef SWITCH_CR3
	cmp	$KVMRUN_PML4_ADDR, %rax
	CHECK	1, jne, "rax (expected CR3, 0x1000)"
#else
	cmp	expect+0*8(%rip), %rax
	CHECK	1, jne, "rax"
#endif
	cmp	expect+1*8(%rip), %rbx
	CHECK	2, jne, "rbx"
	cmp	expect+2*8(%rip), %rcx
	CHECK	3, jne, "rcx"
	cmp	expect+3*8(%rip), %rdx
	CHECK	4, jne, "rdx"
	cmp	expect+4*8(%rip), %rsi
	CHECK	5, jne, "rsi"
	cmp	expect+5*8(%rip), %rdi
	CHECK	6, jne, "rdi"
	cmp	expect+6*8(%rip), %rbp
	CHECK	7, jne, "rbp"
	cmp	expect+7*8(%rip), %r8
	CHECK	8, jne, "r8"
	cmp	expect+8*8(%rip), %r9
	CHECK	9, jne, "r9"
	cmp	expect+9*8(%rip), %r10
	CHECK	10, jne, "r10"
	cmp	expect+10*8(%rip), %r11
	CHECK	11, jne, "r11"
	cmp	expect+11*8(%rip), %r12
	CHECK	12, jne, "r12"
	cmp	expect+12*8(%rip), %r13
	CHECK	13, jne, "r13"
	cmp	expect+13*8(%rip), %r14
	CHECK	14, jne, "r14"
	cmp	expect+14*8(%rip), %r15
	CHECK	15, jne, "r15"
	mov	saved_rflags(%rip), %rax
	test	$RFLAGS_IF, %eax
	CHECK	17, jnz, "rflags.IF set"
	cmp	$RFLAGS_FIXED | RFLAGS_CF, %rax
	CHECK	18, jne, "rflags (expected 0x3)"
	mov	%cs, %ax
	test	$3, %al
	CHECK	19, jnz, "not in ring 0 (cs.rpl)"

	lea	msg_ok(%rip), %rsi
	call	puts
	hlt

/* A check failed: print "<name> FAIL <n>: <what at r12>", exit with n. */
fail:
	lea	msg_fail(%rip), %rsi
	call	puts
	mov	%ebx, %eax
	mov	$10, %cl
	div	%cl			/* AL = tens, AH = units (n < 100) */
	add	$'0' << 8 | '0', %ax
	mov	$KVMRUN_PORT_COM1 + UART_THR, %dx
	cmp	$'0', %al
	je	1f			/* no leading zero */
	out	%al, %dx
1:	mov	%ah, %al
	out	%al, %dx
	lea	msg_colon(%rip), %rsi
	call	puts
	mov	%r12, %rsi
	call	puts
	lea	msg_nl(%rip), %rsi
	call	puts
	mov	%ebx, %eax
	out	%al, $KVMRUN_PORT_EXIT
	hlt

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
	.balign	8
expect:	/* rax rbx rcx rdx rsi rdi rbp r8 ... r15: 0x1111...11 ... 0xffff...ff */
	.irp	n, 1,2,3,4,5,6,7,8,9,0xa,0xb,0xc,0xd,0xe,0xf
	.quad	0x1111111111111111 * \n
	.endr
#ifdef SWITCH_CR3
msg_ok:		.asciz	"switch-cr3 ok\n"
msg_fail:	.asciz	"switch-cr3 FAIL "
#else
msg_ok:		.asciz	"switch ok\n"
msg_fail:	.asciz	"switch FAIL "
#endif
msg_colon:	.asciz	": "
msg_nl:		.asciz	"\n"

	.section .data
	.balign	8
saved_rflags:	.quad	0
