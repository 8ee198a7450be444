/*
 * traceflags: code whose result depends on RFLAGS and on the stack, to
 * check that --trace insns (which sets the trap flag on the guest) changes
 * nothing the guest can see: pushf must not show TF, popf must not lose
 * it for the tracer, and setge/setl (0f 9d / 0f 9c, whose second bytes
 * look like popf/pushf) must leave the stack alone.
 *
 * Run:    ./kvmrun tests/guests/traceflags.bin
 *         ./kvmrun --trace insns --trace-file /dev/null tests/guests/traceflags.bin
 * Expect: "traceflags ok" from both, status 0; otherwise the number of
 *         the failed check.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	/* 1: pushf shows the flags without TF (bit 8). */
	pushfq
	pop	%rax
	test	$0x100, %eax
	mov	$1, %bl
	jnz	fail
	/* 2: setge and setl next to a stack slot leave the slot alone. */
	sub	$8, %rsp
	movq	$0, (%rsp)
	xor	%eax, %eax
	cmp	%eax, %eax
	setge	%al
	setl	%ah
	mov	(%rsp), %rcx
	add	$8, %rsp
	test	%rcx, %rcx
	mov	$2, %bl
	jnz	fail
	cmp	$0x0001, %ax		/* ge true, l false */
	mov	$3, %bl
	jne	fail
	/* 4: popf of a value with CF set, then pushf: CF set, TF clear. */
	pushq	$0x3			/* bit 1 and CF */
	popfq
	pushfq
	pop	%rax
	and	$0x1ff, %eax
	cmp	$0x3, %eax
	mov	$4, %bl
	jne	fail

	lea	ok(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	hlt

fail:	mov	%bl, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
ok:	.asciz "traceflags ok\n"
