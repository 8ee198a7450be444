/* SPDX-License-Identifier: MIT */
/*
 * The host side of guest console I/O: one output queue for every device
 * that writes to stdout (so bytes keep the order the guest wrote them in),
 * and a non-blocking reader for stdin.
 *
 * Output never blocks kvmrun.  Devices queue bytes with console_write; the
 * run loop moves them to stdout with console_push, which writes what
 * stdout takes now and at most CONSOLE_PUSH_MAX bytes per call, and says
 * -EAGAIN when bytes remain.  So the run loop alone decides how long to
 * wait for a slow reader, and checks its time limit and signals between
 * pushes, whether stdout is a pipe, a terminal nobody reads or a large
 * regular file.  Before the guest runs again the queue must not be busy
 * (console_busy): then every device can queue what one exit writes.
 */
#ifndef KVMRUN_CONSOLE_H
#define KVMRUN_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONSOLE_OUT_BUF         (64 * 1024)
/* Room left free before the guest runs: more than one exit can write
 * (a string-I/O exit carries at most a page, the coalesced ring 170 x 8). */
#define CONSOLE_OUT_RESERVE     (8 * 1024)
#define CONSOLE_PUSH_MAX        (1024 * 1024)   /* bytes per console_push */
#define CONSOLE_IN_BUF          4096

struct console {
	int out_fd;                     /* where output goes (see console_init) */
	int own_fd;                     /* our own non-blocking open of it, or -1 */
	bool out_regular;               /* a regular file: writes never wait */
	bool out_pollable;              /* poll() says when out_fd takes more */
	bool out_tty;                   /* flush after every exit */
	bool out_socket;                /* written with send(MSG_DONTWAIT) */
	int out_error;                  /* errno of a failed write, sticky */
	uint8_t *out;                   /* CONSOLE_OUT_BUF bytes */
	size_t out_start, out_len;      /* queued bytes: out[start, start+len) */
	/*
	 * A write too large for the buffer (a bulk write from guest RAM) is
	 * queued by reference: the guest does not run until it is pushed,
	 * so its memory stays as it was.
	 */
	const uint8_t *big;
	size_t big_len;
	int in_fd;                      /* -1: no input (reads see EOF) */
	bool in_eof;
	size_t in_pos, in_len;
	uint64_t bytes_out;             /* guest bytes written to out_fd */
	uint8_t last_out;               /* the last of them */
	int last_in;                    /* the last byte queued, or -1: none yet */
	uint64_t bytes_in;              /* guest bytes read from in_fd */
	uint64_t max_out;               /* 0, or the most bytes the guest may write */
	uint64_t queued;                /* bytes the guest has written in all */
	uint8_t in[CONSOLE_IN_BUF];
};

/*
 * Set up output to out_fd and input from in_fd (-1: none).  When out_fd
 * is a pipe, FIFO or terminal, output goes through a second, non-blocking
 * open of it, so that kvmrun never blocks in write() and the flags of the
 * descriptor it shares with other processes stay as they are.  Returns 0,
 * or -1 if the output buffer cannot be allocated.
 */
int console_init(struct console *con, int out_fd, int in_fd);

/* Undo console_init (nothing, for a zeroed console that never had it). */
void console_fini(struct console *con);

/*
 * Queue guest output by copying it.  Returns 0, -EDQUOT once max_out is
 * reached (what fits is still queued), -errno once writing has failed, or
 * -ENOBUFS if it does not fit (the run loop keeps CONSOLE_OUT_RESERVE bytes
 * free, more than any one exit writes, so this means a bug).
 */
int console_write(struct console *con, const void *data, size_t len);

/*
 * The same for bytes in guest RAM, which stay as they are until the guest
 * runs again: what does not fit in the buffer is queued by reference, to
 * be pushed before the guest runs.  -EBUSY if such a write is queued
 * already (the caller must push first).
 */
int console_write_ref(struct console *con, const void *data, size_t len);

/*
 * Write queued output without waiting.  Returns 0 when nothing is left,
 * -EAGAIN when bytes remain (stdout is full, or CONSOLE_PUSH_MAX bytes were
 * written: call again), or -errno if writing failed.
 */
int console_push(struct console *con);

/* Must the queue be pushed before the guest runs again? */
bool console_busy(const struct console *con);

/* Bytes queued and not yet written. */
uint64_t console_pending(const struct console *con);

/* The descriptor to poll for POLLOUT, or -1 if polling would not help. */
int console_poll_fd(const struct console *con);

/*
 * A stdio stream whose writes are queued on con (line-buffered), for the
 * text kvmrun writes itself: its stderr lines and a trace (not counted as
 * the guest's output, nor limited by max_out).  Like guest
 * output it never blocks; the run loop keeps room in con before each exit,
 * so a few lines always fit.  A write that does not fit even after a push
 * fails the stream (ferror, errno ENOBUFS).  NULL if it cannot be made.
 */
FILE *console_fopen(struct console *con);

/* True if a byte of input is ready.  Never blocks. */
bool console_input_ready(struct console *con);

/* The next input byte, or -1 if none is ready. */
int console_getc(struct console *con);

/* True once stdin has reached end of file and every byte was read. */
bool console_input_closed(struct console *con);

#endif
