/*
 * gdbme.c - a C guest for the gdb tests (tests/sections/debug.sh), built
 * with -O0 -g so that every line and variable is where gdb expects it.
 *
 * main() adds up twice(1), twice(2) and twice(3) through add(), which
 * counts its calls in `counter`; it prints the total and the counter and
 * returns the total.
 *
 * Run:    ./kvmrun tests/guests/c/gdbme.elf
 * Expect: "total 12 counter 3", status 12.  Under gdb, `set var counter =
 *         100` at the first add() makes it "counter 103".
 */
#include <stdio.h>

static volatile int counter;

int add(int a, int b)
{
	int sum = a + b;

	counter++;
	return sum;
}

int twice(int x)
{
	return add(x, x);
}

int main(void)
{
	int total = 0;

	for (int i = 1; i <= 3; i++)
		total += twice(i);
	printf("total %d counter %d\n", total, counter);
	return total;
}
