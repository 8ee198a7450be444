/*
 * bigframe.S - a function with a 28 KiB local array on the 16 KiB initial
 * stack, as C code compiled with gcc -fstack-clash-protection allocates
 * it: the frame is reserved a page at a time, and each page is touched
 * (probed) before the next.  The probe below 0xc000 lands in the guard
 * page, so the overflow is reported as one, before the array could run
 * into kvmrun's tables.  (Without the probes, a frame larger than a page
 * can jump over the guard page: README "Limits".)
 *
 * Run:    ./kvmrun tests/guests/bigframe.bin
 * Expect: "bigframe: calling f" on stdout, then "stack overflow: #PF" at
 *         address 0xbff8 on stderr; status 126.
 */
#include <kvmrun/abi.h>

#define FRAME	(28 * 1024)

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	call	f
	hlt

f:	lea	-FRAME(%rsp), %r11	/* the frame's bottom */
3:	sub	$4096, %rsp		/* one more page of it ... */
	movq	$0, (%rsp)		/* ... touched before the next */
	cmp	%r11, %rsp
	jne	3b
	add	$FRAME, %rsp		/* (the array would be used here) */
	ret

	.section .rodata
msg:	.asciz	"bigframe: calling f\n"
