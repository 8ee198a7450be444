/*
 * untouched: jump into RAM nobody ever wrote.  kvmrun gives guest RAM to
 * KVM in 64 MiB chunks when first needed, so this is also the first touch
 * of the chunk at 64 MiB: KVM cannot fetch from it, kvmrun hands it over,
 * and the guest runs on.  Zeroed RAM decodes as `add %al,(%rax)`; with RAX
 * pointing at a scratch byte that is harmless, so the guest slides through
 * 64 MiB of zeros (natively, in ring 3) until it runs off the end of RAM.
 *
 * Run:    ./kvmrun --mem 128M guests/untouched.bin
 * Expect: a crash (status 126) at rip 0x8000000, the first byte after RAM,
 *         where there is nothing to execute.
 */
#include <kvmrun/abi.h>

	.section .text.entry
	.globl _start
_start:
	lea	scratch(%rip), %rax
	mov	$0x4000000, %rbx		/* 64 MiB: the second chunk */
	jmp	*%rbx

	.data
scratch: .byte 0
