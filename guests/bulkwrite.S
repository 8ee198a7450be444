/*
 * bulkwrite.S - writing a whole buffer with one exit.
 *
 * Demonstrates: kvmrun's bulk-write port.  Byte-by-byte output costs one
 * port write per byte; instead the guest fills a struct kvmrun_write
 * (abi.h: WRITE_ADDR = the buffer's guest-physical address, WRITE_LEN =
 * its length) and writes the struct's address to KVMRUN_PORT_WRITE (0xf0)
 * with a 32-bit `out`.  kvmrun copies the bytes to stdout, in order with
 * all other console output, and stores the number written in WRITE_DONE.
 * The guest checks `done` each time (it presets it to -1):
 *   1  a one-line message: done = its length
 *   2  a zero-length write: nothing is written, done = 0
 *   3  a 4 KiB buffer the guest fills (64 lines of 63 letters): done = 4096
 *
 * Run:    ./kvmrun guests/bulkwrite.bin
 * Expect: "bulkwrite: one out, one line", the 64 lines
 *         "aaa...a", "bbb...b", ..., then "bulkwrite ok"; status 0.  A wrong
 *         `done` exits with the number of the check.
 */
#include <kvmrun/abi.h>

#define BIG	4096			/* bytes in check 3 */
#define LINE	64			/* 63 letters and a newline */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* 1: a message */
	lea	msg1(%rip), %rsi
	mov	$msg1_len, %ecx
	call	bulk_write
	cmp	$msg1_len, %rax
	jne	fail1

	/* 2: nothing at all */
	lea	msg1(%rip), %rsi
	xor	%ecx, %ecx
	call	bulk_write
	test	%rax, %rax
	jnz	fail2

	/* 3: fill a 4 KiB buffer, then write it in one go */
	lea	big(%rip), %rdi
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shr	$6, %eax		/* line number = offset / 64 */
	xor	%edx, %edx
	mov	$26, %ebx
	div	%ebx
	lea	'a'(%rdx), %eax		/* 'a' + line % 26 */
	mov	%ecx, %edx
	and	$LINE - 1, %edx
	cmp	$LINE - 1, %edx		/* last byte of a line: newline */
	jne	2f
	mov	$'\n', %al
2:	mov	%al, (%rdi, %rcx)
	inc	%ecx
	cmp	$BIG, %ecx
	jb	1b
	lea	big(%rip), %rsi
	mov	$BIG, %ecx
	call	bulk_write
	cmp	$BIG, %rax
	jne	fail3

	lea	msg_ok(%rip), %rsi
	mov	$msg_ok_len, %ecx
	call	bulk_write
	hlt

fail1:	mov	$1, %al
	jmp	fail
fail2:	mov	$2, %al
	jmp	fail
fail3:	mov	$3, %al
fail:	out	%al, $KVMRUN_PORT_EXIT
	hlt

/* bulk_write: write RCX bytes at RSI with one bulk write; return `done`
 * in RAX. */
bulk_write:
	mov	%rsi, wr+WRITE_ADDR(%rip)
	mov	%rcx, wr+WRITE_LEN(%rip)
	movq	$-1, wr+WRITE_DONE(%rip)	/* kvmrun overwrites this */
	lea	wr(%rip), %rax		/* guest-physical = virtual, < 4 GiB */
	out	%eax, $KVMRUN_PORT_WRITE
	mov	wr+WRITE_DONE(%rip), %rax
	ret

	.section .rodata
msg1:	.ascii	"bulkwrite: one out, one line\n"
	msg1_len = . - msg1
msg_ok:	.ascii	"bulkwrite ok\n"
	msg_ok_len = . - msg_ok

	.section .data
	.balign	8
wr:	.quad	0, 0, 0			/* struct kvmrun_write: addr, len, done */

	.section .bss
big:	.space	BIG
