/*
 * fault-ud.S - an invalid opcode (#UD), caught and named by kvmrun.
 *
 * Demonstrates: `ud2`, the instruction defined to be invalid (compilers
 * emit it for __builtin_trap()).  kvmrun's IDT catches the #UD and kvmrun
 * reports it, where it happened, in the ring the guest was running in.
 *
 * Run:    ./kvmrun guests/fault-ud.bin            (ring 3, the default)
 *         ./kvmrun --ring 0 guests/fault-ud.bin   (ring 0)
 * Expect: "fault-ud: executing ud2" on stdout, then on stderr
 *           kvmrun: guest crashed: #UD invalid opcode at rip 0x1000c in ring 3
 *         (ring 0 with --ring 0), the code bytes "0f 0b ..." and the
 *         registers; exit status 126.
 */
#include <kvmrun/abi.h>
#include <kvmrun/puts.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
	call	puts
	ud2				/* #UD */
	hlt				/* not reached */

/* puts: write the NUL-terminated string at RSI to COM1's THR (kvmrun's
 * UART always has THRE set, so no polling is needed). */
puts:	KVMRUN_PUTS KVMRUN_PORT_COM1 + UART_THR

	.section .rodata
msg:	.asciz	"fault-ud: executing ud2\n"
