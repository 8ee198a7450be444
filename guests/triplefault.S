/*
 * triplefault.S - what happens when a guest crashes.
 *
 * Demonstrates: a triple fault.  The guest loads an IDT with limit 0, so the
 * CPU cannot deliver any exception, then executes `ud2` (an instruction
 * that is defined to be invalid).  The #UD cannot be delivered, the
 * resulting double fault cannot be delivered either, and the CPU gives up:
 * a triple fault, which KVM reports as KVM_EXIT_SHUTDOWN.  On a real PC
 * this resets the machine; kvmrun reports the crash instead.
 *
 * Run:    ./kvmrun guests/triplefault.bin
 * Expect: "triplefault: about to crash" on stdout (output written before a
 *         crash must not be lost), a crash report on stderr, and exit
 *         status 126 (KVMRUN_STATUS_CRASH).
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts

	lidt	null_idt(%rip)		/* no exception can be delivered now */
	ud2				/* #UD -> #DF -> triple fault */

	/* Not reached. */
	lea	msg_alive(%rip), %rsi
	call	puts
1:	hlt
	jmp	1b

/* puts: write the NUL-terminated string at RSI to COM1 (THRE polled). */
puts:
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_THRE, %al
	jz	puts
	lodsb
	test	%al, %al
	jz	1f
	mov	$COM1(UART_THR), %dx
	out	%al, %dx
	jmp	puts
1:	ret

	.section .rodata
	.balign	8
null_idt:	.word	0		/* limit: 0 = not even one entry */
		.quad	0		/* base */
msg:		.asciz	"triplefault: about to crash\n"
msg_alive:	.asciz	"triplefault: still alive after ud2?!\n"
