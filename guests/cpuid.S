/*
 * cpuid.S - prints what the `cpuid` instruction tells the guest.
 *
 * Demonstrates: the CPU a guest sees is the one KVM describes.  kvmrun
 * gives the vCPU the CPUID leaves KVM_GET_SUPPORTED_CPUID offers (README,
 * "The CPUID cache"); in ring 0 every `cpuid` is answered by KVM from
 * those leaves.  The guest prints the vendor, then EAX, ECX and EDX of a
 * few leaves in hex: 1 (family/model/stepping; SSE2 is EDX bit 26, XSAVE
 * ECX bit 26, OSXSAVE bit 27 (which follows CR4.OSXSAVE), AVX bit 28, the
 * hypervisor bit 31), 7 subleaf 0 (AVX2 is EBX bit 5), 0xd subleaf 0 (the
 * XCR0 bits it may set) and 0x80000001 (long mode is EDX bit 29).  EBX of
 * leaf 1 is left out: it holds the APIC ID of whichever host CPU answered.
 *
 * In ring 3 on a kvm_pvm host the answer may come from the host CPU
 * instead of from KVM (AMD) or from KVM with the host's features added
 * (Intel), so run it in ring 0 to see KVM's description.
 *
 * Run:    ./kvmrun --ring 0 guests/cpuid.bin
 * Expect: "cpuid: vendor <12 characters>, highest leaf 0x...", one line
 *         per leaf, status 0.  The values depend on the host.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

/* LEAF lf, sub: print "leaf LF.SUB: eax=... ebx=... ecx=... edx=...",
 * leaving EBX out when skip_ebx is 1. */
.macro LEAF lf, sub, skip_ebx=0
	.pushsection .rodata
name_\@: .asciz	"leaf \lf\().\sub:"
	.popsection
	lea	name_\@(%rip), %rsi
	call	puts
	mov	$\lf, %eax
	mov	$\sub, %ecx
	cpuid
	mov	%eax, %r12d
	mov	%ebx, %r13d
	mov	%ecx, %r14d
	mov	%edx, %r15d
	lea	msg_eax(%rip), %rsi
	mov	%r12d, %eax
	call	reg32
	.if \skip_ebx == 0
	lea	msg_ebx(%rip), %rsi
	mov	%r13d, %eax
	call	reg32
	.endif
	lea	msg_ecx(%rip), %rsi
	mov	%r14d, %eax
	call	reg32
	lea	msg_edx(%rip), %rsi
	mov	%r15d, %eax
	call	reg32
	call	newline
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* Leaf 0: the highest leaf in EAX, the vendor in EBX, EDX, ECX. */
	xor	%eax, %eax
	cpuid
	lea	vendor(%rip), %rdi
	mov	%ebx, (%rdi)
	mov	%edx, 4(%rdi)
	mov	%ecx, 8(%rdi)
	mov	%eax, %ebp
	lea	msg_vendor(%rip), %rsi
	call	puts
	lea	vendor(%rip), %rsi
	call	puts
	lea	msg_max(%rip), %rsi
	mov	%ebp, %eax
	call	reg32
	call	newline

	LEAF	0x1, 0, 1
	LEAF	0x7, 0
	LEAF	0xd, 0
	LEAF	0x80000001, 0
	hlt				/* exit status 0 */

/* reg32: print the string at RSI, then EAX as 8 hex digits. */
reg32:
	mov	%eax, %edi
	call	puts
	mov	$8, %ecx
1:	rol	$4, %edi		/* next digit into the low nibble */
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
msg_vendor:	.asciz	"cpuid: vendor "
msg_max:	.asciz	", highest leaf 0x"
msg_eax:	.asciz	" eax=0x"
msg_ebx:	.asciz	" ebx=0x"
msg_ecx:	.asciz	" ecx=0x"
msg_edx:	.asciz	" edx=0x"
hexdigits:	.ascii	"0123456789abcdef"

	.data
vendor:		.fill	13, 1, 0
