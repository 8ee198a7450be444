/*
 * bootinfo.S - prints the boot-info block kvmrun hands to the guest.
 *
 * Demonstrates: how a guest learns about its machine.  At entry RDI holds
 * the address of a struct kvmrun_bootinfo (include/kvmrun/abi.h): RAM size,
 * where the image was loaded and how big it is, the entry point, the
 * initial stack, and a table of memory regions: usable RAM, RAM reserved
 * for kvmrun's page tables/GDT/TSS/boot info, the initial stack, and the
 * image itself.  The guest prints every field in hex, using the BOOTINFO_*
 * byte offsets, and names each region type (KVMRUN_MEM_*).
 *
 * Run:    ./kvmrun --mem 16M guests/bootinfo.bin
 * Expect: the fields, one per line, then one line per memory region, and
 *         exit status 0 (hlt).  Try other --mem sizes and watch ram_size and
 *         the regions change.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))
#define REGION_SIZE	24	/* sizeof(struct kvmrun_mem_region) */
#define REGION_ADDR	0
#define REGION_SIZE_F	8
#define REGION_TYPE	16

/* FIELD "name", offset, digits: print one boot-info field in hex.  The
 * field is loaded as 64 bits; put_hex prints only its low `digits` hex
 * digits, which on little-endian x86 is exactly the u16/u32 field. */
.macro FIELD name, off, digits
	.pushsection .rodata
name_\@: .asciz	"\name"
	.popsection
	lea	name_\@(%rip), %rsi
	call	puts
	mov	\off(%rbp), %rax
	mov	$\digits, %ecx
	call	put_hex
	call	newline
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rdi, %rbp		/* RBP = boot info block */

	lea	msg_at(%rip), %rsi
	call	puts
	mov	%rbp, %rax
	mov	$16, %ecx
	call	put_hex
	call	newline

	FIELD	"  magic       0x", BOOTINFO_MAGIC,       8
	FIELD	"  version     0x", BOOTINFO_VERSION,     4
	FIELD	"  size        0x", BOOTINFO_SIZE,        4
	FIELD	"  ram_size    0x", BOOTINFO_RAM_SIZE,   16
	FIELD	"  image_addr  0x", BOOTINFO_IMAGE_ADDR, 16
	FIELD	"  image_size  0x", BOOTINFO_IMAGE_SIZE, 16
	FIELD	"  entry       0x", BOOTINFO_ENTRY,      16
	FIELD	"  stack_top   0x", BOOTINFO_STACK_TOP,  16
	FIELD	"  mem_count   0x", BOOTINFO_MEM_COUNT,   8

	/* The memory regions: at most KVMRUN_BOOTINFO_MAX_MEM of them. */
	mov	BOOTINFO_MEM_COUNT(%rbp), %r12d
	cmp	$KVMRUN_BOOTINFO_MAX_MEM, %r12d
	jbe	1f
	mov	$KVMRUN_BOOTINFO_MAX_MEM, %r12d
1:	lea	BOOTINFO_MEM(%rbp), %rbx	/* RBX = current region */
	xor	%r13d, %r13d			/* R13 = its index */
next_region:
	cmp	%r12d, %r13d
	je	done

	lea	msg_mem(%rip), %rsi		/* "  mem[i] 0x<addr> +0x<size> " */
	call	puts
	mov	%r13d, %eax
	mov	$1, %ecx
	call	put_hex
	lea	msg_addr(%rip), %rsi
	call	puts
	mov	REGION_ADDR(%rbx), %rax
	mov	$16, %ecx
	call	put_hex
	lea	msg_size(%rip), %rsi
	call	puts
	mov	REGION_SIZE_F(%rbx), %rax
	mov	$16, %ecx
	call	put_hex
	lea	msg_type(%rip), %rsi
	call	puts
	mov	REGION_TYPE(%rbx), %eax
	push	%rax
	mov	$1, %ecx
	call	put_hex
	pop	%rax				/* and the type's name */
	lea	type_usable(%rip), %rsi
	cmp	$KVMRUN_MEM_USABLE, %eax
	je	2f
	lea	type_reserved(%rip), %rsi
	cmp	$KVMRUN_MEM_RESERVED, %eax
	je	2f
	lea	type_image(%rip), %rsi
	cmp	$KVMRUN_MEM_IMAGE, %eax
	je	2f
	lea	type_stack(%rip), %rsi
	cmp	$KVMRUN_MEM_STACK, %eax
	je	2f
	lea	type_unknown(%rip), %rsi
2:	call	puts
	call	newline

	add	$REGION_SIZE, %rbx
	inc	%r13d
	jmp	next_region

done:
	hlt				/* exit status 0 */
	jmp	done

/* put_hex: print the low ECX hex digits (1..16) of RAX. */
put_hex:
	mov	%rax, %rdi
	push	%rcx
	neg	%ecx			/* CL = 4 * (16 - digits): shift the */
	add	$16, %ecx		/* digits we want to the top of RDI */
	shl	$2, %ecx
	shl	%cl, %rdi
	pop	%rcx
1:	rol	$4, %rdi		/* next digit into the low nibble */
	mov	%edi, %eax
	and	$0xf, %eax
	lea	hexdigits(%rip), %rsi
	movzbl	(%rsi, %rax), %eax
	call	putc
	dec	%ecx
	jnz	1b
	ret

newline:
	mov	$'\n', %al
	jmp	putc

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
msg_at:		.asciz	"boot info at 0x"
msg_mem:	.asciz	"  mem["
msg_addr:	.asciz	"] addr 0x"
msg_size:	.asciz	" size 0x"
msg_type:	.asciz	" type "
type_usable:	.asciz	" usable"
type_reserved:	.asciz	" reserved"
type_image:	.asciz	" image"
type_stack:	.asciz	" stack"
type_unknown:	.asciz	" ?"
hexdigits:	.ascii	"0123456789abcdef"
