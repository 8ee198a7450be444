/* SPDX-License-Identifier: MIT */
#include "console.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int console_init(struct console *con, int out_fd, int in_fd)
{
	struct stat st;

	con->out_fd = out_fd;
	con->in_fd = in_fd;
	con->out_tty = isatty(out_fd) == 1;
	con->out_pipe = fstat(out_fd, &st) == 0 &&
			(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	con->wait_out = NULL;
	con->wait_ctx = NULL;
	con->in_eof = in_fd < 0;
	con->out_error = 0;
	con->out_len = con->in_pos = con->in_len = 0;
	con->bytes_out = con->bytes_in = con->queued = con->max_out = 0;
	/* Not zeroed: only ever read back after being written. */
	con->out = malloc(CONSOLE_OUT_BUF);
	return con->out ? 0 : -1;
}

void console_fini(struct console *con)
{
	free(con->out);
	con->out = NULL;
}

/*
 * May this many bytes be written without blocking?  A pipe that poll()
 * calls writable takes at least PIPE_BUF bytes at once; one that is not
 * writable is waited for in slices, so that a reader that stopped reading
 * cannot make kvmrun deaf to its time limit and to signals.
 */
static int writable(struct console *con, size_t *len)
{
	struct pollfd pfd = { .fd = con->out_fd, .events = POLLOUT };

	if (!con->out_pipe)
		return 0;
	for (;;) {
		int r = poll(&pfd, 1, con->wait_out ? 0 : -1);

		if (r > 0)
			break;
		if (r < 0 && errno != EINTR)
			return 0;               /* let write() report it */
		if (r == 0 && (r = con->wait_out(con->wait_ctx)) < 0)
			return r;
	}
	if (!(pfd.revents & (POLLERR | POLLHUP)) && *len > PIPE_BUF)
		*len = PIPE_BUF;
	return 0;
}

static int write_all(struct console *con, const uint8_t *p, size_t len)
{
	while (len) {
		size_t chunk = len;
		int w = writable(con, &chunk);
		ssize_t n;

		if (w < 0)
			return w;
		n = write(con->out_fd, p, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			con->out_error = errno;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
		con->bytes_out += (uint64_t)n;
	}
	return 0;
}

int console_flush(struct console *con)
{
	size_t len = con->out_len;

	if (con->out_error)
		return -con->out_error;
	con->out_len = 0;
	return write_all(con, con->out, len);
}

int console_write(struct console *con, const void *data, size_t len)
{
	const uint8_t *p = data;
	int over = 0;

	if (con->out_error)
		return -con->out_error;
	if (con->max_out && len > con->max_out - con->queued) {
		len = (size_t)(con->max_out - con->queued);
		over = -EDQUOT;
	}
	con->queued += len;
	if (len == 0)
		return over;
	if (len >= CONSOLE_OUT_BUF) {
		int r = console_flush(con);

		if (r == 0)
			r = write_all(con, p, len);
		return r < 0 ? r : over;
	}
	if (len > CONSOLE_OUT_BUF - con->out_len) {
		int r = console_flush(con);

		if (r < 0)
			return r;
	}
	memcpy(con->out + con->out_len, p, len);
	con->out_len += len;
	return over;
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
