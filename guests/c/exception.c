/*
 * exception.c - a C guest that divides by zero.
 *
 * Shows: kvmrun's report of a CPU exception the guest does not handle
 * itself (#DE, with the code bytes and registers), the run's status 126,
 * and why a guest flushes stdout before something that may crash: output
 * still in the SDK's buffer would be lost with the guest.
 *
 * Run:    ./kvmrun guests/c/exception.elf; echo $?
 * Expect: "exception: dividing 42 by zero", then kvmrun's line on stderr
 *         "kvmrun: guest crashed: #DE divide error (vector 0) at rip ...";
 *         status 126.
 */
#include <stdio.h>

int main(void)
{
	volatile int zero = 0;		/* volatile: the compiler may not fold it */
	int n = 42;

	printf("exception: dividing %d by zero\n", n);
	fflush(stdout);
	n /= zero;
	printf("exception: not reached (%d)\n", n);
	return 1;
}
