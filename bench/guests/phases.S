/*
 * Phases of computing and byte-wise output, for tiering (docs/internals.md,
 * "Tiering"): RAX phases (--set rax=N), each RBX steps of a 64-bit
 * generator (about 1.3 ns each natively) and then RCX bytes written one
 * `out` each to the debug console; then hlt.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:	mov	%rax, %r12		/* phases left */
	mov	%rbx, %r13		/* steps per phase */
	mov	%rcx, %r14		/* bytes per phase */
	mov	$1, %r15d		/* the generator's state */
	movabs	$6364136223846793005, %r8
phase:	test	%r12, %r12
	jz	done
	mov	%r13, %rcx
	jrcxz	2f
1:	imul	%r8, %r15
	inc	%r15
	dec	%rcx
	jnz	1b
2:	mov	%r14, %rcx
	jrcxz	4f
3:	mov	%r15d, %eax
	and	$0x1f, %eax
	add	$'a', %eax
	out	%al, $KVMRUN_PORT_DEBUGCON
	dec	%rcx
	jnz	3b
4:	dec	%r12
	jmp	phase
done:	hlt
