/*
 * 02-uart.S - lesson 2's guest: a polling driver for COM1, a 16550 UART.
 * It greets on THR, copies stdin to stdout upper-cased until end of input,
 * and leaves through the exit device with the number of bytes it read as
 * the exit status.  No interrupts: the guest asks the line status register
 * (LSR) before every byte, as a boot loader's serial driver does.
 *
 * Run:    printf 'kvm\n' | ./kvmrun docs/workshop/guests/02-uart.bin
 * Expect: "COM1 says hello" and "KVM", exit status 4.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	hello(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	call	putc
	jmp	1b

2:	xor	%ebx, %ebx		/* bytes read */
poll:
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_DR, %al	/* data ready: a byte waits in RBR */
	jnz	take
	mov	$COM1(UART_MSR), %dx
	in	%dx, %al
	test	$UART_MSR_DCD, %al	/* carrier: stdin not at its end yet */
	jnz	poll
	/* End of input, but a last byte may have come with it: ask once more. */
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_DR, %al
	jz	done
take:
	mov	$COM1(UART_RBR), %dx
	in	%dx, %al
	inc	%ebx
	cmp	$'a', %al
	jb	3f
	cmp	$'z', %al
	ja	3f
	sub	$('a' - 'A'), %al
3:	call	putc
	jmp	poll

done:
	mov	%ebx, %eax
	out	%al, $KVMRUN_PORT_EXIT	/* the run ends here, status AL */

/* putc: write AL to THR once LSR says THR is empty. */
putc:
	mov	%al, %cl
	mov	$COM1(UART_LSR), %dx
4:	in	%dx, %al
	test	$UART_LSR_THRE, %al
	jz	4b
	mov	$COM1(UART_THR), %dx
	mov	%cl, %al
	out	%al, (%dx)
	ret

	.section .rodata
hello:	.asciz	"COM1 says hello\n"
