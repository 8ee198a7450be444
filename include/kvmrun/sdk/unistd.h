/* SPDX-License-Identifier: MIT */
/*
 * unistd.h - read() and write() on the kvmrun console.
 *
 * write(1 or 2, buf, len) flushes stdout's buffer, then writes buf with
 * one bulk-write exit.  read(0, buf, len) waits for at least one byte of
 * kvmrun's stdin (or its end: it then returns 0) and returns what is
 * ready, up to len bytes.  Other descriptors: -1.
 */
#ifndef KVMRUN_SDK_UNISTD_H
#define KVMRUN_SDK_UNISTD_H

#include <stddef.h>

#define STDIN_FILENO	0
#define STDOUT_FILENO	1
#define STDERR_FILENO	2

typedef long ssize_t;

ssize_t read(int fd, void *buf, size_t len);
ssize_t write(int fd, const void *buf, size_t len);

#endif /* KVMRUN_SDK_UNISTD_H */
