/* The compute benchmark as a guest: bench_compute over 16 MiB at 16 MiB,
 * then the checksum's low byte as the exit status. */
#include <kvmrun/abi.h>
	.section .text.entry
	.globl _start
_start:	mov	$0x1000000, %rdi
	call	bench_compute
	out	%al, $KVMRUN_PORT_EXIT
