/*
 * protected.S - checks the 32-bit protected-mode entry state kvmrun
 * documents for --mode protected: CR0.PE set and PG clear, CS 0x08, DS
 * and SS 0x10, ESP 0x10000, EDI the boot information block (its magic
 * there); then reloads CS and DS from kvmrun's GDT, which must hold 32-bit
 * flat code at 0x08 (were it 16-bit, the code after the far jump would
 * decode differently).  Prints a line and exits 0 if all holds, else 1.
 * Linked for the default load address, 0x10000.
 *
 * Run:    ./kvmrun --mode protected tests/guests/protected.bin
 * Expect: "protected mode: cs 0x08, ds ss 0x10, paging off, boot info", status 0.
 */
#include <kvmrun/abi.h>

	.code32
	.section .text.entry, "ax"
	.globl	_start
_start:
	xor	%ebx, %ebx		/* stays 0 while every check holds */
	mov	%cr0, %eax
	and	$0x80000001, %eax	/* PG and PE */
	xor	$1, %eax
	or	%eax, %ebx
	xor	%eax, %eax
	mov	%cs, %ax
	xor	$KVMRUN_SEL_CODE64, %eax	/* 0x08 in either mode's GDT */
	or	%eax, %ebx
	mov	%ds, %ax
	xor	$KVMRUN_SEL_DATA, %eax
	or	%eax, %ebx
	mov	%ss, %ax
	xor	$KVMRUN_SEL_DATA, %eax
	or	%eax, %ebx
	mov	%esp, %eax
	xor	$KVMRUN_STACK_TOP, %eax
	or	%eax, %ebx
	mov	%edi, %eax
	xor	$KVMRUN_BOOTINFO_ADDR, %eax
	or	%eax, %ebx
	mov	BOOTINFO_MAGIC(%edi), %eax
	xor	$KVMRUN_BOOTINFO_MAGIC, %eax
	or	%eax, %ebx
	ljmp	$KVMRUN_SEL_CODE64, $1f		/* CS from the GDT */
1:	mov	$KVMRUN_SEL_DATA, %ax
	mov	%ax, %ds
	test	%ebx, %ebx
	jnz	bad
	mov	$msg, %esi
	mov	$KVMRUN_PORT_DEBUGCON, %dx
2:	lodsb
	test	%al, %al
	jz	3f
	out	%al, (%dx)
	jmp	2b
3:	xor	%eax, %eax
	jmp	4f
bad:	mov	$1, %eax
4:	mov	$KVMRUN_PORT_EXIT, %dx
	out	%al, (%dx)
	hlt

	.section .rodata
msg:	.asciz	"protected mode: cs 0x08, ds ss 0x10, paging off, boot info\n"
