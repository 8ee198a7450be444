/* SPDX-License-Identifier: MIT */
/*
 * kvmrun's front end: parse the command line into a config, build a
 * machine from it, run it, say how the run ended (stderr, and the JSON
 * report if asked) and exit with the status the README's table gives.
 * The only file that exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cpuid_cache.h"
#include "kvmrun/abi.h"
#include "machine.h"
#include "outcome.h"
#include "report.h"

/* Everything the front end opened before the run, closed after it. */
struct outputs {
	FILE *report;                   /* --report, or NULL */
	FILE *trace;                    /* --trace, or NULL */
	FILE *dumps[CONFIG_MAX_DUMPS];  /* --dump-mem ...:FILE, NULL: hex */
	uint8_t *image;                 /* kvmrun -: the image read from stdin */
	size_t image_size;
};

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

/*
 * Open a file kvmrun writes (--report, --trace-file, --dump-mem), before
 * the run, so that a bad path is said before the guest runs.  O_NONBLOCK:
 * a FIFO with no reader is refused at once instead of blocking in open();
 * writes then block as usual.  "-" is stderr.
 */
static FILE *open_output(const char *path, const char *what, const char *mode)
{
	int fd, flags;
	FILE *f;

	if (!path || strcmp(path, "-") == 0)
		return stderr;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		  0666);
	if (fd < 0 && errno == ENXIO) {
		fprintf(stderr, "kvmrun: %s: %s is a FIFO with no reader: start the "
			"reader first\n", what, path);
		return NULL;
	}
	if (fd < 0) {
		fprintf(stderr, "kvmrun: %s: cannot create %s: %s\n", what, path,
			strerror(errno));
		return NULL;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 || !(f = fdopen(fd, mode))) {
		fprintf(stderr, "kvmrun: %s: cannot open %s: %s\n", what, path,
			strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

/* Close a file opened by open_output; -1 (and a message) if its data was
 * not all written. */
static int close_output(FILE *f, const char *what, const char *path)
{
	int r;

	if (!f || f == stderr)
		return 0;
	r = ferror(f) ? -1 : 0;
	if (fclose(f) != 0 || r < 0) {
		fprintf(stderr, "kvmrun: %s: cannot write %s: %s\n", what, path,
			strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

static int open_outputs(const struct config *cfg, struct outputs *o)
{
	unsigned i;

	memset(o, 0, sizeof(*o));
	if (cfg->report && !(o->report = open_output(cfg->report, "--report", "w")))
		return -1;
	if ((cfg->trace_exits || cfg->trace_insns) &&
	    !(o->trace = open_output(cfg->trace_file, "--trace-file", "w")))
		return -1;
	for (i = 0; i < cfg->nr_dumps; i++)
		if (cfg->dumps[i].file &&
		    !(o->dumps[i] = open_output(cfg->dumps[i].file, "--dump-mem", "wb")))
			return -1;
	return 0;
}

/* Close everything; returns -1 if a report, trace or dump went unwritten. */
static int close_outputs(const struct config *cfg, struct outputs *o)
{
	int r = 0;
	unsigned i;

	r |= close_output(o->report, "--report", cfg->report);
	r |= close_output(o->trace, "--trace-file", cfg->trace_file);
	for (i = 0; i < cfg->nr_dumps; i++)
		r |= close_output(o->dumps[i], "--dump-mem", cfg->dumps[i].file);
	free(o->image);
	memset(o, 0, sizeof(*o));
	return r;
}

/*
 * kvmrun -: read the image from standard input, at most max bytes (one
 * more is read to tell that it does not fit).  The run-ending signals are
 * blocked already, so they are looked for between reads: a writer that
 * never finishes cannot make kvmrun deaf.  Returns 0, a signal number, or
 * -1 after printing why.
 */
static int read_stdin_image(const struct config *cfg, struct outputs *o)
{
	struct memmap mm;
	struct error err;
	uint64_t max;
	const struct timespec zero = { 0, 0 };
	size_t cap = 0;
	sigset_t set;

	if (memmap_init(&mm, cfg->mem_size, &err) < 0) {
		fprintf(stderr, "kvmrun: %s\n", err.msg);
		return -1;
	}
	max = memmap_ram_left(&mm, cfg->load_addr);
	run_signals(&set);
	for (;;) {
		struct pollfd pfd = { .fd = 0, .events = POLLIN };
		ssize_t n;
		int sig;

		while ((sig = sigtimedwait(&set, NULL, &zero)) > 0)
			if (sig != SIGALRM)
				return sig;
		if (poll(&pfd, 1, 100) == 0)
			continue;
		if (o->image_size == cap) {
			size_t more = cap ? cap : 64 * 1024;
			uint8_t *p;

			if (cap > max) {
				fprintf(stderr, "kvmrun: image (standard input) does not "
					"fit in RAM at %#llx (more than the %llu bytes of "
					"RAM from there; use --mem)\n",
					(unsigned long long)cfg->load_addr,
					(unsigned long long)max);
				return -1;
			}
			if (more > max + 1 - cap)
				more = max + 1 - cap;
			p = realloc(o->image, cap + more);
			if (!p) {
				fprintf(stderr, "kvmrun: out of memory reading the image "
					"from standard input\n");
				return -1;
			}
			o->image = p;
			cap += more;
		}
		n = read(0, o->image + o->image_size, cap - o->image_size);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			fprintf(stderr, "kvmrun: cannot read the image from standard "
				"input: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		o->image_size += (size_t)n;
	}
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

/* The setup failed (err says why): say so, report it, give the status. */
static int setup_failed(const struct config *cfg, struct outputs *o,
			const struct report_image *image, uint64_t t_start,
			const char *msg, int status)
{
	struct report_times times = { .total_us = now_us() - t_start };

	fprintf(stderr, "kvmrun: %s\n", msg);
	if (o->report && report_write(o->report, cfg, NULL, image, NULL, status,
				      &times, msg) < 0)
		fprintf(stderr, "kvmrun: --report: cannot write %s\n", cfg->report);
	(void)close_outputs(cfg, o);
	return status;
}

int main(int argc, char **argv)
{
	uint64_t t_start = now_us(), t_setup, t_run;
	struct report_image image = { 0 };
	struct machine *m;
	struct run_result res;
	struct config cfg;
	struct error err = { "" };
	struct machine_io io;
	struct report_times times;
	struct outputs out;
	char *text, *first_line = NULL;
	char cache_path[4096];
	bool stdout_closed, mid_line;
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
	/* Signals that end the run wait, blocked, until KVM_RUN lets them in
	 * (or kvmrun looks for them while it waits for something). */
	run_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		perror("kvmrun: sigprocmask");
		return KVMRUN_STATUS_HOST;
	}
	if (open_outputs(&cfg, &out) < 0) {
		(void)close_outputs(&cfg, &out);
		return KVMRUN_STATUS_HOST;
	}
	if (strcmp(cfg.image, CONFIG_IMAGE_STDIN) == 0) {
		int r = read_stdin_image(&cfg, &out);

		if (r > 0) {
			snprintf(err.msg, sizeof(err.msg), "killed by SIG%s while reading "
				 "the image from standard input",
				 sigabbrev_np(r) ? sigabbrev_np(r) : "?");
			return setup_failed(&cfg, &out, &image, t_start, err.msg,
					    KVMRUN_STATUS_SIGNAL + r);
		}
		if (r < 0) {
			(void)close_outputs(&cfg, &out);
			return KVMRUN_STATUS_HOST;
		}
	}

	m = malloc(sizeof(*m));         /* machine_create initialises it */
	if (!m)
		return setup_failed(&cfg, &out, &image, t_start, "out of memory",
				    KVMRUN_STATUS_HOST);
	io = (struct machine_io){
		.log = stderr, .narrate = cfg.verbose ? stderr : NULL, .trace = out.trace,
		.stdout_closed = stdout_closed,
		.image_data = out.image, .image_size = out.image_size,
	};
	if (machine_create(m, &cfg, &io, &err) < 0) {
		/* The image's digest, if it got as far as being loaded. */
		image.size = m->image.size;
		memcpy(image.sha256, m->image_sha256, sizeof(image.sha256));
		free(m);
		return setup_failed(&cfg, &out, &image, t_start, err.msg,
				    KVMRUN_STATUS_HOST);
	}
	image.size = m->image.size;
	memcpy(image.sha256, m->image_sha256, sizeof(image.sha256));
	t_setup = now_us();
	machine_run(m, &res, &err);     /* every ending is in res */
	t_run = now_us();

	/* Dumps first: if one fails, the report must say so too. */
	if (outcome_dump_mem(stderr, m, out.dumps, &err) < 0) {
		res.host_error = err;
		res.end = RUN_END_HOST_ERROR;
		res.status = KVMRUN_STATUS_HOST;
	}
	status = res.status;
	/* The report quotes the ending's line: capture it then.  Without a
	 * report it goes straight to stderr (a clean ending prints nothing,
	 * and capturing costs more than the run's last ioctls). */
	mid_line = m->log_is_stdout && m->console.bytes_out && m->console.last_out != '\n';
	text = out.report || mid_line ? describe_outcome(m, &res) : NULL;
	if (!text)
		outcome_print(stderr, m, &res);
	if (text) {
		/* With 2>&1, kvmrun's lines start lines of their own. */
		if (mid_line && *text)
			fputc('\n', stderr);
		fputs(text, stderr);
		/* The ending's own line: there is none for a clean hlt or exit
		 * device unless -v explains it. */
		if ((res.end != RUN_END_HLT && res.end != RUN_END_EXIT_DEVICE) || cfg.verbose)
			first_line = strndup(text, strcspn(text, "\n"));
	}
	if (out.report) {
		times = (struct report_times){
			.setup_us = t_setup - t_start, .run_us = t_run - t_setup,
			.total_us = now_us() - t_start,
		};
		if (report_write(out.report, &cfg, m, &image, &res, status, &times,
				 first_line && *first_line ? first_line : NULL) < 0) {
			fprintf(stderr, "kvmrun: --report: cannot write %s\n", cfg.report);
			status = KVMRUN_STATUS_HOST;
		}
	}
	free(first_line);
	free(text);
	machine_destroy(m);
	free(m);
	if (close_outputs(&cfg, &out) < 0)
		status = KVMRUN_STATUS_HOST;
	return status;
}
