/*
 * regdump.S - prints the general registers the guest started with.
 *
 * Demonstrates: the entry state of the registers, and --set.  The first
 * sixteen instructions store RAX ... R15 (the order of struct kvm_regs and
 * of --set's names) at 0x20000, 8 bytes each, before anything changes
 * them; the guest then takes its own stack, writes the bytes 0, 1, ...,
 * 255 at 0x20080 (a known pattern for --dump-mem), prints each saved
 * register as "name=0x<16 hex digits>" on the debug console, and halts.
 *
 * Run:    ./kvmrun tests/guests/regdump.bin
 *         ./kvmrun --set rax=0x1234 --set r15=7 tests/guests/regdump.bin
 *         ./kvmrun --dump-mem 0x20000:0x180 tests/guests/regdump.bin
 * Expect: 16 lines, rax first; without --set every register is 0 except
 *         rdi=0x7800 (the boot information block) and rsp=0x10000 (the
 *         initial stack); exit status 0.
 */
#include <kvmrun/abi.h>

#define SAVED	0x20000		/* 16 x 8 bytes: the registers at entry */
#define PATTERN	0x20080		/* 256 bytes: 0, 1, ..., 255 */

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rax, SAVED + 0x00
	mov	%rbx, SAVED + 0x08
	mov	%rcx, SAVED + 0x10
	mov	%rdx, SAVED + 0x18
	mov	%rsi, SAVED + 0x20
	mov	%rdi, SAVED + 0x28
	mov	%rsp, SAVED + 0x30
	mov	%rbp, SAVED + 0x38
	mov	%r8,  SAVED + 0x40
	mov	%r9,  SAVED + 0x48
	mov	%r10, SAVED + 0x50
	mov	%r11, SAVED + 0x58
	mov	%r12, SAVED + 0x60
	mov	%r13, SAVED + 0x68
	mov	%r14, SAVED + 0x70
	mov	%r15, SAVED + 0x78
	mov	$KVMRUN_STACK_TOP, %esp	/* RSP may have been --set to anything */

	xor	%eax, %eax		/* the pattern: byte i = i */
1:	mov	%al, PATTERN(%rax)
	inc	%eax
	cmp	$256, %eax
	jne	1b

	lea	names(%rip), %rsi	/* "rax\0rbx\0...": puts walks it */
	mov	$SAVED, %ebx		/* RBX = the saved register */
	mov	$16, %r12d		/* R12 = registers left */
next_reg:
	call	puts			/* the name; RSI moves to the next */
	mov	$'=', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'0', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$'x', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	(%rbx), %rdx
	mov	$16, %ecx		/* 16 hex digits, most significant first */
2:	rol	$4, %rdx
	mov	%dl, %al
	and	$0xf, %al
	add	$'0', %al
	cmp	$'9', %al
	jbe	3f
	add	$'a' - '9' - 1, %al
3:	out	%al, $KVMRUN_PORT_DEBUGCON
	dec	%ecx
	jnz	2b
	mov	$'\n', %al
	out	%al, $KVMRUN_PORT_DEBUGCON
	add	$8, %rbx
	dec	%r12d
	jnz	next_reg
	hlt

/* puts: write the NUL-terminated string at RSI to port 0xe9; RSI ends
 * just past the NUL. */
puts:
	lodsb
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts
1:	ret

	.section .rodata
names:	.asciz	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp"
	.asciz	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"
