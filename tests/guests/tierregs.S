/*
 * tierregs.S - checks that every register survives an exit, whichever
 * ring kvmrun continues the guest in (tiering: src/ring3/tier.h).
 *
 * 64 rounds.  Each round loads every general register but RSP, XMM0 and
 * the carry flag with known values, makes one exit of four kinds in turn
 * (an `out` to the debug console, an MMIO read of the test device's ID, an
 * MMIO write and read of one of its scratch registers, a write and an `in`
 * of the UART's scratch register), then compares all of them with what
 * they must hold: what was loaded, and in RAX what the exit returned.  RSP
 * must be unchanged too.  A mismatch prints "FAIL <what> round <n>" and
 * exits with status 1; else the guest prints one letter per round and
 * "\nok\n", and halts.
 *
 * With --tier-any-host --tier-every 1 every exit moves the guest to the
 * other ring, so each check runs after a move.
 *
 * Run:    ./kvmrun --tier-any-host --tier-every 1 tests/guests/tierregs.bin
 * Expect: "ABCDABCD..." (64 letters), "ok", exit status 0; the same with
 *         --ring 0, --ring 3 (where the host lets ring 3 do port I/O) and
 *         --no-tiering.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

#define ROUND	0x20000			/* the round, 0 ... 63 */
#define ROUNDS	64
#define SP_AT	0x20008			/* RSP at the start of a round */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	movq	$0, ROUND
round:
	mov	%rsp, SP_AT
	/* Every register, then XMM0 and CF. */
	movabs	$0x1111111111111111, %rbx
	movabs	$0x2222222222222222, %rcx
	movabs	$0x3333333333333333, %rdx
	movabs	$0x4444444444444444, %rsi
	movabs	$0x5555555555555555, %rdi
	movabs	$0x6666666666666666, %rbp
	movabs	$0x8888888888888888, %r8
	movabs	$0x9999999999999999, %r9
	movabs	$0xaaaaaaaaaaaaaaaa, %r10
	movabs	$0xbbbbbbbbbbbbbbbb, %r11
	movabs	$0xcccccccccccccccc, %r12
	movabs	$0xdddddddddddddddd, %r13
	movabs	$0xeeeeeeeeeeeeeeee, %r14
	movabs	$0x0f0f0f0f0f0f0f0f, %r15
	movq	%r15, %xmm0
	mov	ROUND, %rax
	and	$3, %eax
	cmp	$1, %eax
	jb	kind_out
	je	kind_mmio_read
	cmp	$2, %eax
	je	kind_mmio_write

	/* 3: the UART's scratch register, written then read (DX is 0x3ff). */
kind_uart:
	push	%rdx
	mov	$KVMRUN_PORT_COM1 + UART_SCR, %dx
	mov	$0x5a, %al
	out	%al, %dx
	stc
	in	%dx, %al
	pop	%rdx
	jnc	bad_cf
	cmp	$0x5a, %al
	jne	bad_rax
	jmp	check

	/* 0: one byte out, 'A' + round % 4. */
kind_out:
	mov	ROUND, %rax
	and	$3, %eax
	add	$'A', %eax
	stc
	out	%al, $KVMRUN_PORT_DEBUGCON
	jnc	bad_cf
	jmp	check

	/* 1: the test device's ID. */
kind_mmio_read:
	stc
	movabs	KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_ID, %rax
	jnc	bad_cf
	movabs	$KVMRUN_TESTDEV_MAGIC, %r15
	cmp	%r15, %rax
	jne	bad_rax
	movabs	$0x0f0f0f0f0f0f0f0f, %r15
	jmp	check

	/* 2: a scratch register, written then read back. */
kind_mmio_write:
	movabs	$0x0123456789abcdef, %rax
	stc
	movabs	%rax, KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_SCRATCH
	mov	$0, %eax			/* mov keeps CF */
	movabs	KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_SCRATCH, %rax
	jnc	bad_cf
	movabs	$0x0123456789abcdef, %r15
	cmp	%r15, %rax
	jne	bad_rax
	movabs	$0x0f0f0f0f0f0f0f0f, %r15

	/* Every register as loaded. */
check:
	cmp	SP_AT, %rsp
	jne	bad_rsp
	lea	expect(%rip), %rax
	cmp	0x00(%rax), %rbx
	jne	bad_gpr
	cmp	0x08(%rax), %rcx
	jne	bad_gpr
	cmp	0x10(%rax), %rdx
	jne	bad_gpr
	cmp	0x18(%rax), %rsi
	jne	bad_gpr
	cmp	0x20(%rax), %rdi
	jne	bad_gpr
	cmp	0x28(%rax), %rbp
	jne	bad_gpr
	cmp	0x30(%rax), %r8
	jne	bad_gpr
	cmp	0x38(%rax), %r9
	jne	bad_gpr
	cmp	0x40(%rax), %r10
	jne	bad_gpr
	cmp	0x48(%rax), %r11
	jne	bad_gpr
	cmp	0x50(%rax), %r12
	jne	bad_gpr
	cmp	0x58(%rax), %r13
	jne	bad_gpr
	cmp	0x60(%rax), %r14
	jne	bad_gpr
	cmp	0x68(%rax), %r15
	jne	bad_gpr
	movq	%xmm0, %rbx
	cmp	%r15, %rbx
	jne	bad_xmm
	incq	ROUND
	cmpq	$ROUNDS, ROUND
	jb	round
	lea	ok(%rip), %rsi
	call	puts
	hlt

bad_cf:	lea	m_cf(%rip), %rsi
	jmp	fail
bad_rax: lea	m_rax(%rip), %rsi
	jmp	fail
bad_rsp: lea	m_rsp(%rip), %rsi
	jmp	fail
bad_gpr: lea	m_gpr(%rip), %rsi
	jmp	fail
bad_xmm: lea	m_xmm(%rip), %rsi
fail:	mov	SP_AT, %rsp
	push	%rsi
	lea	m_fail(%rip), %rsi
	call	puts
	pop	%rsi
	call	puts
	lea	m_round(%rip), %rsi
	call	puts
	mov	ROUND, %eax			/* two decimal digits */
	mov	$10, %bl
	div	%bl
	add	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	%ah, %al
	add	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT
	hlt

puts:	KVMRUN_PUTS KVMRUN_PORT_DEBUGCON

	.section .rodata
	.balign	8
expect:	.quad	0x1111111111111111, 0x2222222222222222, 0x3333333333333333
	.quad	0x4444444444444444, 0x5555555555555555, 0x6666666666666666
	.quad	0x8888888888888888, 0x9999999999999999, 0xaaaaaaaaaaaaaaaa
	.quad	0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc, 0xdddddddddddddddd
	.quad	0xeeeeeeeeeeeeeeee, 0x0f0f0f0f0f0f0f0f
ok:	.asciz	"\nok\n"
m_fail:	.asciz	"\nFAIL "
m_cf:	.asciz	"carry flag"
m_rax:	.asciz	"rax (the exit's value)"
m_rsp:	.asciz	"rsp"
m_gpr:	.asciz	"a general register"
m_xmm:	.asciz	"xmm0"
m_round: .asciz	" round "
