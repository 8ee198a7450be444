/* SPDX-License-Identifier: MIT */
/*
 * The print loop of kvmrun's assembly example guests, written once:
 *
 *	#include <kvmrun/puts.h>
 *	...
 *	puts:	KVMRUN_PUTS KVMRUN_PORT_DEBUGCON
 *
 * expands to a routine that writes the NUL-terminated string at RSI (ESI,
 * SI in 32- and 16-bit code) to the given port, one `out` per byte, and
 * returns.  It uses local labels 1 and 2, AL, DX and RSI.  (C guests print
 * through the SDK instead: guests/sdk/.)
 */
#ifndef KVMRUN_PUTS_H
#define KVMRUN_PUTS_H

#ifdef __ASSEMBLER__
.macro KVMRUN_PUTS port:req
	mov	$\port, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, %dx
	jmp	1b
2:	ret
.endm
#endif

#endif
