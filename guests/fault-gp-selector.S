/*
 * fault-gp-selector.S - a #GP whose error code names a segment selector.
 *
 * Demonstrates: loading a segment register checks the selector against
 * the GDT.  kvmrun's GDT (at KVMRUN_GDT_ADDR) ends at 0x37, so selector
 * 0x80 points past its end: #GP with error code 0x80, which kvmrun decodes
 * as "selector 0x80 in the GDT" (bits 15..3 are the index, bit 2 says GDT
 * or LDT, bit 1 IDT).
 *
 * The selector names no descriptor at all, so ring 0 would not help: in
 * the default --ring auto kvmrun reports the fault where it happened,
 * "in ring 3" (a selector naming a ring-0 segment, such as 0x10, would
 * move the guest to ring 0 instead, where the load works).
 *
 * Run:    ./kvmrun guests/fault-gp-selector.bin     (also with --ring 0)
 * Expect: "fault-gp-selector: loading DS with selector 0x80" on stdout, then
 *           kvmrun: guest crashed: #GP general protection fault at rip 0x10011 in ring 3: error code 0x80: selector 0x80 in the GDT
 *         and status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	mov	$0x80, %eax		/* GDT index 16: past the GDT's limit */
	mov	%eax, %ds		/* #GP(0x80) */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-gp-selector: loading DS with selector 0x80\n"
