/*
 * stackoverflow.S - runaway recursion running off the end of its stack.
 *
 * Demonstrates: what a stack overflow looks like, and kvmrun's guard page.
 * The guest recurses with `call` on the initial stack (0xc000-0xffff)
 * until it runs off its bottom.  The page below it, 0xb000-0xbfff, is not
 * mapped, so the push that crosses 0xc000 is a #PF *write* at 0xbff8, and
 * kvmrun names it: "stack overflow", instead of letting the stack run on
 * into its own tables.  RBX counts the calls made: 2049, one for every 8
 * bytes of the 16 KiB stack, and the one that faulted.
 *
 * Run:    ./kvmrun guests/stackoverflow.bin            (ring 3)
 *         ./kvmrun --ring 0 guests/stackoverflow.bin   (ring 0)
 * Expect: "stackoverflow: recursing" on stdout, then
 *           kvmrun: guest crashed: stack overflow: #PF page fault (vector 14) at rip 0x10011 in ring 3: address 0xbff8 (CR2), write, user mode, page not present (the guard page 0xb000-0xbfff below the initial stack 0xc000-0xffff)
 *         (with --ring 0: "in ring 0: ... write, supervisor mode, ...");
 *         exit status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	xor	%ebx, %ebx
recurse:
	inc	%rbx			/* depth */
	call	recurse			/* pushes the return address */
	hlt				/* never: no call returns */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"stackoverflow: recursing\n"
