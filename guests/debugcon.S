/*
 * debugcon.S - the Bochs/QEMU "debug console" on I/O port 0xe9.
 *
 * Demonstrates: the simplest possible output device.  There is no status
 * register to poll: every byte written to port 0xe9 goes straight to
 * kvmrun's stdout.  Reading the port returns 0xe9 itself, which is how
 * software detects that a debug console is present.
 *
 * Run:    ./kvmrun guests/debugcon.bin
 * Expect on stdout:
 *         debugcon: hello through port 0xe9
 *         debugcon: port 0xe9 reads back 0xe9: ok
 *         exit status 0 (hlt).  If the read-back is wrong the second line
 *         ends in "bad" and the guest exits with status 1 instead.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	lea	msg_hello(%rip), %rsi
	call	puts

	lea	msg_probe(%rip), %rsi
	call	puts
	in	$KVMRUN_PORT_DEBUGCON, %al	/* detect the device */
	cmp	$KVMRUN_PORT_DEBUGCON, %al
	jne	bad

	lea	msg_ok(%rip), %rsi
	call	puts
done:
	hlt				/* exit status 0 */
	jmp	done

bad:
	lea	msg_bad(%rip), %rsi
	call	puts
	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT	/* exit status 1 */
	jmp	done

/* puts: write the NUL-terminated string at RSI to port 0xe9. */
puts:
	lodsb				/* AL = *RSI++ */
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts
1:	ret

	.section .rodata
msg_hello:	.asciz	"debugcon: hello through port 0xe9\n"
msg_probe:	.asciz	"debugcon: port 0xe9 reads back 0xe9: "
msg_ok:		.asciz	"ok\n"
msg_bad:	.asciz	"bad\n"
