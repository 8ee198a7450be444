/*
 * gdbring0.c - a C guest that needs ring 0 half way, for the gdb tests:
 * it starts in ring 3 (--ring auto), reads CR0 (a privileged instruction,
 * so kvmrun moves it to ring 0), then calls marker(), where the test's
 * breakpoint must stop in ring 0.
 *
 * Run:    ./kvmrun tests/guests/c/gdbring0.elf
 * Expect: "cr0 has PG: 1", status 0.
 */
#include <stdint.h>
#include <stdio.h>

int marker(uint64_t cr0)
{
	return (int)(cr0 >> 31) & 1;    /* CR0.PG */
}

int main(void)
{
	uint64_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	printf("cr0 has PG: %d\n", marker(cr0));
	return 0;
}
