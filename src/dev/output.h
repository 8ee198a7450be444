/* SPDX-License-Identifier: MIT */
/*
 * The queues a run writes to: the guest's stdout, kvmrun's own stderr
 * lines and the trace.  Each is a console (console.h): queued, never
 * blocking.  When stderr is where stdout goes (2>&1, or one terminal),
 * kvmrun's lines share the guest's queue, so a log of both keeps the order
 * things happened in.  The run loop keeps room in every queue before each
 * exit, waiting for slow readers but never past the deadline or a signal,
 * and drains them all at the end.
 */
#ifndef KVMRUN_DEV_OUTPUT_H
#define KVMRUN_DEV_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "clock.h"
#include "dev/console.h"

/* Lines kept for stderr until the guest's earlier output is out. */
#define OUTPUT_MAX_NOTES        4

struct run_output {
	struct console console;         /* the guest's stdout */
	FILE *log;                      /* kvmrun's stderr lines, queued on log_con */
	struct console *log_con;        /* &errcon, or &console when ... */
	bool log_is_stdout;             /* ... stderr is where stdout goes (2>&1) */
	struct console errcon;          /* stderr's queue, when it is apart */
	struct console tracecon;        /* --trace-file's queue */
	struct console *trace_con;      /* the trace's: &tracecon, log_con or NULL */
	FILE *trace_file;               /* the trace's stream on tracecon */
	FILE *trace;                    /* where trace lines go: log, trace_file or NULL */
	int *trace_error;               /* the tracer's first write error (errno) */
	bool quiet;                     /* -q: no notes */
	/* What kvmrun has to say mid-run (unclaimed accesses), said once the
	 * guest's output before it is on stdout (output_say_notes). */
	char notes[OUTPUT_MAX_NOTES][320];
	unsigned nr_notes;
};

/* Why waiting for output ended the run (output_make_room returned 1). */
struct output_stop {
	int error;              /* stdout failed: a negative errno */
	int signo;              /* a run-ending signal came */
	bool timed_out;         /* the deadline passed */
};

/*
 * Open the queues: stdout on fd 1 (stdin_fd: the UART's input, or -1),
 * kvmrun's lines on log's descriptor, the trace on trace's (the log's own
 * stream when trace == log; none when NULL).  -1 if out of memory.
 */
int output_open(struct run_output *o, int stdin_fd, FILE *log, FILE *trace,
		int *trace_error);

/* What is left for stderr gets a last push, never a wait; all closed. */
void output_close(struct run_output *o);

/* Keep a line for stderr until the guest's output before it is out. */
void output_note(struct run_output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The notes kept since the last exit, queued on stderr. */
void output_say_notes(struct run_output *o);

/* Before a line on o->log: a newline first if stdout and stderr are one
 * file and the guest stopped in the middle of a line. */
void output_start_log_line(struct run_output *o);

/* Before a trace line: the same, when the trace shares the guest's queue. */
void output_start_trace_line(struct run_output *o);

/*
 * Before the guest runs again, or a device is handed more: room in every
 * queue for what one exit writes.  Returns 0, or 1 if the run must end
 * (why says why).
 */
int output_make_room(struct run_output *o, struct run_clock *clk,
		     struct output_stop *why);

/* How a drain went. */
struct output_drain {
	unsigned wait_s;        /* how long kvmrun was ready to wait */
	int signo;              /* a signal came while waiting */
	bool timed_out;         /* the wait ran out */
	uint64_t unwritten;     /* guest bytes stdout never took */
	uint64_t trace_unwritten;       /* bytes of a --trace-file left queued */
};

/* After a guest's own ending, how long a slow stdout reader is waited for. */
#define OUTPUT_DRAIN_NS         (10ULL * 1000 * 1000 * 1000)

/*
 * Push every queue until it is empty, waiting for slow readers until
 * `until` (CLOCK_MONOTONIC ns): a signal cuts that to a second from then,
 * a second signal (counting those in *signals already) ends it at once.
 * d, if given, records the signal and whether the wait ran out.
 */
void output_drain(struct run_output *o, struct run_clock *clk, uint64_t until,
		  unsigned *signals, struct output_drain *d);

/*
 * After the run: give every queue what is still in it.  A reader that is
 * slow gets OUTPUT_DRAIN_NS after a guest's own ending, one second after
 * a time limit or a signal (hurried); a signal while waiting cuts the
 * wait to one second, a second signal (signaled: one came already) ends
 * it at once.  What stdout did not take is counted in d, never dropped in
 * silence.
 */
void output_finish(struct run_output *o, struct run_clock *clk, bool hurried,
		   bool signaled, struct output_drain *d);

/*
 * After the run, once the front end has written its lines to o->log: get
 * them (and any trace) out, waiting for a slow stderr as long as the run's
 * own drain did (wait_s), cut short by signals the same way.
 */
void output_flush_log(struct run_output *o, unsigned wait_s, bool signaled);

#endif
