/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for console.c: the output queue on a regular file (a memfd)
 * and on a pipe nobody reads, never blocking: console_push writes what
 * stdout takes, at most CONSOLE_PUSH_MAX bytes a call, and says -EAGAIN
 * for the rest; a large write from guest RAM is queued by reference and
 * keeps its order; errors are sticky; the output limit cuts exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dev/console.h"
#include "test.h"

static int memfd(void)
{
	return memfd_create("console-test", MFD_CLOEXEC);
}

/* Everything in the file at fd, from the start (malloc'd; *len bytes). */
static uint8_t *contents(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	uint8_t *p = malloc(end > 0 ? (size_t)end : 1);

	*len = end > 0 ? (size_t)end : 0;
	if (p && *len && pread(fd, p, *len, 0) != (ssize_t)*len)
		*len = 0;
	return p;
}

/* Push until done (a regular file never says "wait"). */
static int push_all(struct console *con)
{
	int r;

	while ((r = console_push(con)) == -EAGAIN)
		;
	return r;
}

TEST(console_small_writes_keep_order)
{
	struct console con;
	int fd = memfd();
	uint8_t *got;
	size_t len;

	TEST_REQUIRE(fd >= 0);
	TEST_REQUIRE(console_init(&con, fd, -1) == 0);
	TEST_CHECK(con.out_regular);
	TEST_EQ(console_write(&con, "ab", 2), 0);
	TEST_EQ(console_write(&con, "c", 1), 0);
	TEST_EQ(console_pending(&con), 3);
	TEST_CHECK(!console_busy(&con));
	TEST_EQ(push_all(&con), 0);
	TEST_EQ(console_pending(&con), 0);
	TEST_EQ(con.bytes_out, 3);
	got = contents(fd, &len);
	TEST_EQ(len, 3);
	TEST_CHECK(got && memcmp(got, "abc", 3) == 0);
	free(got);
	console_fini(&con);
	close(fd);
}

/* A write too large for the buffer is queued by reference, after what is
 * buffered, and pushed at most CONSOLE_PUSH_MAX bytes per call. */
TEST(console_large_write_by_reference)
{
	const size_t big = 3 * CONSOLE_PUSH_MAX + 12345;
	uint8_t *data = malloc(big), *got;
	struct console con;
	int fd = memfd(), calls = 0, r;
	size_t len, i;

	TEST_REQUIRE(data && fd >= 0);
	for (i = 0; i < big; i++)
		data[i] = (uint8_t)(i * 7 + 1);
	TEST_REQUIRE(console_init(&con, fd, -1) == 0);
	TEST_EQ(console_write(&con, "x", 1), 0);
	TEST_EQ(console_write_ref(&con, data, big), 0);
	TEST_CHECK(console_busy(&con));
	TEST_EQ(console_pending(&con), big + 1);
	/* While it is queued, nothing else may be. */
	TEST_EQ(console_write(&con, "y", 1), -ENOBUFS);
	TEST_EQ(console_write_ref(&con, "y", 1), -EBUSY);
	while ((r = console_push(&con)) == -EAGAIN)
		calls++;
	TEST_EQ(r, 0);
	TEST_EQ(calls, 3);              /* 4 pushes of at most 1 MiB */
	TEST_CHECK(!console_busy(&con));
	got = contents(fd, &len);
	TEST_EQ(len, big + 1);
	TEST_CHECK(got && got[0] == 'x' && memcmp(got + 1, data, big) == 0);
	free(got);
	free(data);
	console_fini(&con);
	close(fd);
}

/* Busy when less than CONSOLE_OUT_RESERVE is free; a copy that does not
 * fit is refused, never written past the buffer. */
TEST(console_busy_and_full)
{
	static uint8_t chunk[4096];
	struct console con;
	int fd = memfd();
	size_t n = 0;

	TEST_REQUIRE(fd >= 0);
	TEST_REQUIRE(console_init(&con, fd, -1) == 0);
	while (!console_busy(&con)) {
		TEST_REQUIRE(console_write(&con, chunk, sizeof(chunk)) == 0);
		n += sizeof(chunk);
	}
	TEST_CHECK(CONSOLE_OUT_BUF - n < CONSOLE_OUT_RESERVE);
	TEST_CHECK(CONSOLE_OUT_BUF - n + sizeof(chunk) >= CONSOLE_OUT_RESERVE);
	while (n + sizeof(chunk) <= CONSOLE_OUT_BUF) {
		TEST_REQUIRE(console_write(&con, chunk, sizeof(chunk)) == 0);
		n += sizeof(chunk);
	}
	TEST_EQ(console_write(&con, chunk, CONSOLE_OUT_BUF - n + 1), -ENOBUFS);
	TEST_EQ(console_pending(&con), n);
	TEST_EQ(push_all(&con), 0);
	TEST_CHECK(!console_busy(&con));
	console_fini(&con);
	close(fd);
}

/* A pipe nobody reads: push says -EAGAIN instead of blocking, and keeps
 * every byte it could not write; once read, the rest goes out in order. */
TEST(console_full_pipe_never_blocks)
{
	struct console con;
	int p[2], r;
	uint8_t *data = malloc(200000), buf[4096];
	size_t got = 0, i;
	uint64_t before;

	TEST_REQUIRE(data && pipe(p) == 0);
	for (i = 0; i < 200000; i++)
		data[i] = (uint8_t)(i % 251);
	TEST_REQUIRE(console_init(&con, p[1], -1) == 0);
	TEST_CHECK(con.out_pollable);
	TEST_CHECK(console_poll_fd(&con) >= 0);
	TEST_EQ(console_write_ref(&con, data, 200000), 0);
	TEST_EQ(console_push(&con), -EAGAIN);   /* the pipe holds less */
	before = console_pending(&con);
	TEST_CHECK(before > 0 && before < 200000);
	TEST_EQ(console_push(&con), -EAGAIN);   /* still full: nothing lost */
	TEST_EQ(console_pending(&con), before);
	/* Read it all, pushing as room appears. */
	while (got < 200000) {
		ssize_t n = read(p[0], buf, sizeof(buf));

		TEST_REQUIRE(n > 0);
		for (i = 0; i < (size_t)n; i++)
			if (!TEST_CHECK_MSG(buf[i] == (uint8_t)((got + i) % 251),
					    "byte %zu", got + i))
				break;
		got += (size_t)n;
		r = console_push(&con);
		TEST_CHECK(r == 0 || r == -EAGAIN);
	}
	TEST_EQ(console_pending(&con), 0);
	TEST_EQ(con.bytes_out, 200000);
	console_fini(&con);
	close(p[0]);
	close(p[1]);
	free(data);
}

/* A closed pipe: EPIPE, sticky, and the bytes stay counted as pending. */
TEST(console_closed_pipe_is_sticky)
{
	struct console con;
	int p[2];
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	TEST_REQUIRE(pipe(p) == 0);
	close(p[0]);
	TEST_REQUIRE(console_init(&con, p[1], -1) == 0);
	TEST_EQ(console_write(&con, "abc", 3), 0);
	TEST_EQ(console_push(&con), -EPIPE);
	TEST_EQ(con.out_error, EPIPE);
	TEST_EQ(console_write(&con, "d", 1), -EPIPE);
	TEST_EQ(console_push(&con), -EPIPE);
	TEST_EQ(console_pending(&con), 3);
	console_fini(&con);
	close(p[1]);
	signal(SIGPIPE, old);
}

/* The output limit: exactly max_out bytes are queued, then -EDQUOT. */
TEST(console_output_limit)
{
	static uint8_t big[100000];
	struct console con;
	int fd = memfd();
	size_t len;
	uint8_t *got;

	TEST_REQUIRE(fd >= 0);
	TEST_REQUIRE(console_init(&con, fd, -1) == 0);
	con.max_out = 70000;
	TEST_EQ(console_write(&con, "abcd", 4), 0);
	TEST_EQ(console_write_ref(&con, big, sizeof(big)), -EDQUOT);
	TEST_EQ(con.queued, 70000);
	TEST_EQ(console_pending(&con), 70000);
	TEST_EQ(console_write(&con, "z", 1), -ENOBUFS);  /* must push first */
	TEST_EQ(push_all(&con), 0);
	TEST_EQ(console_write(&con, "z", 1), -EDQUOT);
	got = contents(fd, &len);
	TEST_EQ(len, 70000);
	free(got);
	console_fini(&con);
	close(fd);
}

/* The descriptor it writes to: a pipe is opened a second time, non-
 * blocking, and the original descriptor's flags are left alone. */
TEST(console_reopens_pipes_only)
{
	struct console con;
	int p[2], fd = memfd();

	TEST_REQUIRE(pipe(p) == 0 && fd >= 0);
	TEST_REQUIRE(console_init(&con, p[1], -1) == 0);
	TEST_CHECK(con.own_fd >= 0 && con.out_fd == con.own_fd);
	TEST_CHECK(fcntl(con.own_fd, F_GETFL) & O_NONBLOCK);
	TEST_CHECK(!(fcntl(p[1], F_GETFL) & O_NONBLOCK));
	console_fini(&con);
	TEST_EQ(con.own_fd, -1);
	TEST_REQUIRE(console_init(&con, fd, -1) == 0);
	TEST_EQ(con.own_fd, -1);
	TEST_EQ(con.out_fd, fd);
	console_fini(&con);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* kvmrun's own text through console_fopen: queued in order with the
 * guest's, not counted as the guest's output nor cut by its limit. */
TEST(console_stream_for_kvmruns_text)
{
	struct console con;
	int fd = memfd();
	FILE *f;
	uint8_t *got;
	size_t len;

	TEST_REQUIRE(fd >= 0);
	TEST_REQUIRE(console_init(&con, fd, -1) == 0);
	con.max_out = 3;
	TEST_REQUIRE((f = console_fopen(&con)) != NULL);
	TEST_EQ(console_write(&con, "ab", 2), 0);
	TEST_CHECK(fprintf(f, "kvmrun: note %d\n", 7) > 0);
	TEST_EQ(con.last_in, '\n');
	TEST_EQ(console_write(&con, "cd", 2), -EDQUOT);  /* 1 of 2 fits */
	TEST_EQ(con.queued, 3);
	TEST_EQ(push_all(&con), 0);
	got = contents(fd, &len);
	TEST_EQ(len, 2 + 15 + 1);
	TEST_CHECK(got && memcmp(got, "abkvmrun: note 7\nc", len) == 0);
	free(got);
	TEST_CHECK(fclose(f) == 0);
	console_fini(&con);
	close(fd);
}

const struct test tests_console[] = {
	TEST_ENTRY(console_small_writes_keep_order),
	TEST_ENTRY(console_large_write_by_reference),
	TEST_ENTRY(console_busy_and_full),
	TEST_ENTRY(console_full_pipe_never_blocks),
	TEST_ENTRY(console_closed_pipe_is_sticky),
	TEST_ENTRY(console_output_limit),
	TEST_ENTRY(console_reopens_pipes_only),
	TEST_ENTRY(console_stream_for_kvmruns_text),
	TEST_END,
};
