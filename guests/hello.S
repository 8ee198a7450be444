/*
 * hello.S - the smallest useful kvmrun guest.
 *
 * Demonstrates: sending text out of the COM1 16550 UART the way an ordinary
 * driver does.  Before each byte the guest polls the Line Status Register
 * (LSR) until THRE ("transmit holding register empty") is set, then writes
 * the byte to the Transmit Holding Register (THR).  Every `in`/`out` is a VM
 * exit that kvmrun handles; THR bytes go to kvmrun's stdout.
 *
 * Run:    ./kvmrun guests/hello.bin
 * Expect: "Hello from a kvmrun guest!" on stdout, then `hlt` ends the run
 *         with exit status 0.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:					/* first byte of the image = entry */
	lea	msg(%rip), %rsi		/* RSI walks the NUL-terminated message */
next_byte:
	movzbl	(%rsi), %ecx
	test	%cl, %cl
	jz	done

	mov	$KVMRUN_PORT_COM1 + UART_LSR, %dx
wait_thre:
	in	%dx, %al		/* read LSR */
	test	$UART_LSR_THRE, %al	/* room for another byte? */
	jz	wait_thre

	mov	$KVMRUN_PORT_COM1 + UART_THR, %dx
	mov	%cl, %al
	out	%al, %dx		/* transmit it */
	inc	%rsi
	jmp	next_byte

done:
	hlt				/* ends the run: exit status 0 */
	jmp	done

	.section .rodata
msg:	.asciz	"Hello from a kvmrun guest!\n"
