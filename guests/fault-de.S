/*
 * fault-de.S - a divide error (#DE), caught and named by kvmrun.
 *
 * Demonstrates: kvmrun's supervisor.  kvmrun installs an IDT whose 256
 * gates all lead to tiny stubs, so a CPU exception in the guest no longer
 * triple-faults (compare triplefault.S): kvmrun reads the exception frame
 * and reports the exception by name, with the faulting RIP and ring, the
 * code bytes there and the registers.  Here: `div` by zero.
 *
 * #DE is not a #GP, so even in the default --ring auto it is reported
 * where it happened: in ring 3.
 *
 * Run:    ./kvmrun guests/fault-de.bin            (ring 3, the default)
 *         ./kvmrun --ring 0 guests/fault-de.bin   (ring 0)
 * Expect: "fault-de: dividing by zero" on stdout (output written before a
 *         crash is never lost), then on stderr
 *           kvmrun: guest crashed: #DE divide error at rip 0x10015 in ring 3
 *         (ring 0 with --ring 0), and exit status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	mov	$1, %eax
	xor	%edx, %edx		/* dividend EDX:EAX = 1 */
	xor	%ecx, %ecx
	div	%ecx			/* divide by zero: #DE */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-de: dividing by zero\n"
