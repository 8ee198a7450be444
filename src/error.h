/* SPDX-License-Identifier: MIT */
/*
 * Errors returned by library code.  A failing function fills a struct error
 * with one line of text and returns -1; only main.c prints it and chooses the
 * exit status.
 */
#ifndef KVMRUN_ERROR_H
#define KVMRUN_ERROR_H

#define ERROR_MSG_MAX 512

struct error {
	char msg[ERROR_MSG_MAX];
};

/* Format a message into err and return -1.  err may be NULL. */
int error_set(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like error_set, then append ": strerror(errnum)". */
int error_errno(struct error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
