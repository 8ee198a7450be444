/*
 * fault-pf-read.S - a page fault (#PF) on a read of an unmapped address.
 *
 * Demonstrates: kvmrun identity-maps the first 4 GiB and all RAM; with the
 * default 64 MiB nothing above 4 GiB is mapped, so reading 0x200000000
 * (8 GiB) is a #PF.  The CPU leaves the faulting address in CR2 and says
 * in the error code what went wrong; kvmrun decodes both:
 *   read / write / instruction fetch, user mode (ring 3) / supervisor mode
 *   (ring 0), page not present / protection violation.
 *
 * Run:    ./kvmrun guests/fault-pf-read.bin            (ring 3)
 *         ./kvmrun --ring 0 guests/fault-pf-read.bin   (ring 0)
 * Expect: "fault-pf-read: reading 0x200000000" on stdout, then
 *           kvmrun: guest crashed: #PF page fault at rip 0x10016 in ring 3: address 0x200000000 (CR2), read, user mode, page not present
 *         (with --ring 0: "in ring 0: ... read, supervisor mode, ...");
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
	mov	(%rbx), %rax		/* #PF, read */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-pf-read: reading 0x200000000\n"
