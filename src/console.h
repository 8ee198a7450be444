/* SPDX-License-Identifier: MIT */
/*
 * The host side of guest console I/O: one output buffer for every device
 * that writes to stdout (so bytes keep the order the guest wrote them in),
 * and a non-blocking reader for stdin.  Output is binary-safe, written in
 * large blocks, and flushed when the buffer fills, on the run loop's flush
 * tick (so a prompt shows before the guest waits for input), after every
 * exit when stdout is a terminal, and at the end of the run.
 */
#ifndef KVMRUN_CONSOLE_H
#define KVMRUN_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_OUT_BUF         (64 * 1024)
#define CONSOLE_IN_BUF          4096

struct console {
	int out_fd;
	bool out_pipe;                  /* a pipe or socket: writes can block */
	/*
	 * Called while stdout is a full pipe: wait a little, and return 0 to
	 * try again or a negative errno to give up (kvmrun must stay
	 * responsive to its time limit and to signals even then).  NULL:
	 * wait for as long as it takes.
	 */
	int (*wait_out)(void *ctx);
	void *wait_ctx;
	int in_fd;                      /* -1: no input (reads see EOF) */
	bool out_tty;                   /* flush after every exit */
	bool in_eof;
	int out_error;                  /* errno of a failed write, sticky */
	size_t out_len;
	size_t in_pos, in_len;
	uint64_t bytes_out;             /* guest bytes written to out_fd */
	uint64_t bytes_in;              /* guest bytes read from in_fd */
	uint64_t max_out;               /* 0, or the most bytes the guest may write */
	uint64_t queued;                /* bytes the guest has written in all */
	uint8_t *out;                   /* CONSOLE_OUT_BUF bytes */
	uint8_t in[CONSOLE_IN_BUF];
};

/* Returns 0, or -1 if the output buffer cannot be allocated. */
int console_init(struct console *con, int out_fd, int in_fd);
void console_fini(struct console *con);

/*
 * Queue guest output.  Returns 0, or -errno once writing has failed, or
 * -EDQUOT once max_out is reached (what fits is still written).
 */
int console_write(struct console *con, const void *data, size_t len);

/* Write out everything queued.  Returns 0 or -errno. */
int console_flush(struct console *con);

/* True if a byte of input is ready.  Never blocks. */
bool console_input_ready(struct console *con);

/* The next input byte, or -1 if none is ready. */
int console_getc(struct console *con);

/* True once stdin has reached end of file and every byte was read. */
bool console_input_closed(struct console *con);

#endif
