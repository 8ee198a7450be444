/*
 * entryregs.c - prints the registers kvmrun started it with, as the SDK
 * keeps them (kvmrun_entry_regs()): --set values reach C code.
 *
 * Run:    ./kvmrun --set rax=5 --set r9=-1 --set r15=0x1234 tests/guests/c/entryregs.elf
 * Expect: "rax 5 rdi boot-info r9 ffffffffffffffff r15 1234", status 0.
 */
#include <stdio.h>

#include <kvmrun.h>

int main(void)
{
	const struct kvmrun_entry_regs *r = kvmrun_entry_regs();

	printf("rax %llu rdi %s r9 %llx r15 %llx\n", (unsigned long long)r->rax,
	       (const void *)(uintptr_t)r->rdi == kvmrun_bootinfo() ? "boot-info" : "other",
	       (unsigned long long)r->r9, (unsigned long long)r->r15);
	return 0;
}
