/* SPDX-License-Identifier: MIT */
/*
 * stdlib.h - exit, the heap and number parsing for kvmrun C guests.
 *
 * exit(status) flushes stdout and ends the run with kvmrun status
 * status & 0xff; abort() ends it with 134.  The heap is the boot
 * information block's usable RAM above the image (_end).
 */
#ifndef KVMRUN_SDK_STDLIB_H
#define KVMRUN_SDK_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define KVMRUN_ABORT_STATUS	134	/* abort(), a failed assert() */

void exit(int status) __attribute__((noreturn));
void _Exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
int atexit(void (*fn)(void));

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int atoi(const char *s);
long atol(const char *s);

int abs(int v);
long labs(long v);
long long llabs(long long v);

#endif /* KVMRUN_SDK_STDLIB_H */
