/*
 * hostile/spin.S - never exit, never halt.
 *
 * A hostile guest that spins for ever without a single VM exit.  Only the
 * time limit can end it: kvmrun must stop it at -t (status 124) with one
 * line naming where it stopped, and not lose the output written before.
 * RBX (--set rbx=N) picks the loop:
 *
 *   0  jmp . (native in ring 3 by default)
 *   1  cli, then jmp .: interrupts off, and in the default mode the cli
 *      moves the guest to ring 0, where kvm_pvm emulates every instruction
 *
 * Run:    ./kvmrun -t 0.5 --set rbx=1 tests/guests/hostile/spin.bin
 * Expect: "spin: forever\n" on stdout, then
 *           kvmrun: time limit of 0.5 s reached: guest stopped at rip ...
 *         and status 124.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	test	%rbx, %rbx
	jz	spin
	cli
spin:	jmp	spin

	.section .rodata
msg:	.asciz	"spin: forever\n"
