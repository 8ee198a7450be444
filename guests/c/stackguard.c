/*
 * stackguard.c - the stack protector catching a buffer overrun.
 *
 * Shows: why the SDK builds with -fstack-protector-strong and
 * -mstack-protector-guard=global.  A function with a local array gets a
 * canary from __stack_chk_guard (crt0 sets it from the TSC; the %fs:0x28
 * canary gcc uses by default would need a thread pointer the guest has not
 * set up).  Writing past the array changes the canary; the check on return
 * calls __stack_chk_fail(), which prints a line and ends the run with 127.
 *
 * Run:    ./kvmrun guests/c/stackguard.elf; echo $?
 * Expect: "stackguard: copying 64 bytes into a 16-byte array", then
 *         "*** stack smashing detected ***: terminated"; status 127.
 */
#include <stdio.h>
#include <string.h>

static void __attribute__((noinline)) overrun(const char *src, size_t n)
{
	char small[16];

	memcpy(small, src, n);		/* the bug: n is larger than small */
	__asm__ volatile("" : : "r"(small) : "memory");
}

int main(void)
{
	static char big[64];
	volatile size_t n = sizeof(big);	/* hide the size from the compiler */

	memset(big, 'A', sizeof(big));
	printf("stackguard: copying %zu bytes into a 16-byte array\n", (size_t)n);
	overrun(big, n);
	printf("stackguard: not reached\n");
	return 0;
}
