/* SPDX-License-Identifier: MIT */
/*
 * crt0.S - the start of a C guest: from kvmrun's entry state to main().
 *
 * kvmrun enters at _start in 64-bit mode with RSP = 0x10000 (a 16 KiB
 * stack above an unmapped guard page) and RDI = the boot information
 * block.  Before any C code runs:
 *   - .bss is zeroed: kvmrun zeroes an ELF's, but a flat image made with
 *     objcopy -O binary ends where its file ends;
 *   - the 16 general registers kvmrun entered with are kept, for
 *     kvmrun_entry_regs() (kvmrun --set REG=VALUE, --sets FILE): in .data,
 *     which the .bss clearing below leaves alone;
 *   - RDI is kept for kvmrun_bootinfo();
 *   - the stack-protector canary gets a value from the TSC;
 *   - RSP is 16-byte aligned at the call, as the SysV ABI wants (SSE
 *     spills of varargs functions fault otherwise).
 * Then kvmrun_main(bootinfo) if the guest defines it, else main(1, argv)
 * with argv = {"guest", NULL}; what it returns goes to exit().  Both are
 * weak references, so a guest defines either one.
 */
	.code64
	.section .text.entry, "ax"
	.globl	_start
	.type	_start, @function
_start:
	mov	%rax, __kvmrun_entry_regs + 0(%rip)	/* struct kvmrun_entry_regs */
	mov	%rbx, __kvmrun_entry_regs + 8(%rip)
	mov	%rcx, __kvmrun_entry_regs + 16(%rip)
	mov	%rdx, __kvmrun_entry_regs + 24(%rip)
	mov	%rsi, __kvmrun_entry_regs + 32(%rip)
	mov	%rdi, __kvmrun_entry_regs + 40(%rip)
	mov	%rsp, __kvmrun_entry_regs + 48(%rip)
	mov	%rbp, __kvmrun_entry_regs + 56(%rip)
	mov	%r8, __kvmrun_entry_regs + 64(%rip)
	mov	%r9, __kvmrun_entry_regs + 72(%rip)
	mov	%r10, __kvmrun_entry_regs + 80(%rip)
	mov	%r11, __kvmrun_entry_regs + 88(%rip)
	mov	%r12, __kvmrun_entry_regs + 96(%rip)
	mov	%r13, __kvmrun_entry_regs + 104(%rip)
	mov	%r14, __kvmrun_entry_regs + 112(%rip)
	mov	%r15, __kvmrun_entry_regs + 120(%rip)
	mov	%rdi, %rbx			/* boot info: rep stosb needs RDI */
	cld
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	mov	%rbx, __kvmrun_entry_rdi(%rip)

	rdtsc					/* canary: the TSC, mixed */
	shl	$32, %rdx
	or	%rdx, %rax
	movabs	$0x9e3779b97f4a7c15, %rdx
	imul	%rdx, %rax
	xor	%al, %al			/* a NUL byte stops string overruns */
	mov	%rax, __stack_chk_guard(%rip)

	and	$-16, %rsp
	xor	%ebp, %ebp			/* the end of the frame chain */
	movabs	$kvmrun_main, %rax
	test	%rax, %rax
	jz	1f
	mov	%rbx, %rdi
	call	*%rax
	jmp	2f
1:	movabs	$main, %rax
	test	%rax, %rax
	jz	3f
	mov	$1, %edi
	lea	argv(%rip), %rsi
	xor	%edx, %edx			/* envp: none */
	call	*%rax
2:	mov	%eax, %edi
	call	exit
3:	call	__kvmrun_no_main
	.size	_start, . - _start

	.weak	kvmrun_main
	.weak	main

	.section .rodata
progname:
	.asciz	"guest"

	.section .data
	.balign	8
argv:	.quad	progname, 0
	.globl	__kvmrun_entry_regs
__kvmrun_entry_regs:
	.fill	16, 8, 0

	.section .note.GNU-stack, "", @progbits
