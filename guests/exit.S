/*
 * exit.S - choosing kvmrun's exit status from inside the guest.
 *
 * Demonstrates: the exit device on I/O port 0xf4.  Writing a value V there
 * stops the VM at once and kvmrun exits with status V & 0xff - handy for
 * test programs that want to report pass/fail to a shell script.
 *
 * Run:    ./kvmrun guests/exit.bin; echo "status $?"
 * Expect: "exit: leaving with status 42" on stdout, then exit status 42.
 *         Anything printed after that line means the exit device did not
 *         stop the guest (it then halts with status 0).
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts

	mov	$42, %al
	out	%al, $KVMRUN_PORT_EXIT	/* kvmrun exits with status 42 */

	/* Not reached. */
	lea	msg_still(%rip), %rsi
	call	puts
1:	hlt
	jmp	1b

/* puts: write the NUL-terminated string at RSI to the COM1 UART. */
puts:
	mov	$KVMRUN_PORT_COM1 + UART_LSR, %dx
	in	%dx, %al
	test	$UART_LSR_THRE, %al	/* wait until THR is empty */
	jz	puts
	lodsb				/* AL = *RSI++ */
	test	%al, %al
	jz	1f
	mov	$KVMRUN_PORT_COM1 + UART_THR, %dx
	out	%al, %dx
	jmp	puts
1:	ret

	.section .rodata
msg:		.asciz	"exit: leaving with status 42\n"
msg_still:	.asciz	"exit: still running after the exit port?!\n"
