/*
 * hostile/garbage.S - garbage over kvmrun's page tables, GDT, IDT or TSS.
 *
 * A hostile guest that overwrites one of the tables kvmrun set up for it
 * with 0xdeadbeef, then ends with an exception, a hlt or an `out`.  In the
 * default mode it does this from ring 3 (the pages are user-accessible and
 * writable); with --ring 0 from ring 0.  Whatever the CPU makes of it,
 * kvmrun must end the run in a documented way: usually a triple fault
 * (KVM_EXIT_SHUTDOWN, status 126), since the exception cannot be delivered
 * through broken tables; a hlt in ring 0 needs none of them (status 0).
 * RBX (--set rbx=N) picks the table, RCX the ending:
 *
 *   RBX 0  page tables, 0x1000-0x6fff (PML4, PDPT, page directories)
 *       1  GDT, 0x7000-0x73ff
 *       2  IDT, 0x9f80-0xaf7f
 *       3  TSS and its I/O bitmap, 0x7f00-0x9f6f
 *       4  the supervisor's exception stubs, 0x7400-0x77ff: an exception
 *          then runs the garbage as code, in ring 0
 *   RCX 0  ud2 (#UD)
 *       1  hlt
 *       2  out "!" to the debug console (the TSS's I/O bitmap decides in
 *          ring 3), then exit with status 3
 *
 * Which it is depends on the CPU's caches and on KVM: kvm_pvm (shadow
 * paging) sees each page-table write at once, so the fill itself faults,
 * and it delivers exceptions without reading the GDT, so the #UD after a
 * GDT fill is reported; hardware KVM may run on from the TLB, and would
 * fault loading CS.  The tests of those cases require kvm_pvm.
 *
 * Run:    ./kvmrun --set rbx=2 --set rcx=0 tests/guests/hostile/garbage.bin
 * Expect: "garbage: overwriting\n" on stdout, then the ending; see
 *         tests/cases/hostile-garbage-*.
 */
#include <kvmrun/abi.h>

	.code64
	.section .text.entry, "ax"
	.globl	_start
_start:
	mov	%rcx, %r12			/* the ending */
	lea	msg(%rip), %rsi
1:	lodsb
	test	%al, %al
	jz	2f
	out	%al, $KVMRUN_PORT_DEBUGCON
	jmp	1b
2:	lea	table(%rip), %rax
	cmp	$4, %rbx
	ja	fail
	shl	$4, %rbx
	mov	(%rax,%rbx), %rdi		/* start */
	mov	8(%rax,%rbx), %rcx		/* end */
	sub	%rdi, %rcx
	shr	$3, %rcx
	mov	$0xdeadbeefdeadbeef, %rax
	cld
	rep stosq

	cmp	$1, %r12
	je	do_hlt
	cmp	$2, %r12
	je	do_out
	ud2
do_hlt:	hlt
	jmp	survived
survived:
	mov	$'?', %al			/* hlt did not end the run?! */
	out	%al, $KVMRUN_PORT_DEBUGCON
fail:	mov	$1, %al
	out	%al, $KVMRUN_PORT_EXIT
do_out:	mov	$'!', %al			/* the out got through: status 3 */
	out	%al, $KVMRUN_PORT_DEBUGCON
	mov	$3, %al
	out	%al, $KVMRUN_PORT_EXIT

	.section .rodata
	.balign	8
table:	.quad	KVMRUN_PML4_ADDR, KVMRUN_GDT_ADDR	/* start, end */
	.quad	KVMRUN_GDT_ADDR, KVMRUN_STUBS_ADDR
	.quad	KVMRUN_IDT_ADDR, KVMRUN_IDT_ADDR + 256 * 16
	.quad	KVMRUN_TSS_ADDR, KVMRUN_TSS_ADDR + 0x2070	/* TSS, I/O bitmap */
	.quad	KVMRUN_STUBS_ADDR, KVMRUN_BOOTINFO_ADDR
msg:	.asciz	"garbage: overwriting\n"
