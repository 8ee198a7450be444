/* SPDX-License-Identifier: MIT */
#include "dev/console.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* A terminal that poll() calls writable takes at least this much at once
 * (n_tty wakes writers below 256 queued characters). */
#define TTY_SAFE_WRITE  256

/*
 * A second, non-blocking open of a pipe, FIFO or terminal: write() then
 * returns EAGAIN instead of blocking, and fd 1's own flags, which it
 * shares with the shell and other programs, are left alone.  Other kinds
 * of file are not reopened: opening a device can have effects of its own.
 */
static int reopen_nonblocking(int fd, const struct stat *st)
{
	char path[64];

	if (!S_ISFIFO(st->st_mode) && !(S_ISCHR(st->st_mode) && isatty(fd) == 1))
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
}

int console_init(struct console *con, int out_fd, int in_fd)
{
	struct stat st;
	bool have_st = fstat(out_fd, &st) == 0;

	memset(con, 0, sizeof(*con));
	con->last_in = -1;
	con->out_fd = out_fd;
	con->own_fd = -1;
	con->in_fd = in_fd;
	con->in_eof = in_fd < 0;
	con->out_tty = isatty(out_fd) == 1;
	if (have_st && (con->own_fd = reopen_nonblocking(out_fd, &st)) >= 0)
		con->out_fd = con->own_fd;
	con->out_regular = !have_st || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) ||
			   (S_ISCHR(st.st_mode) && !con->out_tty);
	con->out_pollable = !con->out_regular;
	/* A socket needs no second open: send() has a per-call MSG_DONTWAIT. */
	con->out_socket = have_st && S_ISSOCK(st.st_mode);
	/* Not zeroed: only ever read back after being written. */
	con->out = malloc(CONSOLE_OUT_BUF);
	if (!con->out && con->own_fd >= 0) {
		close(con->own_fd);
		con->own_fd = -1;
	}
	return con->out ? 0 : -1;
}

void console_fini(struct console *con)
{
	if (!con->out)
		return;         /* never set up (a zeroed struct) */
	free(con->out);
	con->out = NULL;
	if (con->own_fd >= 0)
		close(con->own_fd);
	con->own_fd = -1;
}

/*
 * One write of at most len bytes that does not wait: the number written,
 * 0 if out_fd takes nothing now, or -errno.
 */
static ssize_t write_some(struct console *con, const uint8_t *p, size_t len)
{
	struct pollfd pfd = { .fd = con->out_fd, .events = POLLOUT };
	ssize_t n;

	if (con->out_pollable && con->own_fd < 0) {
		/* Our own open failed: poll first, then write no more than
		 * the file is sure to take without blocking. */
		int r = poll(&pfd, 1, 0);

		if (r == 0)
			return 0;
		if (r > 0 && !(pfd.revents & (POLLERR | POLLHUP)))
			len = len < (con->out_tty ? TTY_SAFE_WRITE : PIPE_BUF) ? len :
			      (con->out_tty ? TTY_SAFE_WRITE : PIPE_BUF);
	}
	do
		n = con->out_socket ? send(con->out_fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL)
				    : write(con->out_fd, p, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0)
		return -errno;
	return n;
}

/* Push from p: how many bytes went, within budget; *r is set on error. */
static size_t push_from(struct console *con, const uint8_t *p, size_t len,
			size_t *budget, int *r)
{
	size_t done = 0;

	while (done < len && *budget > 0) {
		size_t chunk = len - done < *budget ? len - done : *budget;
		ssize_t n = write_some(con, p + done, chunk);

		if (n < 0) {
			con->out_error = (int)-n;
			*r = (int)n;
			break;
		}
		if (n == 0) {
			*r = -EAGAIN;
			break;
		}
		done += (size_t)n;
		*budget -= (size_t)n;
		con->bytes_out += (uint64_t)n;
		con->last_out = p[done - 1];
	}
	return done;
}

int console_push(struct console *con)
{
	size_t budget = CONSOLE_PUSH_MAX, n;
	int r = 0;

	if (con->out_error)
		return -con->out_error;
	n = push_from(con, con->out + con->out_start, con->out_len, &budget, &r);
	con->out_start += n;
	con->out_len -= n;
	if (con->out_len == 0)
		con->out_start = 0;
	if (r == 0 && con->out_len == 0 && con->big_len) {
		n = push_from(con, con->big, con->big_len, &budget, &r);
		con->big += n;
		con->big_len -= n;
		if (con->big_len == 0)
			con->big = NULL;
	}
	if (r == 0 && console_pending(con))
		r = -EAGAIN;            /* the budget ran out */
	return r;
}

bool console_busy(const struct console *con)
{
	return con->big_len > 0 || CONSOLE_OUT_BUF - con->out_len < CONSOLE_OUT_RESERVE;
}

uint64_t console_pending(const struct console *con)
{
	return (uint64_t)con->out_len + con->big_len;
}

int console_poll_fd(const struct console *con)
{
	return con->out_pollable ? con->out_fd : -1;
}

/* Queue what the max_out limit lets through; -EDQUOT if it cut len. */
static int limit_output(struct console *con, size_t *len)
{
	int over = 0;

	if (con->max_out && *len > con->max_out - con->queued) {
		*len = (size_t)(con->max_out - con->queued);
		over = -EDQUOT;
	}
	con->queued += *len;
	return over;
}

static void copy_in(struct console *con, const uint8_t *p, size_t len)
{
	if (con->out_start + con->out_len + len > CONSOLE_OUT_BUF) {
		memmove(con->out, con->out + con->out_start, con->out_len);
		con->out_start = 0;
	}
	memcpy(con->out + con->out_start + con->out_len, p, len);
	con->out_len += len;
	if (len)
		con->last_in = p[len - 1];
}

/* Copy into the buffer: the guest's bytes (counted, limited) or kvmrun's. */
static int queue_copy(struct console *con, const void *data, size_t len, bool guest)
{
	int over = 0;

	if (con->out_error)
		return -con->out_error;
	if (con->big_len || len > CONSOLE_OUT_BUF - con->out_len)
		return -ENOBUFS;        /* the run loop pushes before this can be */
	if (guest)
		over = limit_output(con, &len);
	copy_in(con, data, len);
	return over;
}

int console_write(struct console *con, const void *data, size_t len)
{
	return queue_copy(con, data, len, true);
}

int console_write_ref(struct console *con, const void *data, size_t len)
{
	int over;

	if (con->out_error)
		return -con->out_error;
	if (con->big_len)
		return -EBUSY;
	over = limit_output(con, &len);
	if (len > CONSOLE_OUT_BUF - con->out_len) {
		con->big = data;        /* too large for what is left */
		con->big_len = len;
		con->last_in = con->big[len - 1];
	} else {
		copy_in(con, data, len);
	}
	return over;
}

/* fopencookie's write: queue, pushing once if the buffer is full. */
static ssize_t stream_write(void *cookie, const char *buf, size_t size)
{
	struct console *con = cookie;
	int r = queue_copy(con, buf, size, false);

	if (r == -ENOBUFS) {
		(void)console_push(con);
		r = queue_copy(con, buf, size, false);
	}
	if (r < 0) {
		errno = -r;
		return 0;       /* stdio marks the stream failed */
	}
	return (ssize_t)size;
}

FILE *console_fopen(struct console *con)
{
	cookie_io_functions_t io = { .write = stream_write };
	FILE *f = fopencookie(con, "w", io);

	if (f && setvbuf(f, NULL, _IOLBF, 0) != 0) {
		fclose(f);
		return NULL;
	}
	return f;
}

/* Read what stdin has without blocking. */
static void fill_input(struct console *con)
{
	struct pollfd pfd = { .fd = con->in_fd, .events = POLLIN };
	ssize_t n;

	if (con->in_eof || con->in_pos < con->in_len)
		return;
	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		return;
	do
		n = read(con->in_fd, con->in, sizeof(con->in));
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		/* End of file, or an error that makes stdin useless: both
		 * look like a dropped carrier to the guest. */
		if (n == 0 || errno != EAGAIN)
			con->in_eof = true;
		return;
	}
	con->in_pos = 0;
	con->in_len = (size_t)n;
}

bool console_input_ready(struct console *con)
{
	if (con->in_pos < con->in_len)
		return true;
	if (con->in_eof)
		return false;
	fill_input(con);
	return con->in_pos < con->in_len;
}

int console_getc(struct console *con)
{
	if (!console_input_ready(con))
		return -1;
	con->bytes_in++;
	return con->in[con->in_pos++];
}

bool console_input_closed(struct console *con)
{
	if (con->in_pos < con->in_len)
		return false;
	if (!con->in_eof)
		fill_input(con);
	return con->in_eof && con->in_pos >= con->in_len;
}
