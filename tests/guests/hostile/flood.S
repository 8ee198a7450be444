/*
 * hostile/flood.S - hammer unclaimed ports and MMIO addresses.
 *
 * A hostile guest that tries to flood kvmrun's stderr: it accesses
 * unclaimed addresses in a loop, RCX times (--set rcx=N; 0: for ever,
 * which makes millions of accesses within a minute), then says so and
 * halts.  kvmrun must report only the first access to each address, count
 * the rest, and print the counts once at the end, so stderr stays a few
 * lines long however long the guest hammers; past 64 addresses it only
 * counts.  The tests end the endless kind with --max-exits, never with a
 * time limit: how many exits fit in a time depends on the machine.  RBX
 * (--set rbx=N) picks the target:
 *
 *   0  port 0x404: out, then in, RCX times
 *   1  MMIO 0xc0001000 (the MMIO window, no device): write, then read
 *   2  MMIO at the first byte after RAM (the unbacked hole below 3 GiB)
 *   3  ports 0, 1, 2, ... RCX-1 (reads only): more distinct addresses than
 *      kvmrun tracks one by one; the claimed ones (0x80, 0xe9, 0xf0,
 *      0xf4, COM1) are not reported
 *
 * Run:    ./kvmrun --set rbx=0 --set rcx=2000 tests/guests/hostile/flood.bin
 * Expect: "flood: hammering" and "flood: done" on stdout; on stderr the
 *         first access to each address and the per-address counts (2000
 *         reads, 2000 writes); status 0.  With --set rcx=0 it hammers until
 *         a limit (--max-exits, -t) ends the run.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rcx, %r12		/* how many times; 0: for ever */
	lea	msg(%rip), %rsi
	call	puts
	cmp	$1, %rbx
	je	mmio
	cmp	$2, %rbx
	je	hole
	cmp	$3, %rbx
	je	scan

	mov	$0x404, %edx		/* 0: one unclaimed port */
1:	out	%al, %dx
	in	%dx, %al
	dec	%r12
	jnz	1b
	jmp	done

mmio:	mov	$0xc0001000, %ebx	/* 1: the MMIO window */
	jmp	2f
hole:	mov	BOOTINFO_RAM_SIZE(%rdi), %rbx	/* 2: the first byte after RAM */
2:	mov	%eax, (%rbx)
	mov	(%rbx), %eax
	dec	%r12
	jnz	2b
	jmp	done

scan:	xor	%edx, %edx		/* 3: every port, reading */
3:	in	%dx, %al
	inc	%dx
	dec	%r12
	jnz	3b

done:	lea	msg_done(%rip), %rsi
	call	puts
	hlt

/* puts: write the NUL-terminated string at RSI to the debug console. */
puts:	lodsb
	test	%al, %al
	jz	1f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	puts
1:	ret

	.section .rodata
msg:	.asciz	"flood: hammering\n"
msg_done: .asciz "flood: done\n"
