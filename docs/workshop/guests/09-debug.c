/*
 * 09-debug.c - lesson 9: a guest to stop, step and inspect with gdb.
 *
 * sum_squares() calls square() in a loop; the last call, read_cr0(),
 * reads a control register, which needs ring 0: under --ring auto kvmrun
 * moves the guest from ring 3 to ring 0 at that instruction, and gdb can
 * step across the move.  Built without optimisation and with -g
 * (docs/workshop/solutions/09-gdb.sh does), so that every line and
 * variable is where the source says.
 *
 * Run:    ./kvmrun build/workshop/09-debug.elf
 * Expect: "sum of squares 1..4 = 30" and "cr0 has PG: 1"; status 0.
 */
#include <stdio.h>

static int square(int x)
{
	int y = x * x;

	return y;
}

static int sum_squares(int n)
{
	int total = 0;

	for (int i = 1; i <= n; i++)
		total += square(i);
	return total;
}

static unsigned long read_cr0(void)
{
	unsigned long cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	return cr0;
}

int main(void)
{
	int n = 4;
	int s = sum_squares(n);

	printf("sum of squares 1..%d = %d\n", n, s);
	printf("cr0 has PG: %lu\n", read_cr0() >> 31 & 1);
	return 0;
}
