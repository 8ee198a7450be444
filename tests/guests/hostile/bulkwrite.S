/*
 * hostile/bulkwrite.S - bulk-write calls (port 0xf0) with bad arguments.
 *
 * A hostile guest that hands the bulk-write call structs and buffers that
 * wrap around the top of the address space, run past the end of RAM, lie
 * in the MMIO window, or have a zero length.  kvmrun must check the struct
 * and the whole buffer against guest RAM before it reads a byte: a bad one
 * ends the run with one "guest error" line (status 126) and writes none
 * of the buffer.  Reading kvmrun's reserved area (its tables) is allowed.
 * RBX (--set rbx=N) picks the case:
 *
 *   0  buffer 0xfffffffffffffff0, 32 bytes: wraps past 2^64
 *   1  buffer 0x10000, 0xffffffffffffffff bytes: the end wraps
 *   2  buffer 1 MiB, 1 TiB long: far past the end of RAM
 *   3  struct at 0x8000000: past the end of the (default 64 MiB of) RAM
 *   4  struct at 0xd0000000: the MMIO test device
 *   5  struct 8 bytes before the end of RAM: only 8 of its 24 bytes in RAM
 *   6  buffer 0xc0000000, 16 bytes: the MMIO window
 *   7  struct at 0xffffffff: the last address an `outl` can give
 *   9  buffer 16 bytes before 3 GiB, 32 bytes: with --mem 4G, RAM on both
 *      sides, but the middle is the MMIO window
 *  10  allowed: a buffer across the 64 MiB boundary where kvmrun hands RAM
 *      to KVM in chunks (needs --mem 128M or more): prints its text
 *  11  allowed: a buffer above 4 GiB (needs --mem 5G): prints its text
 *   8  allowed: "KVMR" and the version from the boot information block
 *      (reserved area), then 16 bytes across the end of the reserved area
 *      (the top of the initial stack, zeros, and the image's first 8
 *      bytes: a jmp and "image\n"), the struct itself in the reserved
 *      initial-stack area; then zero-length calls with wild addresses,
 *      which write nothing and set `done` to 0; prints "bulkwrite: ok"
 *      and halts
 *
 * Run:    ./kvmrun --set rbx=0 tests/guests/hostile/bulkwrite.bin
 * Expect: "bulkwrite: good\n" (a good call first), then for cases 0-7
 *           kvmrun: guest error: bulk write: ... is not inside guest RAM; ...
 *         and status 126 (never "bulkwrite: survived"); case 8 prints
 *         "KVMR\1\0", 8 zero bytes, "\xeb\x06image\n" and "bulkwrite: ok"
 *         and exits with status 0.
 */
#include <kvmrun/abi.h>

#define WR(reg, off)	off(reg)

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	jmp	start				/* 2 bytes, then text: the image's */
	.ascii	"image\n"			/* first 8 bytes, for case 8 */
start:	mov	BOOTINFO_RAM_SIZE(%rdi), %rbp	/* end of RAM */
	lea	wr(%rip), %r12			/* a good struct in the image */
	lea	msg(%rip), %rax
	mov	%rax, WRITE_ADDR(%r12)
	movq	$msg_len, WRITE_LEN(%r12)
	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	cmpq	$msg_len, WRITE_DONE(%r12)
	jne	fail

	lea	table(%rip), %rax
	cmp	$11, %rbx
	ja	fail
	jmp	*(%rax,%rbx,8)

case0:	movabs	$0xfffffffffffffff0, %rax
	mov	$32, %ecx
	jmp	buffer
case1:	mov	$0x10000, %eax
	mov	$-1, %rcx
	jmp	buffer
case2:	mov	$0x100000, %eax
	movabs	$0x10000000000, %rcx
	jmp	buffer
case3:	mov	$0x8000000, %eax
	jmp	call_at
case4:	mov	$KVMRUN_TESTDEV_BASE, %eax
	jmp	call_at
case5:	lea	-8(%rbp), %rax
	jmp	call_at
case6:	mov	$KVMRUN_MMIO_WINDOW, %eax
	mov	$16, %ecx
	jmp	buffer
case7:	mov	$0xffffffff, %eax
	jmp	call_at

case9:	mov	$0xbffffff0, %eax
	mov	$32, %ecx
	jmp	buffer
case10:	mov	$0x3fffff0, %edi		/* text across 64 MiB */
	jmp	copy_text
case11:	movabs	$KVMRUN_HIGH_RAM_START, %rdi	/* text above 4 GiB */
copy_text:
	mov	%rdi, WRITE_ADDR(%r12)
	movq	$msg_far_len, WRITE_LEN(%r12)
	lea	msg_far(%rip), %rsi
	mov	$msg_far_len, %ecx
	rep movsb
	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	cmpq	$msg_far_len, WRITE_DONE(%r12)
	jne	fail
	hlt

case8:	mov	$0xc000, %r12d			/* the struct in the reserved stack area */
	movq	$KVMRUN_BOOTINFO_ADDR, WRITE_ADDR(%r12)
	movq	$6, WRITE_LEN(%r12)		/* magic and version: "KVMR" 1 0 */
	movq	$0x1234, WRITE_DONE(%r12)
	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	cmpq	$6, WRITE_DONE(%r12)
	jne	fail
	movq	$KVMRUN_STACK_TOP - 8, WRITE_ADDR(%r12)	/* the top of the */
	movq	$16, WRITE_LEN(%r12)		/* stack (zeros) and the image */
	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	cmpq	$16, WRITE_DONE(%r12)
	jne	fail
	lea	zeros(%rip), %r13		/* zero-length calls: wild addresses */
	mov	$nzeros, %r14d
1:	mov	(%r13), %rax
	mov	%rax, WRITE_ADDR(%r12)
	movq	$0, WRITE_LEN(%r12)
	movq	$0x1234, WRITE_DONE(%r12)
	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	cmpq	$0, WRITE_DONE(%r12)
	jne	fail
	add	$8, %r13
	dec	%r14d
	jnz	1b
	lea	wr(%rip), %r12
	lea	msg_ok(%rip), %rax
	mov	%rax, WRITE_ADDR(%r12)
	movq	$msg_ok_len, WRITE_LEN(%r12)
	mov	%r12, %rax
	out	%eax, $KVMRUN_PORT_WRITE
	hlt

/* A good struct, a bad buffer: RAX = address, RCX = length. */
buffer:	mov	%rax, WRITE_ADDR(%r12)
	mov	%rcx, WRITE_LEN(%r12)
	mov	%r12, %rax
	/* fall through */
/* The bulk-write call with the struct at EAX. */
call_at:
	out	%eax, $KVMRUN_PORT_WRITE
	lea	msg_alive(%rip), %rsi		/* kvmrun should have ended the run */
1:	lodsb
	test	%al, %al
	jz	fail
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
fail:	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
	.balign	8
table:	.quad	case0, case1, case2, case3, case4, case5, case6, case7, case8, case9
	.quad	case10, case11
zeros:	.quad	0, 0xffffffffffffffff, 0xfffffffffffffff0, KVMRUN_MMIO_WINDOW
	.quad	0x100000000000, 0x8000000000000000
	nzeros = (. - zeros) / 8
msg:	.ascii	"bulkwrite: good\n"
	msg_len = . - msg
msg_ok:	.ascii	"bulkwrite: ok\n"
	msg_ok_len = . - msg_ok
msg_far: .ascii	"bulkwrite: a buffer far away in RAM\n"
	msg_far_len = . - msg_far
msg_alive: .asciz "bulkwrite: survived\n"

	.section .data
	.balign	8
wr:	.quad	0, 0, 0			/* struct kvmrun_write */
