/* 16 MiB written through the bulk-write call, 4 KiB per call, then hlt. */
#include <kvmrun/abi.h>
#define CHUNK	4096
#define CALLS	4096
	.section .text.entry
	.globl _start
_start:	lea	buf(%rip), %rdi		/* fill the buffer with 'x' */
	mov	$CHUNK, %ecx
	mov	$'x', %al
	rep stosb
	lea	req(%rip), %rbx
	lea	buf(%rip), %rax
	mov	%rax, WRITE_ADDR(%rbx)
	movq	$CHUNK, WRITE_LEN(%rbx)
	mov	$CALLS, %ecx
1:	mov	%ebx, %eax
	out	%eax, $KVMRUN_PORT_WRITE
	dec	%ecx
	jnz	1b
	hlt
	.data
	.balign 16
req:	.quad 0, 0, 0
	.balign 4096
buf:	.fill CHUNK, 1, 0
