/*
 * contract.S - checks the machine state kvmrun promises at entry.
 *
 * Demonstrates: the guest contract of include/kvmrun/abi.h, checked one
 * item at a time with the default options (no --mem, so 64 MiB of RAM):
 *    1  RDI points at the boot-info block (KVMRUN_BOOTINFO_ADDR)
 *    2  boot info: magic        3  boot info: version
 *    4  ram_size is 64 MiB      5  image_addr is 0x10000
 *    6  image_size is the size of this file
 *    7  entry is 0x10000        8  stack_top is 0x10000
 *    9  mem_count is 1..KVMRUN_BOOTINFO_MAX_MEM
 *   10  RSP at entry is 0x10000 11  RFLAGS at entry is 0x2 (IF aside: on
 *       kvm_pvm hosts pushfq at CPL3 reads IF as 1, see the README)
 *   12  CR0: PE, MP, PG set     13  CR0: EM clear (x87/SSE usable)
 *   14  CR4: PAE, OSFXSR, OSXMMEXCPT set
 *   15  EFER: LME and LMA set (long mode enabled and active)
 *   16  CR3 is KVMRUN_PML4_ADDR
 *   17  CS is 0x08   18  SS   19  DS   20  ES   21  FS   22  GS are 0x10
 *   23  TR is 0x18 (the 64-bit TSS)
 *   24  the last byte of RAM (ram_size - 1) is mapped and writable
 *   25  the first byte after RAM is unbacked: it reads all ones
 *   26  0xc0000000 (start of the MMIO window) reads all ones
 *
 * In the default --ring auto the guest starts in ring 3 and moves to ring 0
 * at its first `mov %cr0` (check 12); from then on CS and SS are the ring-0
 * selectors this guest checks.
 *
 * Run:    ./kvmrun guests/contract.bin
 * Expect: "contract ok" on stdout and exit status 0 (hlt).  On the first
 *         failed check the guest prints "contract FAIL <n>: <what>" and
 *         exits with status n.  kvmrun notes the two unclaimed MMIO reads
 *         (checks 25 and 26) on stderr.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

/* Architectural bits (Intel SDM vol. 3, chapter 2). */
#define CR0_PE		(1 << 0)	/* protected mode */
#define CR0_MP		(1 << 1)	/* monitor coprocessor */
#define CR0_EM		(1 << 2)	/* x87 emulation: must be clear */
#define CR0_PG		(1 << 31)	/* paging */
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)	/* OS supports fxsave / SSE */
#define CR4_OSXMMEXCPT	(1 << 10)	/* OS handles SIMD exceptions */
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)	/* long mode enable */
#define EFER_LMA	(1 << 10)	/* long mode active */

#define DEFAULT_RAM	(64 << 20)	/* 64 MiB: kvmrun without --mem */

/* CHECK n, jcc, "text": if the jcc jumps, check n failed: report it and
 * exit with status n.  The failure stub goes to subsection 1, out of the
 * way of the straight-line checks. */
.macro CHECK n, jcc, why
	\jcc	fail_\@
	.pushsection .text.entry, 1
fail_\@:
	mov	$\n, %ebx
	lea	why_\@(%rip), %rsi
	jmp	fail
why_\@:	.asciz	"\why"
	.popsection
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* Capture the entry state before anything changes it.  `mov` leaves
	 * the flags alone; `pushfq` is the only way to read RFLAGS. */
	mov	%rsp, %r12
	mov	%rdi, %r13
	pushfq
	pop	%r14

	/* The boot-info block. */
	cmp	$KVMRUN_BOOTINFO_ADDR, %r13
	CHECK	1, jne, "RDI != KVMRUN_BOOTINFO_ADDR"
	mov	%r13, %rbp		/* RBP = boot info from here on */
	cmpl	$KVMRUN_BOOTINFO_MAGIC, BOOTINFO_MAGIC(%rbp)
	CHECK	2, jne, "boot info magic"
	cmpw	$KVMRUN_BOOTINFO_VERSION, BOOTINFO_VERSION(%rbp)
	CHECK	3, jne, "boot info version"
	cmpq	$DEFAULT_RAM, BOOTINFO_RAM_SIZE(%rbp)
	CHECK	4, jne, "ram_size != 64 MiB"
	cmpq	$KVMRUN_DEFAULT_LOAD, BOOTINFO_IMAGE_ADDR(%rbp)
	CHECK	5, jne, "image_addr != 0x10000"
	cmpq	$(image_end - _start), BOOTINFO_IMAGE_SIZE(%rbp)
	CHECK	6, jne, "image_size != size of contract.bin"
	cmpq	$KVMRUN_DEFAULT_LOAD, BOOTINFO_ENTRY(%rbp)
	CHECK	7, jne, "entry != 0x10000"
	cmpq	$KVMRUN_STACK_TOP, BOOTINFO_STACK_TOP(%rbp)
	CHECK	8, jne, "stack_top != 0x10000"
	mov	BOOTINFO_MEM_COUNT(%rbp), %eax
	dec	%eax			/* 1..MAX becomes 0..MAX-1 */
	cmp	$KVMRUN_BOOTINFO_MAX_MEM, %eax
	CHECK	9, jae, "mem_count not in 1..8"

	/* Registers at entry. */
	cmp	$KVMRUN_STACK_TOP, %r12
	CHECK	10, jne, "RSP at entry != 0x10000"
	and	$~0x200, %r14		/* IF: virtual at CPL3 on kvm_pvm */
	cmp	$0x2, %r14		/* bit 1 is always set; nothing else */
	CHECK	11, jne, "RFLAGS at entry != 0x2"

	/* Control registers and EFER. */
	mov	%cr0, %rax
	mov	%eax, %ecx
	and	$(CR0_PE | CR0_MP | CR0_PG), %ecx
	cmp	$(CR0_PE | CR0_MP | CR0_PG), %ecx
	CHECK	12, jne, "CR0: PE, MP, PG not all set"
	test	$CR0_EM, %eax
	CHECK	13, jnz, "CR0: EM set"
	mov	%cr4, %rax
	and	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	cmp	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	CHECK	14, jne, "CR4: PAE, OSFXSR, OSXMMEXCPT not all set"
	mov	$MSR_EFER, %ecx
	rdmsr				/* EDX:EAX = EFER */
	and	$(EFER_LME | EFER_LMA), %eax
	cmp	$(EFER_LME | EFER_LMA), %eax
	CHECK	15, jne, "EFER: LME, LMA not both set"
	mov	%cr3, %rax
	cmp	$KVMRUN_PML4_ADDR, %rax
	CHECK	16, jne, "CR3 != KVMRUN_PML4_ADDR"

	/* Segment selectors. */
	mov	%cs, %ax
	cmp	$KVMRUN_SEL_CODE64, %ax
	CHECK	17, jne, "CS != 0x08"
	mov	%ss, %ax
	cmp	$KVMRUN_SEL_DATA, %ax
	CHECK	18, jne, "SS != 0x10"
	mov	%ds, %ax
	cmp	$KVMRUN_SEL_DATA, %ax
	CHECK	19, jne, "DS != 0x10"
	mov	%es, %ax
	cmp	$KVMRUN_SEL_DATA, %ax
	CHECK	20, jne, "ES != 0x10"
	mov	%fs, %ax
	cmp	$KVMRUN_SEL_DATA, %ax
	CHECK	21, jne, "FS != 0x10"
	mov	%gs, %ax
	cmp	$KVMRUN_SEL_DATA, %ax
	CHECK	22, jne, "GS != 0x10"
	str	%ax			/* task register selector */
	cmp	$KVMRUN_SEL_TSS, %ax
	CHECK	23, jne, "TR != 0x18"

	/* Memory: the end of RAM, just past it, and the MMIO window. */
	mov	BOOTINFO_RAM_SIZE(%rbp), %rbx
	movb	$0xa5, -1(%rbx)		/* two different values, so a */
	cmpb	$0xa5, -1(%rbx)		/* constant answer cannot pass */
	CHECK	24, jne, "last byte of RAM not writable"
	movb	$0x5a, -1(%rbx)
	cmpb	$0x5a, -1(%rbx)
	CHECK	24, jne, "last byte of RAM not writable"
	mov	(%rbx), %rax		/* unbacked: exits as MMIO */
	cmp	$-1, %rax
	CHECK	25, jne, "first byte after RAM does not read all ones"
	mov	$KVMRUN_MMIO_WINDOW, %ebx
	mov	(%rbx), %rax
	cmp	$-1, %rax
	CHECK	26, jne, "0xc0000000 does not read all ones"

	lea	msg_ok(%rip), %rsi
	call	puts
done:
	hlt				/* every check passed: status 0 */
	jmp	done

/* fail: print "contract FAIL <EBX>: <string at RSI>", exit with EBX. */
fail:
	push	%rsi
	lea	msg_fail(%rip), %rsi
	call	puts
	mov	%ebx, %eax		/* EBX in decimal (1..99) */
	xor	%edx, %edx
	mov	$10, %ecx
	div	%ecx			/* EAX = tens, EDX = units */
	push	%rdx
	test	%al, %al		/* no leading zero */
	jz	1f
	add	$'0', %al
	call	putc
1:	pop	%rax
	add	$'0', %al
	call	putc
	lea	msg_colon(%rip), %rsi
	call	puts
	pop	%rsi
	call	puts
	lea	msg_nl(%rip), %rsi
	call	puts
	mov	%bl, %al
	out	%al, $KVMRUN_PORT_EXIT	/* exit status = check number */
	jmp	done

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

	.pushsection .text.entry, 2	/* after the failure stubs */
msg_ok:		.asciz	"contract ok\n"
msg_fail:	.asciz	"contract FAIL "
msg_colon:	.asciz	": "
msg_nl:		.asciz	"\n"
image_end:				/* last byte of the image + 1 */
	.popsection
