/*
 * stackoverflow.S - runaway recursion running off the end of its stack.
 *
 * Demonstrates: what a stack overflow looks like: a #PF *write* (the CPU
 * pushing a return address) just below the stack pointer, into a page that
 * is not mapped.  The guest puts its stack at 0x100001000, above 4 GiB,
 * where nothing is mapped with the default 64 MiB of RAM, and recurses
 * with `call` until it faults: here the very first push faults, at
 * 0x100000ff8 (a real program would get there after running through its
 * whole stack).  RBX counts the calls that succeeded (0).
 *
 * Run:    ./kvmrun guests/stackoverflow.bin            (ring 3)
 *         ./kvmrun --ring 0 guests/stackoverflow.bin   (ring 0)
 * Expect: "stackoverflow: recursing" on stdout, then
 *           kvmrun: guest crashed: #PF page fault at rip 0x10018 in ring 3: address 0x100000ff8 (CR2), write, user mode, page not present
 *         (with --ring 0: "in ring 0: ... write, supervisor mode, ...");
 *         exit status 126.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	movabs	$0x100001000, %rsp	/* a stack with nothing mapped below */
	xor	%ebx, %ebx
recurse:
	call	1f			/* pushes the return address: #PF */
1:	inc	%rbx			/* depth reached */
	jmp	recurse

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:
	mov	$KVMRUN_PORT_COM1 + UART_THR, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	ret

	.section .rodata
msg:	.asciz	"stackoverflow: recursing\n"
