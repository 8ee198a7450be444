/*
 * bulkwrite-past-ram.S - a bulk write whose buffer runs past the end of RAM.
 *
 * Demonstrates: kvmrun checks that a bulk write's buffer lies entirely
 * inside guest RAM; one that does not is a guest bug, and the run ends
 * with a "guest error" (status 126), having written none of it.  The
 * guest reads the RAM size from the boot information block (RDI at entry,
 * BOOTINFO_RAM_SIZE), puts "PARTIAL WRITE!!\n" in the last 16 bytes of RAM
 * and asks for 32 bytes from there: 16 in RAM, 16 beyond.
 *
 * Run:    ./kvmrun guests/bulkwrite-past-ram.bin        (64 MiB of RAM)
 * Expect: "bulkwrite-past-ram: 32 bytes from 16 bytes before the end of
 *         RAM" on stdout (not the "PARTIAL WRITE!!" line), then on stderr
 *           kvmrun: guest error: bulk write: buffer of 32 bytes at 0x3fffff0 is not inside guest RAM (rip 0x10064)
 *         and status 126 (the rip is that of the instruction after the
 *         `out`).  With --mem 2M the buffer is at 0x1ffff0.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	BOOTINFO_RAM_SIZE(%rdi), %rbx
	sub	$16, %rbx		/* RBX = RAM end - 16 */
	mov	partial(%rip), %rax	/* fill the last 16 bytes of RAM */
	mov	%rax, (%rbx)
	mov	partial+8(%rip), %rax
	mov	%rax, 8(%rbx)

	lea	msg(%rip), %rsi		/* a good write first */
	mov	$msg_len, %ecx
	call	bulk_write

	mov	%rbx, %rsi		/* then the bad one */
	mov	$32, %ecx
	call	bulk_write		/* kvmrun ends the run here */
	lea	msg_alive(%rip), %rsi
	mov	$msg_alive_len, %ecx
	call	bulk_write
	hlt

/* bulk_write: write RCX bytes at RSI with one bulk write. */
bulk_write:
	mov	%rsi, wr+WRITE_ADDR(%rip)
	mov	%rcx, wr+WRITE_LEN(%rip)
	lea	wr(%rip), %rax
	out	%eax, $KVMRUN_PORT_WRITE
	ret

	.section .rodata
partial:	.ascii	"PARTIAL WRITE!!\n"
msg:		.ascii	"bulkwrite-past-ram: 32 bytes from 16 bytes before the end of RAM\n"
		msg_len = . - msg
msg_alive:	.ascii	"bulkwrite-past-ram: still running?!\n"
		msg_alive_len = . - msg_alive

	.section .data
	.balign	8
wr:	.quad	0, 0, 0			/* struct kvmrun_write: addr, len, done */
