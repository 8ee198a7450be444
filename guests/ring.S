/*
 * ring.S - which privilege ring does the guest run in?
 *
 * Demonstrates: --ring.  The low two bits of the CS selector (its RPL)
 * are the current privilege level (CPL): 0 for the kernel's ring 0, 3 for
 * user code.  kvmrun's CS is 0x08 in ring 0 and 0x33 in ring 3.
 *   --ring 3      the guest runs in ring 3 throughout.
 *   --ring 0      the guest runs in ring 0 (on kvm_pvm hosts, emulated:
 *                 thousands of times slower).
 *   default       (--ring auto) the guest starts in ring 3 and moves to
 *                 ring 0 only at its first instruction that needs it; this
 *                 guest never executes one, so it stays in ring 3.
 * Reading CS, `in`/`out` and `hlt` are all allowed in ring 3 (kvmrun treats
 * hlt in ring 3 like hlt in ring 0: the run ends with status 0).
 *
 * Run:    ./kvmrun guests/ring.bin     (also with --ring 3, --ring 0)
 * Expect: "ring: running in ring 3 (cs 0x33)" on stdout, or
 *         "ring: running in ring 0 (cs 0x08)" with --ring 0; status 0.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%cs, %ax
	lea	cs3(%rip), %rsi
	cmp	$KVMRUN_SEL_USER_CODE64, %ax
	je	1f
	lea	cs0(%rip), %rsi
	cmp	$KVMRUN_SEL_CODE64, %ax
	je	1f
	lea	csx(%rip), %rsi		/* neither of kvmrun's selectors */
1:	and	$3, %al			/* RPL = CPL */
	add	$'0', %al
	mov	%al, ringno(%rip)	/* patch the digit into the message */
	push	%rsi
	lea	msg(%rip), %rsi
	call	puts
	pop	%rsi
	call	puts
	hlt				/* status 0, in either ring */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
cs3:	.asciz	" (cs 0x33)\n"
cs0:	.asciz	" (cs 0x08)\n"
csx:	.asciz	" (cs unexpected)\n"

	.section .data
msg:	.ascii	"ring: running in ring "
ringno:	.asciz	"?"
