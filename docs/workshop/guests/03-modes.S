/*
 * 03-modes.S - lesson 3's guest: from real mode to protected mode to long
 * mode, by itself, the way a boot loader does it (Intel SDM vol. 3,
 * 10.9 "Mode switching" and 10.8.5 "Initializing IA-32e mode").  It prints
 * a line on the debug console (port 0xe9) in each mode, then halts in
 * 64-bit mode.  It brings its own GDT and page tables: in real mode kvmrun
 * writes no tables at all.
 *
 * Run:    ./kvmrun --mode real docs/workshop/guests/03-modes.bin
 * Expect: "real mode", "protected mode", "long mode", status 0.
 *
 * Loaded at 0x10000, so it starts at CS:IP = 1000:0000: in 16-bit code an
 * address is an offset from CS's base 0x10000 (hence "- _start"); the GDT
 * base and the far jumps' targets are linear addresses.
 */
#include <kvmrun/abi.h>

#define PML4	0x70000			/* page tables: three pages of free RAM */
#define PDPT	0x71000
#define PD	0x72000
#define EFER	0xc0000080		/* the IA32_EFER MSR (SDM vol. 4) */

/* Two places lesson 3's exercises change, each a name with its value for
 * this guest; a reference solution defines it otherwise and then includes
 * this file (solutions/03-jump08.S, solutions/03-compat.S). */
#ifndef LONG_MODE_CS
#define LONG_MODE_CS	0x18		/* the far jump into 64-bit code */
#endif
#ifndef IN_LONG_MODE
#define IN_LONG_MODE	hlt		/* what the guest does once it has printed */
#endif

	.code16
	.section .text.entry, "ax"
	.globl	_start
_start:
	cli				/* no interrupts: there is no IDT for them */
	mov	%cs, %ax
	mov	%ax, %ds
	mov	$(msg_real - _start), %si
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b

	/* Protected mode: load a GDT, set CR0.PE, far-jump to load CS
	 * with a 32-bit code segment (SDM vol. 3, 10.9.1). */
2:	lgdtl	gdtr - _start
	mov	%cr0, %eax
	or	$1, %eax		/* CR0.PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $pm32

	.code32
pm32:	mov	$0x10, %ax		/* flat data for DS, ES, SS */
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x10000, %esp
	mov	$msg_prot, %esi
	call	puts32

	/* Page tables for long mode: PML4[0] -> PDPT[0] -> PD, whose first
	 * entry maps 0-2 MiB with one 2 MiB page (SDM vol. 3, 5.5). */
	mov	$PML4, %edi
	xor	%eax, %eax
	mov	$(3 * 4096 / 4), %ecx
	rep stosl			/* zero the three pages */
	movl	$(PDPT | 3), PML4	/* present, writable */
	movl	$(PD | 3), PDPT
	movl	$(0 | 0x83), PD		/* present, writable, PS: 2 MiB page */

	/* Long mode: CR4.PAE, CR3, EFER.LME, then CR0.PG: the CPU is now in
	 * IA-32e mode, still running 32-bit code (compatibility mode). */
	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* CR4.PAE */
	mov	%eax, %cr4
	mov	$PML4, %eax
	mov	%eax, %cr3
	mov	$EFER, %ecx
	rdmsr
	or	$(1 << 8), %eax		/* EFER.LME */
	wrmsr
	mov	%cr0, %eax
	or	$(1 << 31), %eax	/* CR0.PG: EFER.LMA becomes 1 */
	mov	%eax, %cr0
	ljmp	$LONG_MODE_CS, $lm64	/* 0x18, a code segment with L=1: 64-bit mode */

	.code64
lm64:	lea	msg_long(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	IN_LONG_MODE

	.code32
puts32:	lodsb
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts32
1:	ret

	.section .rodata
	.p2align 3
/* The GDT (SDM vol. 3, 3.4.5): each entry is base, limit, type and flags. */
gdt:	.quad	0			/* 0x00: the null descriptor */
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code, base 0, 4 GiB */
	.quad	0x00cf92000000ffff	/* 0x10: data, base 0, 4 GiB, writable */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code (L=1, D=0) */
gdt_end:
gdtr:	.word	gdt_end - gdt - 1	/* limit */
	.long	gdt			/* linear base: linked at 0x10000 */

msg_real:	.asciz	"real mode\n"
msg_prot:	.asciz	"protected mode\n"
msg_long:	.asciz	"long mode\n"
