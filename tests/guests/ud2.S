/*
 * ud2.S - an invalid opcode as the first instruction, for the crash report
 * of a start mode without kvmrun's IDT (--mode protected): the #UD cannot
 * be delivered, so it becomes a triple fault, reported with the mode.
 *
 * Run:    ./kvmrun --mode protected tests/guests/ud2.bin
 * Expect: "guest crashed: KVM_EXIT_SHUTDOWN (triple fault ...) at rip
 *         0x10000 in 32-bit protected mode", status 126.
 */
	.code32
	.section .text.entry, "ax"
	.globl	_start
_start:
	ud2
