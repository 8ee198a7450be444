/*
 * hostile/jump.S - jumps to where no code is.
 *
 * A hostile guest that jumps to a non-canonical address, to addresses
 * nothing maps, into MMIO, into RAM it never wrote, or into kvmrun's
 * exception stubs with a forged exception frame.  kvmrun must end each run
 * in a documented way, naming what happened.  RBX (--set rbx=N) picks the
 * target:
 *
 *   0  0x0000800000000000: the first non-canonical address (#GP)
 *   1  0x8000000000000000: non-canonical, top bit set (#GP)
 *   2  0x200000000: canonical, above RAM, not mapped (#PF, fetch)
 *   3  0xfffffffffffff000: canonical, the top page, not mapped (#PF)
 *   4  0xd0000000: the MMIO test device (code fetch from MMIO)
 *   5  the first byte after RAM: the unbacked hole (fetch from MMIO)
 *   6  32 MiB: RAM the guest never touched (zeros: add %al,(%rax) over
 *      and over) up to the end of RAM, then into the hole
 *   7  kvmrun's stub for vector 0 (0x7400): a hlt; in ring 3 it raises
 *      #GP and ends the run as hlt (status 0).  (With --ring 0 kvmrun takes
 *      the hlt for a #DE and reads the image's first bytes at RSP as the
 *      exception frame: a bogus report, status 126.)
 *   8  the #PF stub, in ring 0, with a forged exception frame on the stack
 *      (rip 0x1234567, cs 0x08): kvmrun cannot tell it from a real #PF
 *   9  the #PF stub, in ring 0, with the stack 8 bytes below the end of
 *      RAM: no frame fits, so it is the guest's own hlt
 *
 * Run:    ./kvmrun --set rbx=0 tests/guests/hostile/jump.bin
 * Expect: "jump: away\n" on stdout, then the ending; see
 *         tests/cases/hostile-jump-*.
 */
#include <kvmrun/abi.h>

#define STUB(v)	(KVMRUN_STUBS_ADDR + 4 * (v))

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	BOOTINFO_RAM_SIZE(%rdi), %rbp	/* end of RAM */
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	lea	table(%rip), %rax
	cmp	$9, %rbx
	ja	fail
	jmp	*(%rax,%rbx,8)

case0:	movabs	$0x0000800000000000, %rax
	jmp	*%rax
case1:	movabs	$0x8000000000000000, %rax
	jmp	*%rax
case2:	movabs	$0x200000000, %rax
	jmp	*%rax
case3:	movabs	$0xfffffffffffff000, %rax
	jmp	*%rax
case4:	mov	$KVMRUN_TESTDEV_BASE, %eax
	jmp	*%rax
case5:	jmp	*%rbp
case6:	mov	$0x2000000, %eax
	jmp	*%rax
case7:	mov	$STUB(0), %eax
	jmp	*%rax
case8:	mov	%cr0, %rax			/* to ring 0 (in --ring auto) */
	pushq	$KVMRUN_SEL_DATA		/* ss */
	pushq	$0x5000				/* rsp */
	pushq	$0x2				/* rflags */
	pushq	$KVMRUN_SEL_CODE64		/* cs */
	pushq	$0x1234567			/* rip */
	pushq	$0x2				/* error code: write */
	mov	$STUB(14), %eax
	jmp	*%rax
case9:	mov	%cr0, %rax
	lea	-8(%rbp), %rsp
	mov	$STUB(14), %eax
	jmp	*%rax

fail:	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
	.balign	8
table:	.quad	case0, case1, case2, case3, case4, case5, case6, case7
	.quad	case8, case9
msg:	.asciz	"jump: away\n"
