/* SPDX-License-Identifier: MIT */
/* The queues a run writes to: stdout, kvmrun's stderr, the trace (output.h). */
#include "dev/output.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

/* Do descriptors a and b write to the same file (stdout 2>&1 stderr)? */
static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return a >= 0 && b >= 0 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int output_open(struct run_output *o, int stdin_fd, FILE *log, FILE *trace,
		int *trace_error)
{
	o->trace_error = trace_error;
	if (console_init(&o->console, 1, stdin_fd) < 0)
		return -1;
	o->log_is_stdout = same_file(1, fileno(log));
	if (o->log_is_stdout) {
		o->log_con = &o->console;
	} else {
		if (console_init(&o->errcon, fileno(log), -1) < 0)
			return -1;
		o->log_con = &o->errcon;
	}
	if (!(o->log = console_fopen(o->log_con)))
		return -1;
	if (!trace)
		return 0;
	if (trace == log) {
		o->trace = o->log;
		o->trace_con = o->log_con;
		return 0;
	}
	if (console_init(&o->tracecon, fileno(trace), -1) < 0)
		return -1;
	o->trace_con = &o->tracecon;
	o->trace = o->trace_file = console_fopen(o->trace_con);
	return o->trace_file ? 0 : -1;
}

void output_close(struct run_output *o)
{
	if (o->trace_file)
		fclose(o->trace_file);
	o->trace_file = NULL;
	if (o->log) {
		/* What is left for stderr (a setup that failed, said with -v):
		 * a last push, never a wait. */
		fflush(o->log);
		(void)console_push(o->log_con);
		fclose(o->log);
	}
	o->log = NULL;
	console_fini(&o->tracecon);
	console_fini(&o->errcon);
	console_fini(&o->console);
}

/*
 * Something kvmrun says on stderr in the middle of a run: kept until the
 * guest output written before it is on stdout, so that a log of both
 * (2>&1) reads in the order things happened.
 */
void output_note(struct run_output *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet || o->nr_notes == OUTPUT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(o->notes[o->nr_notes++], sizeof(o->notes[0]), fmt, ap);
	va_end(ap);
}

/*
 * With stdout and stderr one file (2>&1), kvmrun's lines share the guest's
 * queue, in order; one starts a line of its own when the guest is in the
 * middle of one.
 */
void output_start_log_line(struct run_output *o)
{
	if (o->log_is_stdout && o->console.last_in >= 0 && o->console.last_in != '\n')
		fputc('\n', o->log);
}

void output_say_notes(struct run_output *o)
{
	unsigned i;

	if (!o->nr_notes)
		return;
	output_start_log_line(o);
	for (i = 0; i < o->nr_notes; i++)
		fputs(o->notes[i], o->log);
	o->nr_notes = 0;
}

void output_start_trace_line(struct run_output *o)
{
	if (o->trace == o->log)
		output_start_log_line(o);
}

/* The queues in use, each once (at most 3).  Returns how many. */
static unsigned queues(struct run_output *o, struct console **q)
{
	struct console *all[3] = { &o->console, o->log_con, o->trace_con };
	unsigned n = 0, i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < n && all[i] && q[j] != all[i]; j++)
			;
		if (all[i] && j == n)
			q[n++] = all[i];
	}
	return n;
}

/* A queue other than stdout failed: the trace, or stderr, which nobody
 * can then be told about. */
static void side_queue_failed(struct run_output *o, struct console *con, int r)
{
	if (con == o->trace_con && o->trace_error && !*o->trace_error)
		*o->trace_error = -r;
}

/* Wait for any of the queues to take more: at most until the deadline,
 * 50 ms at a time (a regular file never needs waiting for). */
static void wait_writable(struct console **q, unsigned n, uint64_t until)
{
	struct pollfd pfd[3];
	uint64_t now = clock_now_ns(), ms = 50;
	unsigned i, k = 0;

	for (i = 0; i < n; i++)
		if (console_pending(q[i]) && console_poll_fd(q[i]) >= 0)
			pfd[k++] = (struct pollfd){ .fd = console_poll_fd(q[i]), .events = POLLOUT };
	if (!k)
		return;
	if (until && until > now && (until - now) / 1000000 < ms)
		ms = (until - now) / 1000000 + 1;
	(void)poll(pfd, k, (int)ms);    /* EINTR or a timeout: look again */
}

/*
 * Push every queue until none is busy, waiting for slow readers as long
 * as it takes, but never past the time limit or a run-ending signal.
 * Returns 0, or 1 if the run must end (why says why).
 */
static int await_output(struct run_output *o, struct run_clock *clk,
			struct output_stop *why)
{
	struct console *q[3];
	unsigned n = queues(o, q), i;

	for (;;) {
		bool busy = false;
		int sig;

		for (i = 0; i < n; i++) {
			int r = console_push(q[i]);

			if (r < 0 && r != -EAGAIN && q[i] == &o->console) {
				why->error = r;
				return 1;
			}
			if (r < 0 && r != -EAGAIN)
				side_queue_failed(o, q[i], r);
			else if (console_busy(q[i]))
				busy = true;
		}
		if (!busy)
			return 0;
		if ((sig = clock_take_signal(clk, NULL)) != 0) {
			why->signo = sig;
			return 1;
		}
		if (clock_expired(clk)) {
			why->timed_out = true;
			return 1;
		}
		wait_writable(q, n, clk->deadline);
	}
}

int output_make_room(struct run_output *o, struct run_clock *clk,
		     struct output_stop *why)
{
	struct console *q[3];
	unsigned n = queues(o, q), i;

	memset(why, 0, sizeof(*why));
	for (i = 0; i < n; i++)
		if (console_busy(q[i]) && await_output(o, clk, why))
			return 1;
	return 0;
}

void output_drain(struct run_output *o, struct run_clock *clk, uint64_t until,
		  unsigned *signals, struct output_drain *d)
{
	struct console *q[3];
	unsigned n = queues(o, q), i;

	fflush(o->log);         /* their last partial lines, into the queues */
	if (o->trace_file)
		fflush(o->trace_file);
	for (;;) {
		bool pending = false;
		int sig;

		for (i = 0; i < n; i++) {
			int r = console_push(q[i]);

			if (r == -EAGAIN)
				pending = true;
			else if (r < 0 && q[i] != &o->console)
				side_queue_failed(o, q[i], r);
		}
		if (!pending)
			return;
		if ((sig = clock_take_signal(clk, NULL)) != 0) {
			if (d)
				d->signo = sig;
			if (++*signals >= 2)
				return;
			if (until > clock_now_ns() + CLOCK_NS_PER_S)
				until = clock_now_ns() + CLOCK_NS_PER_S;
		}
		if (clock_now_ns() >= until) {
			if (d)
				d->timed_out = true;
			return;
		}
		wait_writable(q, n, until);
	}
}

void output_finish(struct run_output *o, struct run_clock *clk, bool hurried,
		   bool signaled, struct output_drain *d)
{
	unsigned signals = signaled;

	memset(d, 0, sizeof(*d));
	d->wait_s = hurried ? 1 : OUTPUT_DRAIN_NS / CLOCK_NS_PER_S;
	output_drain(o, clk, clock_now_ns() + (hurried ? CLOCK_NS_PER_S : OUTPUT_DRAIN_NS),
		     &signals, d);
	d->unwritten = console_pending(&o->console);
	if (o->trace_con == &o->tracecon)       /* a --trace-file of its own */
		d->trace_unwritten = console_pending(o->trace_con);
}

void output_flush_log(struct run_output *o, unsigned wait_s, bool signaled)
{
	struct run_clock clk;
	unsigned signals = signaled;

	clock_init(&clk, 0);
	output_drain(o, &clk, clock_now_ns() + (uint64_t)(wait_s ? wait_s : 1) * CLOCK_NS_PER_S,
		     &signals, NULL);
}
