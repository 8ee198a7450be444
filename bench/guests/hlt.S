/* The smallest guest: hlt.  Startup cost of a runner. */
	.section .text.entry
	.globl _start
_start:	hlt
