/*
 * mmio.S - memory-mapped I/O: loads and stores that leave the VM.
 *
 * Demonstrates: guest-physical addresses with no RAM behind them.  A load
 * or store there cannot complete inside the VM, so KVM exits to kvmrun
 * (KVM_EXIT_MMIO) with the address, the size (1, 2, 4 or 8 bytes) and, for
 * a store, the data; for a load kvmrun supplies the value.  Steps:
 *   1. read the test device's 64-bit ID register at KVMRUN_TESTDEV_BASE:
 *      it holds KVMRUN_TESTDEV_MAGIC, which is "KRUNTDEV" in memory order;
 *   2. the ID register is read-only: a store to it changes nothing;
 *   3. store to scratch registers with 8-, 4-, 2- and 1-byte accesses and
 *      load each back with the same size;
 *   4. give all 8 scratch registers different values, then check each one
 *      (proves kvmrun decodes the register offset);
 *   5. store to an address no device claims (0xc0001000, in the MMIO
 *      window), then load from it: an unclaimed load returns all ones, not
 *      whatever was last stored.
 *
 * Run:    ./kvmrun guests/mmio.bin
 * Expect: one "mmio: ...: ok" line per check, exit status 0 (hlt).  A failed
 *         check ends its line in "FAIL (read 0x...)" and the guest exits
 *         with the number of failed checks as its status.  kvmrun reports
 *         the unclaimed address 0xc0001000 on stderr.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))
#define SCRATCH(n)	(KVMRUN_TESTDEV_SCRATCH + 8 * (n))
#define NO_DEVICE_ADDR	(KVMRUN_MMIO_WINDOW + 0x1000)	/* unclaimed */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	xor	%r12d, %r12d		/* R12 counts failed checks */
	movabs	$KVMRUN_TESTDEV_BASE, %rbx

	/* 1. The ID register: print it as text, then compare. */
	lea	msg_id(%rip), %rsi
	call	puts
	mov	KVMRUN_TESTDEV_ID(%rbx), %r8	/* one 8-byte MMIO load */
	push	%r8			/* the 8 bytes as a string on the stack */
	mov	%rsp, %rsi
	mov	$8, %ecx
1:	lodsb
	call	putc
	dec	%ecx
	jnz	1b
	pop	%r8
	lea	msg_quote(%rip), %rsi
	call	puts
	mov	%r8, %rax
	movabs	$KVMRUN_TESTDEV_MAGIC, %rcx
	cmp	%rcx, %rax
	call	report

	/* 2. Stores to the ID register are ignored. */
	lea	msg_ro(%rip), %rsi
	call	puts
	movq	$0, KVMRUN_TESTDEV_ID(%rbx)
	mov	KVMRUN_TESTDEV_ID(%rbx), %rax
	movabs	$KVMRUN_TESTDEV_MAGIC, %rcx
	cmp	%rcx, %rax
	call	report

	/* 3. One scratch register per access size. */
	lea	msg_s8(%rip), %rsi
	call	puts
	movabs	$0x0123456789abcdef, %rcx
	mov	%rcx, SCRATCH(0)(%rbx)	/* 8-byte store */
	mov	SCRATCH(0)(%rbx), %rax	/* 8-byte load */
	cmp	%rcx, %rax
	call	report

	lea	msg_s4(%rip), %rsi
	call	puts
	mov	$0x89abcdef, %ecx
	mov	%ecx, SCRATCH(1)(%rbx)	/* 4-byte store */
	mov	SCRATCH(1)(%rbx), %eax	/* 4-byte load (zero-extends RAX) */
	cmp	%rcx, %rax
	call	report

	lea	msg_s2(%rip), %rsi
	call	puts
	mov	$0xbeef, %ecx
	mov	%cx, SCRATCH(2)(%rbx)	/* 2-byte store */
	movzwl	SCRATCH(2)(%rbx), %eax	/* 2-byte load */
	cmp	%rcx, %rax
	call	report

	lea	msg_s1(%rip), %rsi
	call	puts
	mov	$0x5a, %ecx
	mov	%cl, SCRATCH(3)(%rbx)	/* 1-byte store */
	movzbl	SCRATCH(3)(%rbx), %eax	/* 1-byte load */
	cmp	%rcx, %rax
	call	report

	/* 4. Register n gets 0x0101010101010101 * (n + 1). */
	lea	msg_all(%rip), %rsi
	call	puts
	movabs	$0x0101010101010101, %rdx
	xor	%ecx, %ecx
2:	lea	1(%rcx), %rax
	imul	%rdx, %rax
	mov	%rax, SCRATCH(0)(%rbx, %rcx, 8)
	inc	%ecx
	cmp	$KVMRUN_TESTDEV_NSCRATCH, %ecx
	jne	2b
	xor	%ecx, %ecx		/* read them back; stop at a mismatch */
3:	lea	1(%rcx), %rdi
	imul	%rdx, %rdi		/* expected value */
	mov	SCRATCH(0)(%rbx, %rcx, 8), %rax
	cmp	%rdi, %rax
	jne	4f
	inc	%ecx
	cmp	$KVMRUN_TESTDEV_NSCRATCH, %ecx
	jne	3b
4:	call	report			/* flags from the last cmp */

	/* 5. Unclaimed MMIO: the store is dropped, the load reads all ones. */
	lea	msg_none(%rip), %rsi
	call	puts
	mov	$NO_DEVICE_ADDR, %ebx
	movabs	$0x1122334455667788, %rax
	mov	%rax, (%rbx)		/* dropped */
	mov	(%rbx), %rax		/* must not be the value just stored */
	mov	$-1, %rcx
	cmp	%rcx, %rax
	call	report

	test	%r12d, %r12d
	jnz	failed
done:
	hlt				/* all checks passed: status 0 */
	jmp	done
failed:
	mov	%r12d, %eax
	out	%al, $KVMRUN_PORT_EXIT	/* status = number of failures */
	jmp	done

/* report: called right after `cmp`; ZF set = check passed.  Prints "ok",
 * or "FAIL (read 0x<RAX>)" and counts the failure in R12. */
report:
	jne	1f
	lea	msg_ok(%rip), %rsi
	jmp	puts			/* tail call */
1:	inc	%r12d
	push	%rax
	lea	msg_fail(%rip), %rsi
	call	puts
	pop	%rax
	call	put_hex
	lea	msg_close(%rip), %rsi
	jmp	puts

/* put_hex: print RAX as 16 hex digits. */
put_hex:
	mov	%rax, %rdi
	mov	$16, %ecx
1:	rol	$4, %rdi		/* next nibble into the low bits */
	mov	%edi, %eax
	and	$0xf, %eax
	lea	hexdigits(%rip), %rsi
	movzbl	(%rsi, %rax), %eax
	call	putc
	dec	%ecx
	jnz	1b
	ret

/* puts: write the NUL-terminated string at RSI.  Clobbers AL, DX. */
puts:
	lodsb
	test	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret

/* putc: send AL through the COM1 THR once LSR.THRE says it is empty. */
putc:
	push	%rax
	mov	$COM1(UART_LSR), %dx
1:	in	%dx, %al
	test	$UART_LSR_THRE, %al
	jz	1b
	pop	%rax
	mov	$COM1(UART_THR), %dx
	out	%al, %dx
	ret

	.section .rodata
msg_id:		.asciz	"mmio: testdev id register reads \""
msg_quote:	.asciz	"\": "
msg_ro:		.asciz	"mmio: id register ignores stores: "
msg_s8:		.asciz	"mmio: scratch 8-byte store/load: "
msg_s4:		.asciz	"mmio: scratch 4-byte store/load: "
msg_s2:		.asciz	"mmio: scratch 2-byte store/load: "
msg_s1:		.asciz	"mmio: scratch 1-byte store/load: "
msg_all:	.asciz	"mmio: all 8 scratch registers distinct: "
msg_none:	.asciz	"mmio: unclaimed 0xc0001000 reads all ones: "
msg_ok:		.asciz	"ok\n"
msg_fail:	.asciz	"FAIL (read 0x"
msg_close:	.asciz	")\n"
hexdigits:	.ascii	"0123456789abcdef"
