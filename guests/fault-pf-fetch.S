/*
 * fault-pf-fetch.S - a page fault (#PF) fetching an instruction from an
 * unmapped address.
 *
 * Demonstrates: jumping to 0x200000000 (8 GiB, not mapped with the default
 * 64 MiB of RAM).  The jump itself succeeds; fetching the first instruction
 * there faults, so the reported RIP is the target, 0x200000000, and there
 * are no code bytes to show ("not in guest RAM").
 *
 * Run:    ./kvmrun guests/fault-pf-fetch.bin            (ring 3)
 *         ./kvmrun --ring 0 guests/fault-pf-fetch.bin   (ring 0)
 * The error code's I/D bit ("instruction fetch") is only defined when
 * no-execute is enabled (EFER.NXE), and kvmrun's entry state leaves NXE
 * off: so the CPU reports this fetch as a plain read, and so does kvmrun.
 * You can still tell it was a fetch: RIP equals CR2.
 *
 * Expect: "fault-pf-fetch: jumping to 0x200000000" on stdout, then
 *           kvmrun: guest crashed: #PF page fault at rip 0x200000000 in ring 3: address 0x200000000 (CR2), read, user mode, page not present
 *           kvmrun: code at rip: not in guest RAM
 *         (with --ring 0: "in ring 0: ... supervisor mode ..."); exit
 *         status 126.
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
	jmp	*%rbx			/* #PF at the target */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-pf-fetch: jumping to 0x200000000\n"
