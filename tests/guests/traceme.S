/*
 * traceme.S - a guest small enough to trace instruction by instruction.
 *
 * Demonstrates: what --trace shows.  In 20-odd instructions the guest
 * makes each kind of exit once or more: three `out`s to the debug console
 * (the instruction after each must still appear in an instruction trace),
 * an `in` from the UART's line status register, an MMIO read of the test
 * device's ID, then `mov %cr0`, which needs ring 0: under the default
 * --ring auto the guest moves from ring 3 to ring 0 there, so the trace
 * shows both rings; under --ring 3 the run ends at it.  It ends with hlt.
 * tests/traces/ holds its exact traces (tests/guests/tracejump.S those of
 * taken forward branches).
 *
 * Run:    ./kvmrun --trace exits,insns tests/guests/traceme.bin
 * Expect: "hi" on stdout, exit status 0 (--ring 3: status 126).
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$3, %ecx
	lea	msg(%rip), %rsi
1:	lodsb				/* AL = *RSI++ */
	out	%al, $KVMRUN_PORT_DEBUGCON	/* a port-I/O exit */
	dec	%ecx
	jnz	1b

	mov	$KVMRUN_PORT_COM1 + UART_LSR, %dx
	in	%dx, %al		/* a port-I/O read: 0x60 */
	mov	$KVMRUN_TESTDEV_BASE, %ebx
	mov	(%rbx), %rax		/* an MMIO read: "KRUNTDEV" */
	mov	%cr0, %rax		/* needs ring 0 */
	hlt

	.section .rodata
msg:	.ascii	"hi\n"
