/*
 * hostile/outflood.S - endless output.
 *
 * A hostile guest that writes output forever: kvmrun must stop it at the
 * --max-output limit (status 124) having written exactly that many bytes,
 * the first ones in order, and not buffer without bound.  RBX (--set rbx=N)
 * picks the way:
 *
 *   0  bulk writes (port 0xf0) of 1 GiB each, for ever: the first 16 KiB
 *      of the buffer are lines of text ("outflood 00000\n", ...), the rest
 *      untouched RAM, zeros.  Run with --mem 2G.
 *   1  one byte at a time to the debug console (0xe9), for ever: the
 *      alphabet and a newline, over and over (past 256 bytes kvmrun
 *      coalesces these writes)
 *   2  the same on COM1's THR (0x3f8)
 *
 * Run:    ./kvmrun --mem 2G --max-output 10M --set rbx=0 tests/guests/hostile/outflood.bin
 * Expect: exactly 10485760 bytes on stdout, then
 *           kvmrun: output limit of 10485760 bytes reached (--max-output): ...
 *         and status 124.
 */
#include <kvmrun/abi.h>

#define BUF	0x100000		/* 1 MiB */
#define LINES	1024			/* 16-byte lines of text at BUF */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	cmp	$1, %rbx
	je	bytes
	cmp	$2, %rbx
	je	uart

	/* 0: LINES lines "outflood NNNNN\n" (15 bytes + '\n' = 16) at BUF */
	mov	$BUF, %edi
	xor	%r8d, %r8d			/* line number */
1:	lea	prefix(%rip), %rsi
	mov	$9, %ecx
	rep movsb				/* "outflood " */
	mov	%r8d, %eax
	mov	$5, %ecx			/* five decimal digits, right to left */
	lea	5(%rdi), %r9
2:	xor	%edx, %edx
	mov	$10, %r10d
	div	%r10d
	add	$'0', %dl
	dec	%r9
	mov	%dl, (%r9)
	loop	2b
	add	$5, %rdi
	movw	$0x0a2e, (%rdi)			/* ".\n" */
	add	$2, %rdi
	inc	%r8d
	cmp	$LINES, %r8d
	jb	1b

	lea	wr(%rip), %r12
	movq	$BUF, WRITE_ADDR(%r12)
	movq	$0x40000000, WRITE_LEN(%r12)	/* 1 GiB */
3:	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	jmp	3b

bytes:	mov	$KVMRUN_PORT_DEBUGCON, %edx
	jmp	4f
uart:	mov	$KVMRUN_PORT_COM1 + UART_THR, %edx
4:	mov	$'a', %al
5:	out	%al, %dx
	inc	%al
	cmp	$'z', %al
	jbe	5b
	mov	$'\n', %al
	out	%al, %dx
	jmp	4b

	.section .rodata
prefix:	.ascii	"outflood "

	.section .data
	.balign	8
wr:	.quad	0, 0, 0				/* struct kvmrun_write */
