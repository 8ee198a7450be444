/*
 * hostile/stringio.S - string port I/O with absurd counts and directions.
 *
 * A hostile guest that executes `rep outsb` or `rep insb` with RCX =
 * 0xffffffff (4 Gi elements), forwards (DF=0) or backwards (DF=1), on a
 * claimed or an unclaimed port, so the string runs off the end of RAM, into
 * the MMIO window, or below address 0.  kvmrun must serve every element
 * exactly and stay in control: a limit (-t, --max-exits, --max-output) or a
 * fault ends the run.  RBX (--set rbx=N) picks the case:
 *
 *   0  rep outsb to 0xe9, DF=0, from untouched RAM (zeros) at 1 MiB
 *   1  rep outsb to 0xe9, DF=1, from 0xf: 16 bytes of the null page
 *      (zeros), then the source wraps to 0xffffffffffffffff: #PF, read
 *   2  rep outsb to the unclaimed port 0x404, DF=0, from 1 MiB
 *   3  rep outsb to the unclaimed port 0x404, DF=1, from the top of RAM
 *   4  rep insb from 0xe9 (reads 0xe9), DF=0, to 1 MiB
 *   5  rep insb from the unclaimed port 0x404, DF=1, to 0x1f: 32 bytes of
 *      0xff at 0x1f down to 0, then the destination wraps: #PF, write
 *      (KVM reads the next batch of up to 1024 bytes from the port before
 *      the write faults: those port reads happen, their bytes are lost)
 *   6  rep insb from 0x404, DF=0, to 256 bytes below the end of RAM: the
 *      destination runs into the unbacked hole (MMIO writes)
 *   7  rep outsb to 0xe9 from the MMIO window (0xc0000000): every byte
 *      is an unclaimed MMIO read (all ones), then a port write
 *
 * The guest prints nothing of its own, so that no output waits in kvmrun's
 * buffer and no flush timer runs: with --max-exits (and no -t) the run is
 * exactly repeatable.
 *
 * Run:    ./kvmrun --max-output 1000 --set rbx=0 tests/guests/hostile/stringio.bin
 * Expect: 1000 zero bytes on stdout, then
 *           kvmrun: output limit of 1000 bytes reached (--max-output): ...
 *         and status 124; the other cases: tests/cases/hostile-stringio-*.
 */
#include <kvmrun/abi.h>

#define NOBODY	0x404
#define HUGE	0xffffffff

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	BOOTINFO_RAM_SIZE(%rdi), %rbp	/* end of RAM */
	lea	table(%rip), %rax
	cmp	$7, %rbx
	ja	bad
	jmp	*(%rax,%rbx,8)
bad:	mov	$99, %al
	out	%al, $KVMRUN_PORT_EXIT

case0:	mov	$0x100000, %esi
	mov	$KVMRUN_PORT_DEBUGCON, %edx
	jmp	outs_fwd
case1:	mov	$0xf, %esi
	mov	$KVMRUN_PORT_DEBUGCON, %edx
	jmp	outs_back
case2:	mov	$0x100000, %esi
	mov	$NOBODY, %edx
	jmp	outs_fwd
case3:	lea	-1(%rbp), %rsi
	mov	$NOBODY, %edx
	jmp	outs_back
case4:	mov	$0x100000, %edi
	mov	$KVMRUN_PORT_DEBUGCON, %edx
	jmp	ins_fwd
case5:	mov	$0x1f, %edi
	mov	$NOBODY, %edx
	jmp	ins_back
case6:	lea	-256(%rbp), %rdi
	mov	$NOBODY, %edx
	jmp	ins_fwd
case7:	mov	$KVMRUN_MMIO_WINDOW, %esi
	mov	$KVMRUN_PORT_DEBUGCON, %edx
	jmp	outs_fwd

outs_fwd:
	cld
	mov	$HUGE, %ecx
	rep outsb
	jmp	survived
outs_back:
	std
	mov	$HUGE, %ecx
	rep outsb
	jmp	survived
ins_fwd:
	cld
	mov	$HUGE, %ecx
	rep insb
	jmp	survived
ins_back:
	std
	mov	$HUGE, %ecx
	rep insb
survived:
	cld
	lea	msg_done(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	hlt

	.section .rodata
	.balign	8
table:	.quad	case0, case1, case2, case3, case4, case5, case6, case7
msg_done: .asciz "stringio: 4 Gi elements done?!\n"
