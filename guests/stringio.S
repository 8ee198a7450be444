/*
 * stringio.S - string port I/O: `rep outsb` and `rep insb`.
 *
 * Demonstrates:
 *   1. `rep outsb` sends RCX bytes from [RSI] to port DX.  Here the message
 *      goes to the COM1 THR in one instruction (kvmrun's UART is always
 *      ready - THRE is always set - so no polling is needed between bytes).
 *      Afterwards RCX must be 0 and RSI just past the message.
 *   2. `rep insb` reads RCX bytes from port DX into [RDI].  The port used has
 *      no device behind it, and reads of unclaimed ports return all ones, so
 *      the buffer (cleared to zero first) must come back full of 0xff.  The
 *      buffer straddles a 4 KiB page boundary: KVM never lets one exit cross
 *      a page, so kvmrun sees the transfer as two exits.
 *   3. `in` of a word and of a dword from the same port: 0xffff replaces
 *      only AX (the rest of RAX is kept); a dword read writes EAX, which in
 *      64-bit mode also zeroes the top half of RAX.
 *
 * Run:    ./kvmrun guests/stringio.bin
 * Expect: "stringio: rep outsb to COM1" and "stringio ok" on stdout, exit
 *         status 0 (hlt).  kvmrun also notes the unclaimed port on stderr.
 *         A failed check prints "stringio: FAIL: <what>" and exits with
 *         that check's own status, 1 to 7.
 */
#include <kvmrun/abi.h>

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))
#define NO_DEVICE_PORT	0x100		/* nothing is attached here */
#define BUF_LEN		64
#define BUF		(KVMRUN_STACK_TOP - 0x1000 - BUF_LEN / 2)  /* 0xefe0 */

/* FAIL_IF jcc, status, "text": if the jcc jumps, report and exit.  The
 * failure stub is tucked away in subsection 1, after the main code. */
.macro FAIL_IF jcc, status, why
	\jcc	fail_\@
	.pushsection .text.entry, 1
fail_\@:
	lea	why_\@(%rip), %rsi
	mov	$\status, %bl
	jmp	fail
why_\@:	.asciz	"\why"
	.popsection
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	cld				/* string ops walk upwards */

	/* 1. rep outsb: the whole message in one instruction. */
	lea	msg(%rip), %rsi
	mov	$(msg_end - msg), %ecx
	mov	$COM1(UART_THR), %dx
	rep outsb
	test	%rcx, %rcx
	FAIL_IF	jnz, 1, "rep outsb left RCX nonzero"
	lea	msg_end(%rip), %rax
	cmp	%rax, %rsi
	FAIL_IF	jne, 2, "rep outsb left RSI in the wrong place"

	/* 2. rep insb from a port nobody claims. */
	mov	$BUF, %edi		/* clear the buffer first */
	mov	$BUF_LEN, %ecx
	xor	%eax, %eax
	rep stosb
	mov	$BUF, %edi
	mov	$BUF_LEN, %ecx
	mov	$NO_DEVICE_PORT, %dx
	rep insb
	test	%rcx, %rcx
	FAIL_IF	jnz, 3, "rep insb left RCX nonzero"
	cmp	$(BUF + BUF_LEN), %rdi
	FAIL_IF	jne, 4, "rep insb left RDI in the wrong place"
	mov	$BUF, %esi		/* every byte must now be 0xff */
	mov	$BUF_LEN, %ecx
1:	lodsb
	cmp	$0xff, %al
	FAIL_IF	jne, 5, "rep insb buffer is not all 0xff"
	dec	%ecx
	jnz	1b

	/* 3. Word and dword reads of the same port. */
	movabs	$0x1122334455667788, %rax
	in	%dx, %ax
	movabs	$0x112233445566ffff, %rcx
	cmp	%rcx, %rax
	FAIL_IF	jne, 6, "inw: expected RAX 0x112233445566ffff"
	in	%dx, %eax
	mov	$0xffffffff, %ecx	/* zero-extended into RCX */
	cmp	%rcx, %rax
	FAIL_IF	jne, 7, "inl: expected RAX 0x00000000ffffffff"

	lea	msg_ok(%rip), %rsi
	call	puts
done:
	hlt				/* exit status 0 */
	jmp	done

/* fail: print "stringio: FAIL: " and the string at RSI, exit with BL. */
fail:
	push	%rsi
	lea	msg_fail(%rip), %rsi
	call	puts
	pop	%rsi
	call	puts
	lea	msg_nl(%rip), %rsi
	call	puts
	mov	%bl, %al
	out	%al, $KVMRUN_PORT_EXIT
	jmp	done

/* puts: write the NUL-terminated string at RSI to COM1 (THRE polled). */
puts:
	mov	$COM1(UART_LSR), %dx
	in	%dx, %al
	test	$UART_LSR_THRE, %al
	jz	puts
	lodsb
	test	%al, %al
	jz	1f
	mov	$COM1(UART_THR), %dx
	out	%al, %dx
	jmp	puts
1:	ret

	.section .rodata
msg:		.ascii	"stringio: rep outsb to COM1\n"
msg_end:
msg_ok:		.asciz	"stringio ok\n"
msg_fail:	.asciz	"stringio: FAIL: "
msg_nl:		.asciz	"\n"
