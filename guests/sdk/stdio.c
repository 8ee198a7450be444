/* SPDX-License-Identifier: MIT */
/*
 * stdio.c - stdout through kvmrun's bulk-write call, stdin from COM1.
 *
 * Output collects in one buffer that goes out with a single exit when it
 * fills, at exit(), on fflush(), before the guest waits for input, and
 * after each call that writes to stderr (or, with setvbuf, after a newline
 * or after every call).  An exit costs tens of microseconds, a byte in the
 * buffer a few nanoseconds.
 *
 * Input: LSR.DR says a byte is waiting in RBR; MSR.DCD clears once
 * kvmrun's stdin has ended, after which DR is checked once more because the
 * last bytes can arrive together with the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <kvmrun/sdk/kvmrun.h>

#include "format.h"
#include "sdk.h"

#define COM1(reg)	(KVMRUN_PORT_COM1 + (reg))

struct kvmrun_file {
	int fd;
};

static struct kvmrun_file files[3] = { { 0 }, { 1 }, { 2 } };
FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

static char out_buf[BUFSIZ];
static size_t out_len;
static int out_mode = _IOFBF;

int fflush(FILE *f)
{
	(void)f;			/* one buffer for all */
	if (out_len) {
		kvmrun_write(out_buf, out_len);
		out_len = 0;
	}
	return 0;
}

static void out_put(void *ctx, const char *s, size_t n)
{
	size_t k;

	(void)ctx;
	while (n) {
		if (out_len == sizeof(out_buf))
			fflush(stdout);
		k = sizeof(out_buf) - out_len;
		if (k > n)
			k = n;
		memcpy(out_buf + out_len, s, k);
		out_len += k;
		s += k;
		n -= k;
	}
}

/* The end of one output call: what setvbuf and stderr ask for. */
static void out_done(FILE *f, const char *s, size_t n)
{
	if (f == stderr || out_mode == _IONBF ||
	    (out_mode == _IOLBF && memchr(s, '\n', n)))
		fflush(stdout);
}

/* A sink that remembers whether a newline went by, for _IOLBF. */
struct line_sink {
	int newline;
};

static void out_put_lines(void *ctx, const char *s, size_t n)
{
	struct line_sink *ls = ctx;

	if (!ls->newline && memchr(s, '\n', n))
		ls->newline = 1;
	out_put(NULL, s, n);
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	(void)buf;
	(void)size;
	if (f != stdout || mode < _IOFBF || mode > _IONBF)
		return -1;
	fflush(stdout);
	out_mode = mode;
	return 0;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct line_sink ls = { 0 };
	int r;

	if (f == stdin)
		return -1;
	r = kvmrun_format(out_put_lines, &ls, fmt, ap);
	out_done(f, "\n", ls.newline);
	return r;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	size_t len = size * n;

	if (f == stdin || (size && len / size != n))
		return 0;
	out_put(NULL, p, len);
	out_done(f, p, len);
	return n;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	if (f == stdin)
		return EOF;
	if (out_len == sizeof(out_buf))
		fflush(stdout);
	out_buf[out_len++] = ch;
	out_done(f, &ch, 1);
	return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	return fwrite(s, 1, strlen(s), f) ? 0 : (*s ? EOF : 0);
}

int puts(const char *s)
{
	out_put(NULL, s, strlen(s));
	return fputc('\n', stdout) == EOF ? EOF : 0;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
		return -1;
	fflush(stdout);
	return (ssize_t)kvmrun_write(buf, len);
}

/* ---- input ------------------------------------------------------------- */

static int uart_has_byte(void)
{
	return inb(COM1(UART_LSR)) & UART_LSR_DR;
}

/* Wait for a byte of stdin; 0 once stdin has ended and none is left. */
static int uart_wait(void)
{
	if (uart_has_byte())
		return 1;
	fflush(stdout);			/* a prompt shows before we wait */
	for (;;) {
		if (uart_has_byte())
			return 1;
		if (!(inb(COM1(UART_MSR)) & UART_MSR_DCD))
			return uart_has_byte();
	}
}

int getchar(void)
{
	if (!uart_wait())
		return EOF;
	return inb(COM1(UART_RBR));
}

int fgetc(FILE *f)
{
	return f == stdin ? getchar() : EOF;
}

int getc(FILE *f)
{
	return fgetc(f);
}

char *fgets(char *s, int n, FILE *f)
{
	int i = 0, c = 0;

	if (f != stdin || n <= 0)
		return NULL;
	while (i < n - 1 && c != '\n') {
		c = getchar();
		if (c == EOF)
			break;
		s[i++] = (char)c;
	}
	s[i] = '\0';
	return i ? s : NULL;
}

ssize_t read(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t n = 0;

	if (fd != STDIN_FILENO)
		return -1;
	if (!len || !uart_wait())
		return 0;
	do
		p[n++] = inb(COM1(UART_RBR));
	while (n < len && uart_has_byte());
	return (ssize_t)n;
}
