/*
 * bulkwrite-outb.S - the bulk-write port written with the wrong size.
 *
 * Demonstrates: the bulk-write port (KVMRUN_PORT_WRITE, 0xf0) takes the
 * struct kvmrun_write's address as one 32-bit `out %eax`.  An 8-bit
 * `out %al` could only carry the low byte of an address, so kvmrun
 * refuses it: the run ends with a guest error and status 126.
 *
 * Run:    ./kvmrun guests/bulkwrite-outb.bin
 * Expect: "bulkwrite-outb: writing port 0xf0 with outb" on stdout, then
 *           kvmrun: guest error: bulk write port 0xf0: write the struct's address with a 32-bit out, not 1 byte (rip 0x10015)
 *         on stderr and status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	lea	wr(%rip), %rax
	out	%al, $KVMRUN_PORT_WRITE	/* wrong: must be out %eax */
	lea	msg_alive(%rip), %rsi
	call	puts
	hlt

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:		.asciz	"bulkwrite-outb: writing port 0xf0 with outb\n"
msg_alive:	.asciz	"bulkwrite-outb: still running?!\n"
msg_buf:	.ascii	"bulkwrite-outb: written?!\n"

	.section .data
	.balign	8
wr:	.quad	msg_buf, 26, 0		/* a valid struct kvmrun_write */
