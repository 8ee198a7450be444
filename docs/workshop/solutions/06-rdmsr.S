/*
 * 06-rdmsr.S - lesson 6, exercise 1: another instruction that needs ring 0.
 *
 * RDMSR raises #GP(0) at CPL > 0 (SDM Vol. 2B, "RDMSR").  The guest is
 * guests/06-cpl.S with RDMSR in the place of MOV from CR0: it reads
 * IA32_EFER (MSR 0xc0000080, SDM Vol. 3A, 2.2.1), prints the ring before
 * and after as 06-cpl.S does, and then EFER's LMA bit (bit 10).
 *
 * Run:    ./kvmrun docs/workshop/solutions/06-rdmsr.bin
 * Expect: "before: ring 3", "after rdmsr: ring 0", "EFER.LMA = 1"; status 0.
 */
#define MSR_EFER	0xc0000080
#define EFER_LMA	10

/* Between 06-cpl.S's two reads of CS: EFER.LMA into R12D. */
	.macro	read_efer
	mov	$MSR_EFER, %ecx
	rdmsr				/* EDX:EAX = EFER */
	shr	$EFER_LMA, %eax
	and	$1, %eax
	mov	%eax, %r12d
	.endm
#define PRIVILEGED	read_efer
#define AFTER		"after rdmsr: ring "

/* After the two rings: the LMA bit, printed as putring prints a ring. */
	.macro	print_lma
	lea	lma(%rip), %rsi
	call	puts
	mov	%r12d, %eax
	call	putring
	.endm
#define MORE_OUTPUT	print_lma

#include "../guests/06-cpl.S"

	.section .rodata
lma:	.asciz	"EFER.LMA = "
