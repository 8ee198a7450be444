/* SPDX-License-Identifier: MIT */
/*
 * kvmrun's front end: parse the command line into a config, build a
 * machine from it, run it, say how the run ended (stderr, and the JSON
 * report if asked) and exit with the status the README's table gives.
 * The only file that exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cpuid_cache.h"
#include "kvmrun/abi.h"
#include "machine.h"
#include "outcome.h"
#include "report.h"

/*
 * A closed stdin, stdout or stderr would be handed out again by the next
 * open(): /dev/kvm, or the report file, which would then receive the
 * guest's output.  Keep those numbers taken by /dev/null.  Returns -1 if
 * that fails; *stdout_closed says whether stdout was closed.
 */
static int reserve_std_fds(bool *stdout_closed)
{
	int fd;

	*stdout_closed = false;
	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return -1;
		if (fd == 1)
			*stdout_closed = true;
	}
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Open --report / --trace-file destinations before anything runs. */
static FILE *open_output(const char *path, const char *what)
{
	FILE *f;

	if (!path || strcmp(path, "-") == 0)
		return stderr;
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "kvmrun: %s: cannot create %s: %s\n", what, path,
			strerror(errno));
	return f;
}

static void close_output(FILE *f)
{
	if (f && f != stderr)
		fclose(f);
}

/* What outcome_print says, captured so the report can quote it. */
static char *describe_outcome(const struct machine *m, const struct run_result *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	outcome_print(f, m, res);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int main(int argc, char **argv)
{
	uint64_t t_start = now_us(), t_setup, t_run;
	struct machine *m;
	struct run_result res;
	struct config cfg;
	struct error err = { "" };
	struct machine_io io;
	struct report_times times;
	FILE *report = NULL, *trace = NULL;
	char *text, *first_line = NULL;
	char cache_path[4096];
	bool stdout_closed;
	sigset_t set;
	int status;

	if (reserve_std_fds(&stdout_closed) < 0)
		return KVMRUN_STATUS_HOST;

	switch (cli_parse(argc, argv, &cfg, &err)) {
	case CLI_RUN:
		break;
	case CLI_HELP:
		cli_usage(stdout);
		return 0;
	case CLI_VERSION:
		printf("kvmrun %s\n", KVMRUN_VERSION);
		return 0;
	case CLI_USAGE_ERROR:
		if (argc > 1)
			fprintf(stderr, "kvmrun: %s (kvmrun --help for usage)\n", err.msg);
		else
			cli_usage(stderr);
		return KVMRUN_STATUS_HOST;
	}

	if (!cfg.no_cpuid_cache &&
	    cpuid_cache_path(cache_path, sizeof(cache_path),
			     secure_getenv("KVMRUN_CACHE_DIR"), secure_getenv("XDG_RUNTIME_DIR"),
			     secure_getenv("XDG_CACHE_HOME"), secure_getenv("HOME")))
		cfg.cpuid_cache = cache_path;

	/* A closed stdout shows up as EPIPE from write(), not as a death. */
	signal(SIGPIPE, SIG_IGN);
	/* Signals that end the run wait, blocked, until KVM_RUN lets them in. */
	run_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		perror("kvmrun: sigprocmask");
		return KVMRUN_STATUS_HOST;
	}
	if (cfg.report && !(report = open_output(cfg.report, "--report")))
		return KVMRUN_STATUS_HOST;
	if ((cfg.trace_exits || cfg.trace_insns) &&
	    !(trace = open_output(cfg.trace_file, "--trace-file"))) {
		close_output(report);
		return KVMRUN_STATUS_HOST;
	}

	m = malloc(sizeof(*m));         /* machine_create initialises it */
	if (!m) {
		fprintf(stderr, "kvmrun: out of memory\n");
		return KVMRUN_STATUS_HOST;
	}
	io = (struct machine_io){
		.log = stderr, .narrate = cfg.verbose ? stderr : NULL, .trace = trace,
		.stdout_closed = stdout_closed,
	};
	if (machine_create(m, &cfg, &io, &err) < 0) {
		fprintf(stderr, "kvmrun: %s\n", err.msg);
		if (report) {
			times = (struct report_times){ .total_us = now_us() - t_start };
			report_write(report, &cfg, NULL, NULL, &times, err.msg);
		}
		close_output(report);
		close_output(trace);
		free(m);
		return KVMRUN_STATUS_HOST;
	}
	t_setup = now_us();
	machine_run(m, &res, &err);     /* every ending is in res */
	t_run = now_us();

	/* Dumps first: if one fails, the report must say so too. */
	if (outcome_dump_mem(stderr, m, &err) < 0) {
		res.host_error = err;
		res.end = RUN_END_HOST_ERROR;
		res.status = KVMRUN_STATUS_HOST;
	}
	status = res.status;
	/* The report quotes the ending's line: capture it then.  Without a
	 * report it goes straight to stderr (a clean ending prints nothing,
	 * and capturing costs more than the run's last ioctls). */
	text = report ? describe_outcome(m, &res) : NULL;
	if (!report)
		outcome_print(stderr, m, &res);
	if (text) {
		fputs(text, stderr);
		/* The ending's own line: there is none for a clean hlt or exit
		 * device unless -v explains it. */
		if ((res.end != RUN_END_HLT && res.end != RUN_END_EXIT_DEVICE) || cfg.verbose)
			first_line = strndup(text, strcspn(text, "\n"));
	}
	if (report) {
		times = (struct report_times){
			.setup_us = t_setup - t_start, .run_us = t_run - t_setup,
			.total_us = now_us() - t_start,
		};
		if (report_write(report, &cfg, m, &res, &times,
				 first_line && *first_line ? first_line : NULL) < 0) {
			fprintf(stderr, "kvmrun: --report: cannot write %s\n", cfg.report);
			status = KVMRUN_STATUS_HOST;
		}
	}
	free(first_line);
	free(text);
	machine_destroy(m);
	free(m);
	close_output(report);
	close_output(trace);
	return status;
}
