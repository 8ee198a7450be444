/*
 * privileged.S - an instruction that needs ring 0, and what --ring does
 * about it.
 *
 * Demonstrates: `lidt` (load the IDT register) is privileged.  The guest
 * reads the IDT register with `sidt` (allowed in any ring) and loads the
 * same value back with `lidt`, so kvmrun's IDT stays in place.
 *   default       (--ring auto) the guest starts in ring 3; the lidt raises
 *                 #GP, and kvmrun moves the guest to ring 0 and executes the
 *                 lidt again, there.  The guest goes on in ring 0 and
 *                 prints its ring.
 *   --ring 0      the lidt simply runs.
 *   --ring 3      kvmrun ends the run and names the instruction:
 *                   kvmrun: the guest executed lidt at rip 0x10013, which
 *                   needs ring 0, but runs in ring 3 (--ring 3): run it
 *                   with --ring 0 or --ring auto
 *                 and exit status 126.
 *
 * Run:    ./kvmrun guests/privileged.bin     (also with --ring 0, --ring 3)
 * Expect: "privileged: lidt" then "privileged: lidt done, now in ring 0",
 *         status 0; with --ring 3 only the first line, the message above
 *         on stderr and status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg1(%rip), %rsi
	call	puts
	sidt	idtr(%rip)		/* allowed in ring 3 */
	lidt	idtr(%rip)		/* needs ring 0 */
	mov	%cs, %ax
	and	$3, %al			/* CS.RPL = the ring we run in now */
	add	$'0', %al
	mov	%al, ringno(%rip)
	lea	msg2(%rip), %rsi
	call	puts
	hlt

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg1:	.asciz	"privileged: lidt\n"

	.section .data
msg2:	.ascii	"privileged: lidt done, now in ring "
ringno:	.asciz	"?\n"
	.balign	8
idtr:	.word	0			/* limit */
	.quad	0			/* base */
