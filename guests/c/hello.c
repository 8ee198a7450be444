/*
 * hello.c - the smallest C guest: printf, then return from main.
 *
 * Shows: crt0 calling main(), printf through the SDK's buffered stdout
 * (one bulk-write exit for the whole run), and main's return value
 * becoming kvmrun's exit status.
 *
 * Run:    ./kvmrun guests/c/hello.elf
 * Expect: "Hello from C on kvmrun: 6 * 7 = 42, pi ~ 3.14159"; status 0.
 */
#include <stdio.h>

int main(void)
{
	printf("Hello from C on kvmrun: %d * %d = %d, pi ~ %.5f\n", 6, 7, 6 * 7,
	       3.14159265358979);
	return 0;
}
