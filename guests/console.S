/*
 * console.S - every way to write output, interleaved, comes out in order.
 *
 * Demonstrates: kvmrun's fast console.  Byte writes to COM1's THR (0x3f8)
 * and to the debug console (0xe9) do not exit to kvmrun one by one: KVM
 * queues them in a "coalesced" ring (170 entries; the 170th write in a row
 * exits by itself) and kvmrun empties the ring, oldest first, before it
 * handles any other exit.  A bulk write (a struct kvmrun_write whose
 * address goes to port 0xf0 with a 32-bit out) hands kvmrun a whole
 * buffer in one exit.  Reading the UART (LSR, MSR, RBR) exits too.  If
 * kvmrun ever handled anything out of turn, the output below would be
 * scrambled:
 *   1  1000 letters of the alphabet, alternating THR and 0xe9 byte by
 *      byte, in lines of 50 whose newline is a bulk write (this also gets
 *      kvmrun past any number of console writes it lets exit one by one
 *      before it starts coalescing)
 *   2  numbered chunks from the three writers in turn:  t = THR, e = 0xe9,
 *      B = bulk
 *   3  300 digits through THR (more than the ring holds), then at once a
 *      bulk write
 *   4  stdin echoed: each byte c as "<" (THR), c (0xe9), ">" (bulk); a
 *      newline goes through THR; at end of input a line (bulk)
 *   5  180 "=" through THR and the run ends with hlt: the last writes are
 *      still in the ring then, and kvmrun must not lose them
 *
 * Run:    printf 'kvm\nrun\n' | ./kvmrun guests/console.bin
 * Expect: (stdout, status 0)
 *           abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx
 *           yzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv
 *           ... (20 lines of 50 letters)
 *           2: t1 e2 B3 t4 e5 B6 t7 e8 B9
 *           3: 0123456789...(300 digits) <- THR then bulk
 *           <k><v><m>
 *           <r><u><n>
 *           4: end of input
 *           5: ====...(180)
 *         A bulk write whose `done` is not its length exits with status 3.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

#define THR	(KVMRUN_PORT_COM1 + UART_THR)

/* SAY how, "text": write text with thr_puts, e9_puts or bulk_puts. */
.macro SAY how, text
	.pushsection .rodata
say_\@:	.asciz	"\text"
	.popsection
	lea	say_\@(%rip), %rsi
	call	\how\()_puts
.endm

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	/* 1: 1000 letters alternating THR and 0xe9 byte by byte, in lines of
	 * 50 whose newlines are bulk writes */
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	xor	%edx, %edx		/* AL = 'a' + ecx % 26 */
	mov	$26, %ebx
	div	%ebx
	lea	'a'(%rdx), %eax
	mov	$THR, %dx		/* even: THR, odd: debug console */
	test	$1, %cl
	jz	2f
	mov	$KVMRUN_PORT_DEBUGCON, %dx
2:	out	%al, %dx
	inc	%ecx
	mov	%ecx, %eax
	xor	%edx, %edx
	mov	$50, %ebx
	div	%ebx
	test	%edx, %edx		/* 50 letters written: end the line */
	jnz	3f
	SAY	bulk, "\n"
3:	cmp	$1000, %ecx
	jb	1b

	/* 2: the three writers taking turns */
	SAY	thr,  "2: "
	SAY	thr,  "t1 "
	SAY	e9,   "e2 "
	SAY	bulk, "B3 "
	SAY	thr,  "t4 "
	SAY	e9,   "e5 "
	SAY	bulk, "B6 "
	SAY	thr,  "t7 "
	SAY	e9,   "e8 "
	SAY	bulk, "B9\n"

	/* 3: 300 byte writes in a row, then a bulk write */
	SAY	e9,   "3: "
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	xor	%edx, %edx		/* AL = '0' + ecx % 10 */
	mov	$10, %ebx
	div	%ebx
	lea	'0'(%rdx), %eax
	mov	$THR, %dx
	out	%al, %dx
	inc	%ecx
	cmp	$300, %ecx
	jb	1b
	SAY	bulk, " <- THR then bulk\n"

	/* 4: echo stdin through all three writers (polling as in echo.S) */
poll:
	mov	$KVMRUN_PORT_COM1 + UART_LSR, %dx
	in	%dx, %al
	test	$UART_LSR_DR, %al	/* a byte waiting? */
	jnz	got_byte
	mov	$KVMRUN_PORT_COM1 + UART_MSR, %dx
	in	%dx, %al
	test	$UART_MSR_DCD, %al	/* stdin still open: keep polling */
	jnz	poll
	mov	$KVMRUN_PORT_COM1 + UART_LSR, %dx
	in	%dx, %al		/* bytes that came with the EOF? */
	test	$UART_LSR_DR, %al
	jz	eof
got_byte:
	mov	$KVMRUN_PORT_COM1 + UART_RBR, %dx
	in	%dx, %al
	mov	$THR, %dx
	cmp	$'\n', %al
	je	1f
	mov	%al, %bl
	mov	$'<', %al
	out	%al, %dx		/* "<" through THR */
	mov	%bl, %al
	out	%al, $KVMRUN_PORT_DEBUGCON	/* the byte through 0xe9 */
	SAY	bulk, ">"
	jmp	poll
1:	out	%al, %dx		/* newline through THR */
	jmp	poll
eof:
	SAY	bulk, "4: end of input\n"

	/* 5: the end of the run with writes still in the ring */
	SAY	bulk, "5: "
	mov	$180, %ecx
	mov	$'=', %al
	mov	$THR, %dx
1:	out	%al, %dx
	loop	1b
	mov	$'\n', %al
	out	%al, %dx
	hlt

/* thr_puts, e9_puts: write the NUL-terminated string at RSI byte by byte
 * to THR or the debug console.  Clobber AL, DX, RSI. */
thr_puts:
	mov	$THR, %dx
	jmp	1f
e9_puts:	KVMRUN_PUTS KVMRUN_PORT_DEBUGCON

/* bulk_puts: write the NUL-terminated string at RSI with one bulk write,
 * and check that kvmrun reports all of it done.  Clobbers RAX. */
bulk_puts:
	push	%rcx
	mov	%rsi, wr+WRITE_ADDR(%rip)
	xor	%ecx, %ecx
1:	cmpb	$0, (%rsi, %rcx)	/* RCX = strlen */
	je	2f
	inc	%rcx
	jmp	1b
2:	mov	%rcx, wr+WRITE_LEN(%rip)
	movq	$-1, wr+WRITE_DONE(%rip)
	lea	wr(%rip), %rax		/* guest-physical = virtual, < 4 GiB */
	out	%eax, $KVMRUN_PORT_WRITE
	cmp	wr+WRITE_DONE(%rip), %rcx
	jne	1f
	pop	%rcx
	ret
1:	mov	$3, %al
	out	%al, $KVMRUN_PORT_EXIT
	hlt

	.section .data
	.balign	8
wr:	.quad	0, 0, 0			/* struct kvmrun_write: addr, len, done */
