/*
 * echo.S - a polling UART echo: stdin -> guest -> stdout.
 *
 * Demonstrates: receiving bytes on the COM1 16550 UART without interrupts.
 *   - LSR bit 0 (DR, "data ready") says a byte from kvmrun's stdin is
 *     waiting; reading RBR takes it.
 *   - MSR bit 7 (DCD, "carrier detect") stays set while stdin is open and
 *     clears once kvmrun has seen end-of-file on stdin.
 * The guest upper-cases letters before sending them back through THR, so
 * the output proves each byte really went through the guest.  At EOF it
 * prints a closing line and halts.
 *
 * Run:    printf 'hello\n' | ./kvmrun guests/echo.bin
 * Expect: "HELLO" then "echo: end of input" on stdout, exit status 0.
 *         (Typed interactively, each line is echoed when you press Enter;
 *         Ctrl-D ends the input.)
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
poll:
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_DR, %al	/* a byte waiting? */
	jnz	got_byte
	mov	$COM1(UART_MSR), %dx
	in	%dx, %al
	test	$UART_MSR_DCD, %al	/* stdin still open? keep polling */
	jnz	poll
	/* Carrier lost: stdin reached EOF.  Bytes that arrived together with
	 * the EOF may still be queued, so look at DR once more before stopping. */
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_DR, %al
	jz	eof

got_byte:
	mov	$COM1(UART_RBR), %dx
	in	%dx, %al		/* take the byte */
	cmp	$'a', %al		/* upper-case a..z */
	jb	1f
	cmp	$'z', %al
	ja	1f
	sub	$('a' - 'A'), %al
1:	call	putc
	jmp	poll

eof:
	lea	msg_eof(%rip), %rsi
2:	lodsb
	test	%al, %al
	jz	done
	call	putc
	jmp	2b
done:
	hlt				/* exit status 0 */
	jmp	done

/* putc: send AL through THR once the UART is ready.  Clobbers DX, CL. */
putc:
	mov	%al, %cl
	mov	$COM1(UART_LSR), %dx
1:	in	%dx, %al
	test	$UART_LSR_THRE, %al
	jz	1b
	mov	$COM1(UART_THR), %dx
	mov	%cl, %al
	out	%al, %dx
	ret

	.section .rodata
msg_eof:	.asciz	"echo: end of input\n"
