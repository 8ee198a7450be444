/*
 * echo.c - copy stdin to stdout, byte by byte, until end of file.
 *
 * Shows: getchar() polling COM1 (LSR.DR: a byte is waiting; MSR.DCD
 * cleared: kvmrun's stdin has ended, so EOF), and putchar() collecting the
 * output in stdout's buffer, which goes out when the guest would otherwise
 * wait for input and at exit.
 *
 * Run:    printf 'hello\nworld\n' | ./kvmrun guests/c/echo.elf
 * Expect: "hello", "world", then "echo: 12 bytes"; status 0.  Typed at a
 *         terminal, each line comes back after Enter; Ctrl-D ends it.
 */
#include <stdio.h>

int main(void)
{
	unsigned long n = 0;
	int c;

	while ((c = getchar()) != EOF) {
		putchar(c);
		n++;
	}
	printf("echo: %lu bytes\n", n);
	return 0;
}
