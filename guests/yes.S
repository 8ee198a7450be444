/*
 * yes: print "y" lines forever, like yes(1).  Under `| head -n 3` kvmrun
 * finds stdout closed and ends the run (status 141, as SIGPIPE would).
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	mov	$KVMRUN_PORT_DEBUGCON, %dx
1:	mov	$'y', %al
	out	%al, %dx
	mov	$'\n', %al
	out	%al, %dx
	jmp	1b
