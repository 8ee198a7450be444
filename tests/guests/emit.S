/*
 * emit.S - write RAX bytes of output (--set rax=N), then hlt.
 *
 * The output is lines of 63 letters and a newline: the byte at offset k
 * is '\n' where k % 64 == 63, else 'a' + (k % 64) % 26, so a test can
 * check any part of it.  RBX (--set rbx=N) says how: 0, one `out` to the
 * debug console per byte; else bulk-write calls of RBX bytes each (a
 * multiple of 64) from a buffer at 2 MiB, which must fit in RAM (--mem).
 * The tests use it for slow readers, file size limits, and the chunks
 * kvmrun writes a large bulk write in.
 *
 * Run:    ./kvmrun --set rax=100 --set rbx=64 tests/guests/emit.bin
 * Expect: 100 bytes of lines on stdout, status 0.
 */
#include <kvmrun/abi.h>

#define LINE	64
#define BUF	0x200000		/* the bulk-write buffer */
#define REQ	0x1f0000		/* its struct kvmrun_write */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rax, %r12		/* bytes left */
	mov	%rbx, %r13		/* chunk, or 0 */
	test	%r13, %r13
	jz	bytewise

	/* Fill the buffer with RBX bytes of the pattern. */
	mov	$BUF, %rdi
	xor	%ecx, %ecx
1:	call	pattern
	mov	%al, (%rdi, %rcx)
	inc	%rcx
	cmp	%r13, %rcx
	jb	1b
	/* Write it, chunk after chunk; the last chunk is what is left. */
	mov	$REQ, %rbx
2:	test	%r12, %r12
	jz	done
	mov	%r13, %rcx
	cmp	%r12, %rcx
	jbe	3f
	mov	%r12, %rcx
3:	movq	$BUF, WRITE_ADDR(%rbx)
	mov	%rcx, WRITE_LEN(%rbx)
	mov	%ebx, %eax
	mov	$KVMRUN_PORT_WRITE, %dx
	out	%eax, %dx
	sub	%rcx, %r12
	jmp	2b

bytewise:
	xor	%ecx, %ecx
4:	cmp	%r12, %rcx
	jae	done
	call	pattern
	out	%al, $KVMRUN_PORT_DEBUGCON
	inc	%rcx
	jmp	4b

done:	hlt

/* AL = the byte at offset RCX of the output. */
pattern:
	mov	%ecx, %eax
	and	$LINE - 1, %eax
	cmp	$LINE - 1, %eax
	je	5f
	push	%rdx
	xor	%edx, %edx
	push	%rbx
	mov	$26, %ebx
	div	%ebx
	pop	%rbx
	lea	'a'(%rdx), %eax
	pop	%rdx
	ret
5:	mov	$'\n', %al
	ret
