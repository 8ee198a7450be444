/*
 * hostile/recurse.S - unbounded recursion on the initial stack.
 *
 * A hostile guest that recurses with `call` from the initial RSP
 * (0x10000) downwards, without end: the stack runs through kvmrun's
 * reserved area (supervisor stack, TSS, IDT, boot information, exception
 * stubs, GDT, page tables), then the null page, then wraps below address
 * 0.  The return addresses it leaves behind wreck the tables the CPU needs
 * to deliver the final fault, so kvmrun cannot report it as an exception:
 * the documented ending is a triple fault (KVM_EXIT_SHUTDOWN, status 126;
 * README "Limits").
 *
 * Run:    ./kvmrun guests/hostile/recurse.bin
 * Expect: "recurse: down we go\n" on stdout (and nothing after it), a
 *         KVM_EXIT_SHUTDOWN crash report on stderr, status 126.
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
