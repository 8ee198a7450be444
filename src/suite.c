/* SPDX-License-Identifier: MIT */
/* Several images as a test suite, TAP and JUnit (suite.h). */
#include "suite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kvmrun/abi.h"

#define OUTPUT_KEPT     (64 * 1024)     /* of each run's stdout, for JUnit */
#define ERRORS_KEPT     (16 * 1024)     /* of its stderr */

enum verdict { PASSED, FAILED, SKIPPED };

struct run {
	const char *image;
	int status;
	double seconds;
	char *out, *err;                /* NUL-terminated, cut at the sizes above */
	size_t out_len;
	bool out_cut;
	bool done;
	/* While it runs. */
	pid_t pid;
	int out_fd, err_fd;
	struct timespec start;
};

struct totals {
	unsigned runs[3], checks[3];
	unsigned point;                 /* TAP test points so far */
	double seconds;
};

static enum verdict verdict_of(int status)
{
	return status == 0 ? PASSED : status == SUITE_SKIP_STATUS ? SKIPPED : FAILED;
}

/* ---- running -------------------------------------------------------- */

static int start(struct run *r, const struct config *cfg, suite_run_one run_one)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	r->out_fd = memfd_create("kvmrun-stdout", MFD_CLOEXEC);
	r->err_fd = memfd_create("kvmrun-stderr", MFD_CLOEXEC);
	if (null < 0 || r->out_fd < 0 || r->err_fd < 0) {
		perror("kvmrun: a suite run's output files");
		return -1;
	}
	fflush(stdout);                 /* nothing buffered goes to the child */
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->pid = fork();
	if (r->pid < 0) {
		perror("kvmrun: fork");
		return -1;
	}
	if (r->pid == 0) {
		struct config one = *cfg;

		if (dup2(null, 0) < 0 || dup2(r->out_fd, 1) < 0 || dup2(r->err_fd, 2) < 0)
			_exit(KVMRUN_STATUS_HOST);
		one.image = r->image;
		one.suite = one.tap = false;
		one.junit = NULL;
		fflush(NULL);
		_exit(run_one(&one) & 0xff);
	}
	close(null);
	return 0;
}

/* Up to max bytes of what fd holds, NUL-terminated (malloc'd). */
static char *slurp(int fd, size_t max, size_t *len, bool *cut)
{
	char *buf = malloc(max + 1);
	size_t n = 0;

	if (!buf)
		return NULL;
	while (n < max) {
		ssize_t k = pread(fd, buf + n, max - n, (off_t)n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	if (cut) {
		char c;

		*cut = n == max && pread(fd, &c, 1, (off_t)n) == 1;
	}
	return buf;
}

static void finish(struct run *r, int wstatus)
{
	struct timespec end;

	clock_gettime(CLOCK_MONOTONIC, &end);
	r->seconds = (double)(end.tv_sec - r->start.tv_sec) +
		     (double)(end.tv_nsec - r->start.tv_nsec) / 1e9;
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
		    KVMRUN_STATUS_SIGNAL + WTERMSIG(wstatus);
	r->out = slurp(r->out_fd, OUTPUT_KEPT, &r->out_len, &r->out_cut);
	r->err = slurp(r->err_fd, ERRORS_KEPT, NULL, NULL);
	close(r->out_fd);
	close(r->err_fd);
	r->done = true;
}

/* ---- what a run said ---------------------------------------------------- */

/*
 * kvmrun's line saying how a run ended, from its stderr, into buf: the
 * last "kvmrun: " line that is not a detail under it (the code at RIP,
 * the registers) nor a note.  Empty if there is none (a guest that chose
 * its exit status says nothing).
 */
static const char *ending_line(const char *text, char *buf, size_t size)
{
	static const char *const details[] = {
		"kvmrun: code at rip", "kvmrun: registers", "kvmrun: note", "kvmrun:  ",
	};
	const char *line = text;

	buf[0] = '\0';
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int len = (int)(nl ? nl - line : (ptrdiff_t)strlen(line));
		bool detail = false;

		for (unsigned i = 0; i < sizeof(details) / sizeof(details[0]); i++)
			detail |= strncmp(line, details[i], strlen(details[i])) == 0;
		if (strncmp(line, "kvmrun: ", 8) == 0 && !detail)
			snprintf(buf, size, "%.*s", len, line);
		line = nl ? nl + 1 : NULL;
	}
	return buf;
}

/*
 * The next "PASS: name", "FAIL: name" or "SKIP: name" line at or after
 * *p; its verdict and name (name_len bytes).  *p moves past it.
 */
static bool next_check(const char **p, enum verdict *v, const char **name, int *name_len)
{
	static const struct { const char *tag; enum verdict v; } tags[] = {
		{ "PASS: ", PASSED }, { "FAIL: ", FAILED }, { "SKIP: ", SKIPPED },
	};

	while (**p) {
		const char *line = *p, *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		*p = line + len + (nl ? 1 : 0);
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

static void tap_run(const struct run *r, struct totals *t)
{
	enum verdict v = verdict_of(r->status);
	const char *p = r->out, *name;
	enum verdict cv;
	int name_len;
	char line[512];

	printf("%s %u - %s", v == FAILED ? "not ok" : "ok", ++t->point, r->image);
	if (v == SKIPPED)
		printf(" # SKIP exit status %d", r->status);
	printf("\n");
	if (v == FAILED)
		printf("# exit status %d: %s\n", r->status,
		       ending_line(r->err ? r->err : "", line, sizeof(line)));
	while (p && next_check(&p, &cv, &name, &name_len)) {
		printf("%s %u - %s: %.*s%s\n", cv == FAILED ? "not ok" : "ok", ++t->point,
		       r->image, name_len, name, cv == SKIPPED ? " # SKIP" : "");
		t->checks[cv]++;
	}
}

static void plain_run(const struct run *r, struct totals *t)
{
	static const char *const word[] = { "ok     ", "FAIL   ", "SKIPPED" };
	enum verdict v = verdict_of(r->status), cv;
	const char *p = r->out, *name;
	int name_len;
	char line[512];

	if (r->out)
		fwrite(r->out, 1, r->out_len, stdout);
	fflush(stdout);
	fprintf(stderr, "kvmrun: %s %s (status %d, %.3f s)", word[v], r->image, r->status,
		r->seconds);
	if (v == FAILED)
		fprintf(stderr, ": %s", ending_line(r->err ? r->err : "", line, sizeof(line)));
	fprintf(stderr, "\n");
	while (p && next_check(&p, &cv, &name, &name_len)) {
		fprintf(stderr, "kvmrun:   %s %s: %.*s\n", word[cv], r->image, name_len, name);
		t->checks[cv]++;
	}
}

/* ---- JUnit ------------------------------------------------------------ */

/* XML text: markup escaped; bytes XML 1.0 does not allow (controls but
 * tab and newlines, and anything not ASCII, to stay valid) as '?'. */
static void xml_text(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			fputc((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e ?
			      '?' : c, f);
		}
	}
}

static void xml_attr(FILE *f, const char *name, const char *value, size_t len)
{
	fprintf(f, " %s=\"", name);
	xml_text(f, value, len);
	fputc('"', f);
}

static void junit_run(FILE *f, const struct run *r)
{
	enum verdict v = verdict_of(r->status), cv;
	const char *p = r->out, *name;
	int name_len;
	char line[512], msg[600];

	fputs("    <testcase", f);
	xml_attr(f, "classname", r->image, strlen(r->image));
	xml_attr(f, "name", r->image, strlen(r->image));
	fprintf(f, " time=\"%.6f\">\n", r->seconds);
	if (v == FAILED) {
		snprintf(msg, sizeof(msg), "exit status %d: %s", r->status,
			 ending_line(r->err ? r->err : "", line, sizeof(line)));
		fputs("      <failure", f);
		xml_attr(f, "message", msg, strlen(msg));
		fprintf(f, " type=\"%s\">", r->status == KVMRUN_STATUS_CRASH ? "crash" :
			r->status == KVMRUN_STATUS_TIMEOUT ? "limit" :
			r->status == KVMRUN_STATUS_HOST ? "kvmrun" :
			r->status > KVMRUN_STATUS_SIGNAL ? "signal" : "exit status");
		xml_text(f, r->err ? r->err : "", r->err ? strlen(r->err) : 0);
		fputs("</failure>\n", f);
	} else if (v == SKIPPED) {
		fprintf(f, "      <skipped message=\"exit status %d\"/>\n", r->status);
	}
	fputs("      <system-out>", f);
	xml_text(f, r->out ? r->out : "", r->out ? r->out_len : 0);
	if (r->out_cut)
		fputs("\n[kvmrun: output cut at 64 KiB]", f);
	fputs("</system-out>\n    </testcase>\n", f);
	while (p && next_check(&p, &cv, &name, &name_len)) {
		fputs("    <testcase", f);
		xml_attr(f, "classname", r->image, strlen(r->image));
		xml_attr(f, "name", name, (size_t)name_len);
		fputs(" time=\"0\"", f);
		if (cv == FAILED) {
			fputs(">\n      <failure message=\"FAIL\" type=\"check\"/>\n    </testcase>\n", f);
		} else if (cv == SKIPPED) {
			fputs(">\n      <skipped/>\n    </testcase>\n", f);
		} else {
			fputs("/>\n", f);
		}
	}
}

static int write_junit(const char *path, const struct run *runs, unsigned n,
		       const struct totals *t)
{
	FILE *f = fopen(path, "w");
	unsigned tests = n + t->checks[0] + t->checks[1] + t->checks[2];
	unsigned failures = t->runs[FAILED] + t->checks[FAILED];
	unsigned skipped = t->runs[SKIPPED] + t->checks[SKIPPED];

	if (!f) {
		fprintf(stderr, "kvmrun: --junit %s: cannot create it: %s\n", path, strerror(errno));
		return -1;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"kvmrun\" tests=\"%u\" failures=\"%u\" errors=\"0\" "
		"skipped=\"%u\" time=\"%.6f\">\n", tests, failures, skipped, t->seconds);
	fprintf(f, "  <testsuite name=\"kvmrun\" tests=\"%u\" failures=\"%u\" errors=\"0\" "
		"skipped=\"%u\" time=\"%.6f\">\n", tests, failures, skipped, t->seconds);
	for (unsigned i = 0; i < n; i++)
		junit_run(f, &runs[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (fclose(f) != 0) {
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
		t->seconds += r->seconds;
		if (cfg->tap)
			tap_run(r, t);
		else
			plain_run(r, t);
		fflush(stdout);
		(*next)++;
	}
}

int suite_run(const struct config *cfg, suite_run_one run_one)
{
	unsigned n = cfg->nr_images, started = 0, running = 0, reported = 0;
	struct run *runs = calloc(n, sizeof(*runs));
	struct totals t = { .point = 0 };
	int status = 0;

	if (!runs) {
		fprintf(stderr, "kvmrun: out of memory for the suite\n");
		return KVMRUN_STATUS_HOST;
	}
	if (cfg->tap)
		printf("TAP version 13\n");
	while (reported < n) {
		int wstatus;
		pid_t pid;

		while (running < cfg->jobs && started < n) {
			runs[started].image = cfg->images[started];
			if (start(&runs[started], cfg, run_one) < 0) {
				status = KVMRUN_STATUS_HOST;
				goto out;
			}
			started++;
			running++;
		}
		pid = waitpid(-1, &wstatus, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("kvmrun: waitpid");
			status = KVMRUN_STATUS_HOST;
			goto out;
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
	fprintf(stderr, "kvmrun: %u run%s: %u passed, %u failed, %u skipped", n,
		n == 1 ? "" : "s", t.runs[PASSED], t.runs[FAILED], t.runs[SKIPPED]);
	if (t.checks[0] + t.checks[1] + t.checks[2])
		fprintf(stderr, "; checks: %u passed, %u failed, %u skipped", t.checks[PASSED],
			t.checks[FAILED], t.checks[SKIPPED]);
	fprintf(stderr, "\n");
	if (cfg->junit && write_junit(cfg->junit, runs, n, &t) < 0)
		status = KVMRUN_STATUS_HOST;
	else if (t.runs[FAILED] || t.checks[FAILED])
		status = SUITE_FAILED_STATUS;
out:
	while (running > 0 && wait(NULL) > 0)
		running--;
	for (unsigned i = 0; i < n; i++) {
		free(runs[i].out);
		free(runs[i].err);
	}
	free(runs);
	return status;
}
