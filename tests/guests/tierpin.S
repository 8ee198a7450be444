/*
 * tierpin.S - takes over the CPU while kvmrun has it at CPL0 for speed,
 * and must then stay there (tiering: src/ring3/tier.h).
 *
 * The guest makes MMIO exits (reads of the test device's ID) until it
 * finds itself at CPL0 (CS's low bits), which with --tier-every 1 is after
 * the first.  There, before any other exit, it loads its own IDT (gates
 * for #BP and #UD).  Then it makes four more exits: kvmrun must see the
 * IDT and keep the guest at CPL0.  Its own handlers then take a ud2 and
 * an int3 and say so; it prints "ok" and halts.  Moved back to CPL3, the
 * next exception would reach kvmrun's IDT instead and the run would end
 * as a crash.
 *
 * Run:    ./kvmrun --tier-any-host --tier-every 1 tests/guests/tierpin.bin
 * Expect: "at ring 0", "own #UD handler", "own #BP handler", "ok";
 *         status 0; the same with --ring 0.  If it never reaches ring 0
 *         (--no-tiering): "never at ring 0", status 2.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

#define IDT	0x30000			/* 32 gates of 16 bytes */
#define TRIES	8

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$TRIES, %r12d
find_ring0:
	movabs	KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_ID, %rax
	mov	%cs, %ax
	test	$3, %al
	jz	at_ring0
	dec	%r12d
	jnz	find_ring0
	lea	m_never(%rip), %rsi
	call	puts
	mov	$2, %al
	out	%al, $KVMRUN_PORT_EXIT
	hlt

at_ring0:
	/* Our own IDT, before any exit: gates for #BP (3) and #UD (6). */
	lea	bp_handler(%rip), %rax
	mov	$3, %ecx
	call	set_gate
	lea	ud_handler(%rip), %rax
	mov	$6, %ecx
	call	set_gate
	lidt	idtr(%rip)

	lea	m_ring0(%rip), %rsi
	call	puts
	mov	$4, %r12d		/* exits at which kvmrun must keep us */
1:	movabs	KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_ID, %rax
	dec	%r12d
	jnz	1b
	ud2
	int3
	lea	m_ok(%rip), %rsi
	call	puts
	hlt

/* Gate RCX -> handler RAX: a 64-bit interrupt gate, CS 0x08, DPL0. */
set_gate:
	shl	$4, %ecx
	mov	%ax, IDT(%rcx)				/* offset 15:0 */
	movw	$KVMRUN_SEL_CODE64, IDT + 2(%rcx)
	movw	$0x8e00, IDT + 4(%rcx)			/* present, interrupt gate */
	shr	$16, %rax
	mov	%ax, IDT + 6(%rcx)			/* offset 31:16 */
	shr	$16, %rax
	mov	%eax, IDT + 8(%rcx)			/* offset 63:32 */
	movl	$0, IDT + 12(%rcx)
	ret

ud_handler:
	lea	m_ud(%rip), %rsi
	call	puts
	addq	$2, (%rsp)		/* past the ud2 */
	iretq

bp_handler:
	lea	m_bp(%rip), %rsi
	call	puts
	iretq				/* RIP is already past the int3 */

puts:	KVMRUN_PUTS KVMRUN_PORT_DEBUGCON

	.section .rodata
	.balign	8
idtr:	.word	32 * 16 - 1
	.quad	IDT
m_never: .asciz	"never at ring 0\n"
m_ring0: .asciz	"at ring 0\n"
m_ud:	.asciz	"own #UD handler\n"
m_bp:	.asciz	"own #BP handler\n"
m_ok:	.asciz	"ok\n"
