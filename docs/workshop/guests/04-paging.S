/*
 * 04-paging.S - lesson 4's guest: its own 4-level page tables with 4 KiB
 * pages (Intel SDM vol. 3, 5.5 "4-level paging"), one physical page mapped
 * at two virtual addresses, then one of them unmapped, and the page fault
 * (#PF, vector 14) that follows caught by its own IDT.
 *
 *   0x000000-0x1fffff  identity-mapped (code, stack, these tables)
 *   0x200000, 0x201000 both map the physical page 0x50000
 *
 * Run:    ./kvmrun docs/workshop/guests/04-paging.bin
 * Expect: four lines ending in the #PF's CR2 and error code, status 0.
 */
#include <kvmrun/abi.h>

#define PML4	0x100000		/* the guest's tables: free RAM at 1 MiB */
#define PDPT	0x101000
#define PD	0x102000
#define PT0	0x103000		/* 0-2 MiB */
#define PT1	0x104000		/* 2-4 MiB */
#define IDT	0x105000
#define SHARED	0x50000			/* the physical page mapped twice */
#define P_RW	3			/* PTE bits: present, writable (5.13) */

/* What the guest does to 0x201000 at the end: three names with their
 * values for this guest.  Lesson 4's exercise (solutions/04-readonly.S)
 * defines them otherwise and then includes this file. */
#ifndef PTE_0x201000
#define PTE_0x201000	0			/* its new PT1 entry: not present */
#endif
#ifndef ACCESS_0x201000
#define ACCESS_0x201000	mov 0x201000, %rax	/* a read */
#endif
#ifndef MSG_0x201000
#define MSG_0x201000	"0x201000 unmapped\n"
#endif

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* Zero the six pages, tables and IDT. */
	mov	$PML4, %edi
	xor	%eax, %eax
	mov	$(6 * 4096 / 8), %ecx
	rep stosq
	movq	$(PDPT | P_RW), PML4		/* PML4[0]: 0-512 GiB */
	movq	$(PD | P_RW), PDPT		/* PDPT[0]: 0-1 GiB */
	movq	$(PT0 | P_RW), PD		/* PD[0]: 0-2 MiB */
	movq	$(PT1 | P_RW), PD + 8		/* PD[1]: 2-4 MiB */
	/* PT0: 512 entries, page i at physical i * 4 KiB. */
	mov	$PT0, %edi
	mov	$P_RW, %eax
1:	mov	%rax, (%rdi)
	add	$4096, %rax
	add	$8, %rdi
	cmp	$(PT0 + 4096), %edi
	jb	1b
	/* PT1[0] and PT1[1]: 0x200000 and 0x201000, both to SHARED. */
	movq	$(SHARED | P_RW), PT1
	movq	$(SHARED | P_RW), PT1 + 8

	/* CR3 = our PML4: from here on the CPU walks our tables.  A
	 * privileged instruction: kvmrun moves the guest to ring 0 here. */
	mov	$PML4, %eax
	mov	%rax, %cr3
	lea	msg_cr3(%rip), %rsi
	call	puts

	/* The IDT: one interrupt gate, vector 14 (6.14.1). */
	lea	pf_handler(%rip), %rax
	mov	$(IDT + 14 * 16), %edi
	call	set_gate
	lidt	idtr(%rip)

	/* One page, two addresses: write through one, read through the other. */
	movq	$0x2a, 0x200000
	mov	0x201000, %rbx
	lea	msg_alias(%rip), %rsi
	call	puts			/* puts uses AL: print RBX after it */
	mov	%rbx, %rax
	call	puthex
	call	newline

	/* Unmap 0x201000: clear its entry, and flush the TLB's copy (5.10.4.1). */
	movq	$PTE_0x201000, PT1 + 8	/* 0 */
	invlpg	0x201000
	lea	msg_unmap(%rip), %rsi
	call	puts
	ACCESS_0x201000			/* a read: #PF, not present */
	lea	msg_nofault(%rip), %rsi
	call	puts
	hlt

/* The #PF handler: CR2 holds the address, the error code is on the stack
 * (6.15, "Interrupt 14"): bit 0 P (0: not present), bit 1 W/R, bit 2 U/S. */
pf_handler:
	lea	msg_pf(%rip), %rsi
	call	puts
	mov	%cr2, %rax
	call	puthex
	lea	msg_err(%rip), %rsi
	call	puts
	mov	(%rsp), %rax
	call	puthex
	call	newline
	hlt

/* set_gate: a 64-bit interrupt gate at RDI for the handler at RAX. */
set_gate:
	mov	%ax, (%rdi)			/* offset 15:0 */
	mov	%cs, %dx
	mov	%dx, 2(%rdi)			/* selector: our CS */
	movw	$0x8e00, 4(%rdi)		/* present, DPL0, interrupt gate */
	shr	$16, %rax
	mov	%ax, 6(%rdi)			/* offset 31:16 */
	shr	$16, %rax
	mov	%eax, 8(%rdi)			/* offset 63:32 */
	movl	$0, 12(%rdi)
	ret

puts:	lodsb
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts
1:	ret

newline:
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	ret

/* puthex: RAX as 0x and hexadecimal digits, no leading zeros. */
puthex:
	mov	%rax, %rdx
	mov	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'x', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$60, %cl
1:	mov	%rdx, %rax			/* skip leading zero digits */
	shr	%cl, %rax
	test	$0xf, %al
	jnz	2f
	sub	$4, %cl
	jns	1b
	mov	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	ret
2:	mov	%rdx, %rax
	shr	%cl, %rax
	and	$0xf, %eax
	mov	hexdigits(%rax), %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	sub	$4, %cl
	jns	2b
	ret

	.section .rodata
idtr:	.word	256 * 16 - 1
	.quad	IDT
hexdigits:	.ascii	"0123456789abcdef"
msg_cr3:	.asciz	"CR3 = 0x100000: the guest's own page tables\n"
msg_alias:	.asciz	"wrote 0x2a at 0x200000, read at 0x201000: "
msg_unmap:	.asciz	MSG_0x201000
msg_pf:		.asciz	"#PF: CR2 = "
msg_err:	.asciz	", error code "
msg_nofault:	.asciz	"no page fault?\n"
