/*
 * crash2.c - a C guest that crashes two calls deep, for --core: main()
 * calls outer(), which calls inner(), which divides by zero (#DE).
 *
 * Run:    ./kvmrun --core crash2.core tests/guests/c/crash2.elf
 *         gdb -batch -ex bt tests/guests/c/crash2.elf crash2.core
 * Expect: status 126; gdb shows SIGFPE in inner(), called from outer(),
 *         called from main().
 */
#include <stdio.h>

static volatile int zero;

int inner(int n)
{
	return n / zero;
}

int outer(int n)
{
	return inner(n + 1) + 1;
}

int main(void)
{
	printf("crash2: %d\n", outer(41));
	return 0;
}
