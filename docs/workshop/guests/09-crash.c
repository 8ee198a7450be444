/*
 * 09-crash.c - lesson 9: a crash two calls deep, for --core and gdb.
 *
 * average() divides by the count of an empty list: #DE, which the guest
 * does not handle, so kvmrun ends the run (status 126) and, with --core
 * FILE, writes an ELF core file that gdb opens beside this ELF.
 *
 * Run:    ./kvmrun --core core docs/workshop/guests/09-crash.elf
 * Expect: "averaging 0 values", then kvmrun's #DE report; status 126.
 */
#include <stdio.h>

static int average(const int *v, int count)
{
	int sum = 0;

	for (int i = 0; i < count; i++)
		sum += v[i];
	return sum / count;
}

static int report(const int *v, int count)
{
	printf("averaging %d values\n", count);
	fflush(stdout);         /* a crash loses what is still buffered */
	return average(v, count);
}

/* volatile: the compiler cannot see that it is 0 and fold the bug away. */
static volatile int how_many;

int main(void)
{
	static int none[1];

	return report(none, how_many);
}
