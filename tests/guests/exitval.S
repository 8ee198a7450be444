/*
 * exitval.S - write RAX (--set rax=V) to the exit device, 32 bits wide,
 * so that a test can choose any exit value: the ones kvmrun uses itself
 * (124, 125, 126, 128 and above) and ones wider than a byte.
 *
 * Run:    ./kvmrun --set rax=125 tests/guests/exitval.bin; echo $?
 * Expect: 125, and a note on stderr that the guest chose it.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	$KVMRUN_PORT_EXIT, %dx
	out	%eax, %dx
	hlt
