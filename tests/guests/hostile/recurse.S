/*
 * hostile/recurse.S - unbounded recursion on the initial stack.
 *
 * A hostile guest that recurses with `call` from the initial RSP
 * (0x10000) downwards, without end.  Below the initial stack lies the guard
 * page, which is not mapped: the push that reaches it faults before the
 * stack can run on into kvmrun's tables (supervisor stack, IDT, TSS, ...),
 * and kvmrun reports a stack overflow, a #PF at 0xbff8 (status 126).
 *
 * Run:    ./kvmrun tests/guests/hostile/recurse.bin
 * Expect: "recurse: down we go\n" on stdout (and nothing after it), then
 *         "kvmrun: guest crashed: stack overflow: #PF ..." on stderr,
 *         status 126.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	recurse
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b

recurse:
	inc	%rbx			/* depth */
	call	recurse
	lea	msg_back(%rip), %rsi	/* never: no call returns */
2:	lodsb
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	2b

	.section .rodata
msg:	.asciz	"recurse: down we go\n"
msg_back: .asciz "recurse: returned?!\n"
