/* SPDX-License-Identifier: MIT */
/* Several images as a test suite, TAP and JUnit (suite.h). */
#include "suite.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kvmrun/abi.h"

#define OUTPUT_KEPT     (64 * 1024)     /* of each run's stdout, for JUnit */
#define ERRORS_KEPT     (16 * 1024)     /* of its stderr, for JUnit */
#define REPORT_FD       3               /* the child's --report, a memfd */

enum verdict { PASSED, FAILED, SKIPPED, ERROR };

struct run {
	const char *image;
	int status;
	double seconds;
	char *out, *err;                /* all of stdout; stderr's head */
	size_t out_len;
	char reason[64], message[512];  /* from the run's report: end.* */
	bool done;
	/* While it runs. */
	pid_t pid;
	int out_fd, err_fd, report_fd;
	struct timespec start;
};

struct totals {
	unsigned runs[4], checks[3];
	unsigned point;                 /* TAP test points so far */
};

/*
 * 0 passes, 77 skips, 125 is kvmrun's own failure (no such image, no
 * KVM): an error rather than the guest failing; anything else fails.
 */
static enum verdict verdict_of(int status)
{
	return status == 0 ? PASSED : status == SUITE_SKIP_STATUS ? SKIPPED :
	       status == KVMRUN_STATUS_HOST ? ERROR : FAILED;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- running -------------------------------------------------------- */

static void close_run_fds(struct run *r)
{
	int *fds[3] = { &r->out_fd, &r->err_fd, &r->report_fd };

	for (unsigned i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

/* The child: stdin /dev/null, stdout and stderr and the report into the
 * run's memfds, nothing else open; it dies with the suite. */
static void child(struct run *r, const struct config *cfg, const sigset_t *oldmask,
		  suite_run_one run_one)
{
	struct config one = *cfg;
	char report[32];
	int null = open("/dev/null", O_RDONLY);
	int status;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || null < 0 || dup2(null, 0) < 0 ||
	    dup2(r->out_fd, 1) < 0 || dup2(r->err_fd, 2) < 0 ||
	    dup2(r->report_fd, REPORT_FD) < 0 || close_range(REPORT_FD + 1, ~0U, 0) < 0 ||
	    sigprocmask(SIG_SETMASK, oldmask, NULL) < 0)
		_exit(KVMRUN_STATUS_HOST);
	snprintf(report, sizeof(report), "/dev/fd/%d", REPORT_FD);
	one.image = r->image;
	one.suite = one.tap = false;
	one.junit = NULL;
	one.report = report;
	status = run_one(&one);
	fflush(NULL);
	_exit(status & 0xff);
}

static int start(struct run *r, const struct config *cfg, const sigset_t *oldmask,
		 suite_run_one run_one)
{
	r->out_fd = memfd_create("kvmrun-stdout", MFD_CLOEXEC);
	r->err_fd = memfd_create("kvmrun-stderr", MFD_CLOEXEC);
	r->report_fd = memfd_create("kvmrun-report", MFD_CLOEXEC);
	if (r->out_fd < 0 || r->err_fd < 0 || r->report_fd < 0) {
		perror("kvmrun: memfd_create for a suite run");
		close_run_fds(r);
		return -1;
	}
	fflush(stdout);                 /* nothing buffered goes to the child */
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->pid = fork();
	if (r->pid < 0) {
		perror("kvmrun: fork");
		close_run_fds(r);
		return -1;
	}
	if (r->pid == 0)
		child(r, cfg, oldmask, run_one);
	return 0;
}

/* What fd holds, up to max bytes (0: all), NUL-terminated (malloc'd). */
static char *slurp(int fd, size_t max, size_t *len)
{
	struct stat st;
	size_t size, n = 0;
	char *buf;

	if (fstat(fd, &st) < 0)
		st.st_size = 0;
	size = (size_t)st.st_size;
	if (max && size > max)
		size = max;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	while (n < size) {
		ssize_t k = pread(fd, buf + n, size - n, (off_t)n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;          /* a file that shrank: what there was */
		n += (size_t)k;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/*
 * The JSON string value after `"key": ` in text, unescaped into out (the
 * report's own escapes: \" \\ \n \t \r and \u00XX); empty if it is null
 * or missing.  Only what kvmrun's report writer produces.
 */
static void json_value(const char *text, const char *key, char *out, size_t size)
{
	char pattern[64];
	const char *p;
	size_t n = 0;

	out[0] = '\0';
	snprintf(pattern, sizeof(pattern), "\"%s\": \"", key);
	p = text ? strstr(text, pattern) : NULL;
	if (!p)
		return;
	for (p += strlen(pattern); *p && *p != '"' && n + 1 < size; p++) {
		char c = *p;

		if (c == '\\' && p[1]) {
			p++;
			c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
			if (*p == 'u' && strlen(p) >= 5) {
				c = (char)strtol((char[]){ p[3], p[4], '\0' }, NULL, 16);
				p += 4;
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
}

static void finish(struct run *r, int wstatus)
{
	char *report;
	const char *end;

	r->seconds = seconds_since(&r->start);
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
		    KVMRUN_STATUS_SIGNAL + WTERMSIG(wstatus);
	r->out = slurp(r->out_fd, 0, &r->out_len);
	r->err = slurp(r->err_fd, ERRORS_KEPT, NULL);
	report = slurp(r->report_fd, 0, NULL);
	end = report ? strstr(report, "\"end\": {") : NULL;
	json_value(end, "reason", r->reason, sizeof(r->reason));
	json_value(end, "message", r->message, sizeof(r->message));
	free(report);
	close_run_fds(r);
	r->done = true;
}

/* ---- what a run said ---------------------------------------------------- */

/*
 * The next "PASS: name", "FAIL: name" or "SKIP: name" line of a run's
 * output at or after *p (which ends at end); its verdict and name.
 */
static bool next_check(const char **p, const char *end, enum verdict *v,
		       const char **name, int *name_len)
{
	static const struct { const char *tag; enum verdict v; } tags[] = {
		{ "PASS: ", PASSED }, { "FAIL: ", FAILED }, { "SKIP: ", SKIPPED },
	};

	while (*p < end) {
		const char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);

		*p = line + len + (nl ? 1 : 0);
		if (len && line[len - 1] == '\r')
			len--;
		for (unsigned i = 0; i < 3; i++)
			if (len > 6 && strncmp(line, tags[i].tag, 6) == 0) {
				*v = tags[i].v;
				*name = line + 6;
				*name_len = (int)(len - 6);
				return true;
			}
	}
	return false;
}

/* ---- TAP and plain reports ----------------------------------------------- */

/* A TAP description: `#` would start a directive (SKIP, TODO) and a
 * newline a new line, so `#` is escaped and control bytes become '?'. */
static void tap_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '#' || c == '\\')
			putchar('\\');
		putchar(c < 0x20 || c == 0x7f ? '?' : c);
	}
}

static void tap_run(const struct run *r, struct totals *t)
{
	enum verdict v = verdict_of(r->status), cv;
	const char *p = r->out, *end = r->out ? r->out + r->out_len : NULL, *name;
	int name_len;

	printf("%s %u - ", v == PASSED || v == SKIPPED ? "ok" : "not ok", ++t->point);
	tap_text(r->image, strlen(r->image));
	if (v == SKIPPED)
		printf(" # SKIP exit status %d", r->status);
	printf("\n");
	if (v == FAILED || v == ERROR) {
		printf("# exit status %d%s", r->status, r->message[0] ? ": " : "");
		tap_text(r->message, strlen(r->message));
		printf("\n");
	}
	while (p && next_check(&p, end, &cv, &name, &name_len)) {
		printf("%s %u - ", cv == FAILED ? "not ok" : "ok", ++t->point);
		tap_text(r->image, strlen(r->image));
		printf(": ");
		tap_text(name, (size_t)name_len);
		printf("%s\n", cv == SKIPPED ? " # SKIP" : "");
		t->checks[cv]++;
	}
}

static void plain_run(const struct run *r, struct totals *t)
{
	static const char *const word[] = { "ok     ", "FAIL   ", "SKIPPED", "ERROR  " };
	enum verdict v = verdict_of(r->status), cv;
	const char *p = r->out, *end = r->out ? r->out + r->out_len : NULL, *name;
	int name_len;

	if (r->out)
		fwrite(r->out, 1, r->out_len, stdout);
	fflush(stdout);
	fprintf(stderr, "kvmrun: %s %s (status %d, %.3f s)%s%s\n", word[v], r->image,
		r->status, r->seconds, (v == FAILED || v == ERROR) && r->message[0] ? ": " : "",
		(v == FAILED || v == ERROR) ? r->message : "");
	while (p && next_check(&p, end, &cv, &name, &name_len)) {
		fprintf(stderr, "kvmrun:   %s %s: %.*s\n", word[cv], r->image, name_len, name);
		t->checks[cv]++;
	}
}

/* ---- JUnit ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 :
		     s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : 0;

	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * XML text (attr: inside an attribute, where whitespace must be written
 * as references to survive): markup escaped, UTF-8 kept, and what XML 1.0
 * does not allow (other control bytes, invalid UTF-8) as '?'.
 */
static void xml_text(FILE *f, const char *s, size_t len, bool attr)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		size_t seq;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (attr && (c == '\t' || c == '\n' || c == '\r'))
			fprintf(f, "&#%u;", c);
		else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f))
			fputc(c, f);
		else if (c >= 0x80 && (seq = utf8_len(u + i, len - i)) != 0) {
			fwrite(u + i, 1, seq, f);
			i += seq - 1;
		} else
			fputc('?', f);
	}
}

static void xml_attr(FILE *f, const char *name, const char *value, size_t len)
{
	fprintf(f, " %s=\"", name);
	xml_text(f, value, len, true);
	fputc('"', f);
}

static void junit_run(FILE *f, const struct run *r)
{
	enum verdict v = verdict_of(r->status), cv;
	const char *p = r->out, *end = r->out ? r->out + r->out_len : NULL, *name;
	int name_len;
	char msg[600];

	fputs("    <testcase", f);
	xml_attr(f, "classname", r->image, strlen(r->image));
	xml_attr(f, "name", r->image, strlen(r->image));
	fprintf(f, " time=\"%.6f\">\n", r->seconds);
	if (v == FAILED || v == ERROR) {
		snprintf(msg, sizeof(msg), "exit status %d%s%s", r->status,
			 r->message[0] ? ": " : "", r->message);
		fprintf(f, "      <%s", v == ERROR ? "error" : "failure");
		xml_attr(f, "message", msg, strlen(msg));
		/* The ending's reason name (docs/report.md), e.g. exception. */
		xml_attr(f, "type", r->reason[0] ? r->reason : "exit_status",
			 strlen(r->reason[0] ? r->reason : "exit_status"));
		fputc('>', f);
		xml_text(f, r->err ? r->err : "", r->err ? strlen(r->err) : 0, false);
		fprintf(f, "</%s>\n", v == ERROR ? "error" : "failure");
	} else if (v == SKIPPED) {
		fprintf(f, "      <skipped message=\"exit status %d\"/>\n", r->status);
	}
	fputs("      <system-out>", f);
	xml_text(f, r->out ? r->out : "", r->out_len < OUTPUT_KEPT ? r->out_len : OUTPUT_KEPT,
		 false);
	if (r->out_len > OUTPUT_KEPT)
		fputs("\n[kvmrun: the rest of the output is not kept here]", f);
	fputs("</system-out>\n    </testcase>\n", f);
	while (p && next_check(&p, end, &cv, &name, &name_len)) {
		fputs("    <testcase", f);
		xml_attr(f, "classname", r->image, strlen(r->image));
		xml_attr(f, "name", name, (size_t)name_len);
		fputs(" time=\"0\"", f);
		if (cv == FAILED)
			fputs(">\n      <failure message=\"FAIL\" type=\"check\"/>\n    </testcase>\n", f);
		else if (cv == SKIPPED)
			fputs(">\n      <skipped/>\n    </testcase>\n", f);
		else
			fputs("/>\n", f);
	}
}

static int write_junit(FILE *f, const char *path, const struct run *runs, unsigned n,
		       const struct totals *t, double seconds)
{
	unsigned tests = t->runs[PASSED] + t->runs[FAILED] + t->runs[SKIPPED] +
			 t->runs[ERROR] + t->checks[0] + t->checks[1] + t->checks[2];
	unsigned failures = t->runs[FAILED] + t->checks[FAILED];
	unsigned skipped = t->runs[SKIPPED] + t->checks[SKIPPED];

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"kvmrun\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
		"skipped=\"%u\" time=\"%.6f\">\n", tests, failures, t->runs[ERROR], skipped,
		seconds);
	fprintf(f, "  <testsuite name=\"kvmrun\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
		"skipped=\"%u\" time=\"%.6f\">\n", tests, failures, t->runs[ERROR], skipped,
		seconds);
	for (unsigned i = 0; i < n && runs[i].done; i++)
		junit_run(f, &runs[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "kvmrun: --junit %s: cannot write it: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- the suite ---------------------------------------------------------- */

/* Report the runs that are done, in the order of the images. */
static void report_ready(const struct config *cfg, struct run *runs, unsigned n,
			 unsigned *next, struct totals *t)
{
	while (*next < n && runs[*next].done) {
		struct run *r = &runs[*next];

		t->runs[verdict_of(r->status)]++;
		if (cfg->tap)
			tap_run(r, t);
		else
			plain_run(r, t);
		fflush(stdout);
		(*next)++;
	}
}

/*
 * Wait for a run to end, or for a signal that ends the suite (*sig).
 * The suite's signals are blocked: they are taken here, 100 ms at a time.
 */
static pid_t wait_run(const sigset_t *ends, int *wstatus, int *sig)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };

	for (;;) {
		pid_t pid = waitpid(-1, wstatus, WNOHANG);
		int got;

		if (pid != 0)
			return pid;
		got = sigtimedwait(ends, NULL, &tick);  /* -1: none came */
		if (got > 0) {
			*sig = got;
			return 0;
		}
	}
}

int suite_run(const struct config *cfg, suite_run_one run_one)
{
	unsigned n = cfg->nr_images, started = 0, running = 0, reported = 0;
	struct run *runs = calloc(n, sizeof(*runs));
	struct totals t = { .point = 0 };
	struct timespec t0;
	sigset_t ends, oldmask;
	FILE *junit = NULL;
	int status = 0, sig = 0;

	if (!runs) {
		fprintf(stderr, "kvmrun: out of memory for the suite\n");
		return KVMRUN_STATUS_HOST;
	}
	/* Refused before anything runs, like every output file. */
	if (cfg->junit && !(junit = fopen(cfg->junit, "w"))) {
		fprintf(stderr, "kvmrun: --junit %s: cannot create it: %s\n", cfg->junit,
			strerror(errno));
		free(runs);
		return KVMRUN_STATUS_HOST;
	}
	/* A reader that goes away is an error at the end, not a death;
	 * Ctrl-C and the like are passed to the runs, which end, and are
	 * reported. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&ends);
	sigaddset(&ends, SIGINT);
	sigaddset(&ends, SIGTERM);
	sigaddset(&ends, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &ends, &oldmask) < 0) {
		perror("kvmrun: sigprocmask");
		return KVMRUN_STATUS_HOST;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cfg->tap)
		printf("TAP version 13\n");
	while (reported < started || started < n) {
		int wstatus;
		pid_t pid;

		while (!sig && running < cfg->jobs && started < n) {
			runs[started].image = cfg->images[started];
			if (start(&runs[started], cfg, &oldmask, run_one) < 0) {
				status = KVMRUN_STATUS_HOST;
				sig = SIGTERM;  /* stop the others, report them */
				break;
			}
			started++;
			running++;
		}
		if (running == 0)
			break;
		pid = wait_run(&ends, &wstatus, &sig);
		if (pid == 0) {         /* a signal: the runs get it too */
			for (unsigned i = 0; i < started; i++)
				if (!runs[i].done)
					kill(runs[i].pid, sig);
			continue;
		}
		if (pid < 0) {
			perror("kvmrun: waitpid");
			status = KVMRUN_STATUS_HOST;
			break;
		}
		for (unsigned i = 0; i < started; i++)
			if (runs[i].pid == pid && !runs[i].done) {
				finish(&runs[i], wstatus);
				running--;
			}
		report_ready(cfg, runs, n, &reported, &t);
	}
	if (cfg->tap)
		printf("1..%u\n", t.point);
	fflush(stdout);
	fprintf(stderr, "kvmrun: %u run%s: %u passed, %u failed, %u skipped", reported,
		reported == 1 ? "" : "s", t.runs[PASSED], t.runs[FAILED] + t.runs[ERROR],
		t.runs[SKIPPED]);
	if (t.checks[0] + t.checks[1] + t.checks[2])
		fprintf(stderr, "; checks: %u passed, %u failed, %u skipped", t.checks[PASSED],
			t.checks[FAILED], t.checks[SKIPPED]);
	if (reported < n)
		fprintf(stderr, "; %u not run", n - reported);
	fprintf(stderr, "\n");
	if (junit && write_junit(junit, cfg->junit, runs, n, &t, seconds_since(&t0)) < 0)
		status = KVMRUN_STATUS_HOST;
	if (ferror(stdout)) {
		fprintf(stderr, "kvmrun: the suite's report could not be written to stdout\n");
		status = KVMRUN_STATUS_HOST;
	}
	if (!status && sig)
		status = KVMRUN_STATUS_SIGNAL + sig;
	else if (!status && (t.runs[FAILED] || t.runs[ERROR] || t.checks[FAILED]))
		status = SUITE_FAILED_STATUS;
	for (unsigned i = 0; i < started; i++)
		if (!runs[i].done) {
			kill(runs[i].pid, SIGTERM);
			waitpid(runs[i].pid, NULL, 0);
			close_run_fds(&runs[i]);
		}
	for (unsigned i = 0; i < n; i++) {
		free(runs[i].out);
		free(runs[i].err);
	}
	free(runs);
	return status;
}
