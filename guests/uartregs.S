/*
 * uartregs: checks the 16550 registers the way a driver's probe would,
 * and the ISA rule for wide port accesses.  Prints "uartregs ok" and halts,
 * or exits with the number of the first failed check.
 *
 *  1  SCR, LCR, MCR and IER read back what was written (IER/MCR masked)
 *  2  DLAB=1 exposes the divisor latch, which reads back; DLAB=0 hides it
 *  3  IIR reads "no interrupt pending" (bit 0 set)
 *  4  LSR has THRE and TEMT; with stdin at EOF, DR is clear
 *  5  MSR has CTS and DSR; DCD is clear because stdin reached EOF
 *  6  outw 0x4241 to THR: 'A' is transmitted and 'B' (0x42) lands in IER
 *     (masked to 0x02), because an 8-bit device sees two byte writes
 *  7  inl from MCR (0x3fc) gathers MCR, LSR, MSR, SCR in one dword
 *  8  outw to SCR (0x3ff): low byte to SCR, high byte to unclaimed 0x400
 */
#include <kvmrun/abi.h>

#define COM1(r)	$KVMRUN_PORT_COM1 + (r)

	.section .text.entry
	.globl _start
_start:
	/* 1: read-back registers */
	mov	COM1(UART_SCR), %dx
	mov	$0x5a, %al
	out	%al, %dx
	in	%dx, %al
	cmp	$0x5a, %al
	jne	fail1
	mov	COM1(UART_LCR), %dx
	mov	$0x03, %al		/* 8 data bits, no parity, 1 stop bit */
	out	%al, %dx
	in	%dx, %al
	cmp	$0x03, %al
	jne	fail1
	mov	COM1(UART_MCR), %dx
	mov	$0xff, %al
	out	%al, %dx
	in	%dx, %al
	cmp	$0x1f, %al		/* bits 7:5 do not exist */
	jne	fail1
	mov	$0x0b, %al		/* DTR RTS OUT2: what drivers set */
	out	%al, %dx
	mov	COM1(UART_IER), %dx
	mov	$0xff, %al
	out	%al, %dx
	in	%dx, %al
	cmp	$0x0f, %al
	jne	fail1
	xor	%al, %al
	out	%al, %dx

	/* 2: divisor latch behind DLAB */
	mov	COM1(UART_LCR), %dx
	mov	$UART_LCR_DLAB | 0x03, %al
	out	%al, %dx
	mov	COM1(0), %dx
	mov	$0x01, %al		/* 115200 baud: divisor 1 */
	out	%al, %dx
	mov	COM1(1), %dx
	mov	$0x00, %al
	out	%al, %dx
	mov	COM1(0), %dx
	in	%dx, %al
	cmp	$0x01, %al
	jne	fail2
	mov	COM1(UART_LCR), %dx
	mov	$0x03, %al
	out	%al, %dx
	mov	COM1(UART_IER), %dx
	in	%dx, %al
	test	%al, %al		/* IER again, not DLM */
	jnz	fail2

	/* 3: IIR */
	mov	COM1(UART_IIR), %dx
	in	%dx, %al
	test	$1, %al
	jz	fail3

	/* 4: LSR */
	mov	COM1(UART_LSR), %dx
	in	%dx, %al
	and	$UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR, %al
	cmp	$UART_LSR_THRE | UART_LSR_TEMT, %al
	jne	fail4

	/* 5: MSR */
	mov	COM1(UART_MSR), %dx
	in	%dx, %al
	and	$UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD, %al
	cmp	$UART_MSR_CTS | UART_MSR_DSR, %al
	jne	fail5

	/* 6: a word write to THR */
	mov	COM1(UART_THR), %dx
	mov	$0x4241, %ax
	out	%ax, %dx
	mov	$'\n', %al
	out	%al, %dx
	mov	COM1(UART_IER), %dx
	in	%dx, %al
	cmp	$0x02, %al
	jne	fail6
	xor	%al, %al
	out	%al, %dx

	/* 7: a dword read from MCR: MCR | LSR << 8 | MSR << 16 | SCR << 24 */
	mov	COM1(UART_MCR), %dx
	in	%dx, %eax
	cmp	$0x5a306000 | 0x0b, %eax	/* SCR 5a, MSR CTS|DSR, LSR THRE|TEMT */
	jne	fail7

	/* 8: a word write straddling the end of COM1 */
	mov	COM1(UART_SCR), %dx
	mov	$0x7e33, %ax
	out	%ax, %dx
	in	%dx, %al
	cmp	$0x33, %al
	jne	fail8

	lea	ok(%rip), %rsi
	mov	$KVMRUN_PORT_DEBUGCON, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	hlt

#define FAIL(n) fail##n: mov $n, %al; jmp fail
	FAIL(1)
	FAIL(2)
	FAIL(3)
	FAIL(4)
	FAIL(5)
	FAIL(6)
	FAIL(7)
	FAIL(8)
fail:	out	%al, $KVMRUN_PORT_EXIT
	hlt

	.section .rodata
ok:	.asciz "uartregs ok\n"
