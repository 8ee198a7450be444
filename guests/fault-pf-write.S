/*
 * fault-pf-write.S - a page fault (#PF) on a write to an unmapped address.
 *
 * Demonstrates: the same unmapped address as fault-pf-read.S (nothing above
 * 4 GiB is mapped with the default 64 MiB of RAM), written this time: the
 * #PF error code's W bit is set, and kvmrun says "write".
 *
 * Run:    ./kvmrun guests/fault-pf-write.bin            (ring 3)
 *         ./kvmrun --ring 0 guests/fault-pf-write.bin   (ring 0)
 * Expect: "fault-pf-write: writing 0x200000008" on stdout, then
 *           kvmrun: guest crashed: #PF page fault at rip 0x10019 in ring 3: address 0x200000008 (CR2), write, user mode, page not present
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
	movabs	$0x200000000, %rbx	/* 8 GiB: not mapped */
	mov	$42, %eax
	mov	%rax, 8(%rbx)		/* #PF, write, at 0x200000008 */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-pf-write: writing 0x200000008\n"
