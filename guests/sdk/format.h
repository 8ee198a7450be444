/* SPDX-License-Identifier: MIT */
/* format.h - the printf family's formatting core, shared by format.c and
 * stdio.c (internal to the SDK). */
#ifndef KVMRUN_SDK_FORMAT_H
#define KVMRUN_SDK_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted bytes, in order, in pieces. */
typedef void (*kvmrun_sink)(void *ctx, const char *s, size_t n);

/* Format fmt with ap into sink; returns the number of bytes produced. */
int kvmrun_format(kvmrun_sink sink, void *ctx, const char *fmt, va_list ap);

#endif /* KVMRUN_SDK_FORMAT_H */
