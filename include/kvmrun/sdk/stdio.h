/* SPDX-License-Identifier: MIT */
/*
 * stdio.h - console output and input for kvmrun C guests (guests/sdk).
 *
 * One console: stdout and stderr both reach kvmrun's stdout, in order.
 * stdout is fully buffered and goes out with kvmrun's bulk-write call
 * (one VM exit per buffer); stderr output is written at the end of each
 * call.  Buffered output is flushed by exit() and by a return from main,
 * not by a crash: call fflush(stdout) before something that may crash.
 * stdin is COM1's receive side; EOF once kvmrun's stdin has ended.
 */
#ifndef KVMRUN_SDK_STDIO_H
#define KVMRUN_SDK_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF	(-1)
#define BUFSIZ	65536		/* the stdout buffer */

#define _IOFBF	0		/* setvbuf: full buffering (the default) */
#define _IOLBF	1		/* flush after a call that wrote a newline */
#define _IONBF	2		/* flush after every call */

typedef struct kvmrun_file FILE;

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

#define KVMRUN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

int printf(const char *fmt, ...) KVMRUN_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap) KVMRUN_PRINTF(1, 0);
int fprintf(FILE *f, const char *fmt, ...) KVMRUN_PRINTF(2, 3);
int vfprintf(FILE *f, const char *fmt, va_list ap) KVMRUN_PRINTF(2, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) KVMRUN_PRINTF(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	KVMRUN_PRINTF(3, 0);
int sprintf(char *buf, const char *fmt, ...) KVMRUN_PRINTF(2, 3);
int vsprintf(char *buf, const char *fmt, va_list ap) KVMRUN_PRINTF(2, 0);

int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int puts(const char *s);
int fputs(const char *s, FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fflush(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);

int getchar(void);
int fgetc(FILE *f);
int getc(FILE *f);
char *fgets(char *s, int n, FILE *f);

#endif /* KVMRUN_SDK_STDIO_H */
