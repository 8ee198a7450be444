/*
 * 02-digitsum.S - lesson 2, exercise 1: read stdin through COM1 and leave
 * with the sum of the decimal digits in it as the exit status; other
 * bytes are skipped.  Nothing is printed.
 *
 * Run:    printf '1 2 3\n' | ./kvmrun docs/workshop/solutions/02-digitsum.bin
 * Expect: exit status 6.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	xor	%ebx, %ebx		/* the sum */
poll:
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_DR, %al
	jnz	take
	mov	$COM1(UART_MSR), %dx
	in	%dx, %al
	test	$UART_MSR_DCD, %al
	jnz	poll
	mov	$COM1(UART_LSR), %dx	/* end of input: one last look */
	in	%dx, %al
	test	$UART_LSR_DR, %al
	jz	done
take:
	mov	$COM1(UART_RBR), %dx
	in	%dx, %al
	sub	$'0', %al
	cmp	$9, %al			/* unsigned: not a digit if above 9 */
	ja	poll
	movzbl	%al, %eax
	add	%eax, %ebx
	jmp	poll
done:
	mov	%ebx, %eax
	out	%al, $KVMRUN_PORT_EXIT
