/* SPDX-License-Identifier: MIT */
/*
 * kvmrun's front end: parse the command line into a config, build a
 * machine from it, run it, say how the run ended (stderr, and the JSON
 * report if asked) and exit with the status the README's table gives.
 * The only file that exits.
 */
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "debug/core.h"
#include "debug/gdb.h"
#include "imagefmt.h"
#include "kvmrun/abi.h"
#include "loader.h"
#include "machine.h"
#include "observe/outcome.h"
#include "observe/report.h"
#include "run.h"
#include "speedups/cpuid_cache.h"
#include "speedups/snapshot.h"
#include "suite.h"

/* A file kvmrun writes: --report, --trace-file, --dump-mem ...:FILE. */
struct output {
	FILE *f;                        /* NULL: none; stderr for "-" */
	const char *what, *path;
	bool created;                   /* kvmrun made it: removed if unused */
	bool reported;                  /* a failure to write it was said */
	bool failed;                    /* ... and it failed before closing */
};

/* Everything the front end opened before the run, closed after it. */
struct outputs {
	struct output report, trace, dumps[CONFIG_MAX_DUMPS];
	uint8_t *image;                 /* kvmrun -: the image read from stdin */
	size_t image_size, image_map;   /* bytes read; bytes mapped for them */
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
 * Open a file kvmrun writes, before the run, so that a bad path is said
 * before the guest runs.  O_NONBLOCK: a FIFO with no reader is refused at
 * once instead of blocking in open(); writes then block as usual.  Not
 * truncated yet: the file may be the image itself, still to be read (see
 * truncate_output).  "-" is stderr.
 */
static int open_output(struct output *o, const char *path, const char *what,
		       const char *mode)
{
	int fd, flags;

	o->what = what;
	o->path = path;
	if (!path || strcmp(path, "-") == 0) {
		o->f = stderr;
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		  0666);
	o->created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 && errno == ENXIO) {
		fprintf(stderr, "kvmrun: %s: %s is a FIFO with no reader: start the "
			"reader first\n", what, path);
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "kvmrun: %s: cannot create %s: %s\n", what, path,
			strerror(errno));
		return -1;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 || !(o->f = fdopen(fd, mode))) {
		fprintf(stderr, "kvmrun: %s: cannot open %s: %s\n", what, path,
			strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

/* Empty a regular file before writing it (others need not be). */
static void truncate_output(struct output *o)
{
	struct stat st;

	if (!o->f || o->f == stderr || fstat(fileno(o->f), &st) < 0 ||
	    !S_ISREG(st.st_mode) || ftruncate(fileno(o->f), 0) == 0)
		return;
	fprintf(stderr, "kvmrun: %s: cannot empty %s: %s\n", o->what, o->path,
		strerror(errno));
	o->reported = o->failed = true;
}

/*
 * Close an output; -1 (and a message, unless one was said) if its data
 * was not all written.  A file kvmrun made for a run that never wrote it
 * (the setup failed) is removed again.
 */
static int close_output(struct output *o, bool unused)
{
	int r;

	if (!o->f || o->f == stderr)
		return 0;
	r = ferror(o->f) || o->failed ? -1 : 0;
	if (fclose(o->f) != 0 || r < 0) {
		if (!o->reported)
			fprintf(stderr, "kvmrun: %s: cannot write %s: %s\n", o->what,
				o->path, strerror(errno ? errno : EIO));
		r = -1;
	}
	if (unused && o->created)
		(void)unlink(o->path);
	o->f = NULL;
	return r;
}

static int open_outputs(const struct config *cfg, struct outputs *o)
{
	unsigned i;

	memset(o, 0, sizeof(*o));
	if (cfg->report && open_output(&o->report, cfg->report, "--report", "w") < 0)
		return -1;
	if ((cfg->trace_exits || cfg->trace_insns) &&
	    open_output(&o->trace, cfg->trace_file, "--trace-file", "w") < 0)
		return -1;
	for (i = 0; i < cfg->nr_dumps; i++)
		if (cfg->dumps[i].file &&
		    open_output(&o->dumps[i], cfg->dumps[i].file, "--dump-mem", "wb") < 0)
			return -1;
	return 0;
}

/*
 * Close everything; returns -1 if a report, trace or dump went unwritten.
 * ran: the guest ran (else files made for its trace and dumps go again).
 */
static int close_outputs(const struct config *cfg, struct outputs *o, bool ran)
{
	int r = 0;
	unsigned i;

	r |= close_output(&o->report, false);
	r |= close_output(&o->trace, !ran);
	for (i = 0; i < cfg->nr_dumps; i++)
		r |= close_output(&o->dumps[i], !ran);
	if (o->image)
		munmap(o->image, o->image_map);
	memset(o, 0, sizeof(*o));
	return r;
}

/*
 * kvmrun -: read the image from standard input into a mapping as large as
 * the RAM it may take (one byte more, to tell that it does not fit; pages
 * are allocated only as they are read).  Its format is checked as soon as
 * its first bytes are in, as a file's would be.  The run-ending signals
 * are blocked already, so they are looked for between reads: a writer that
 * never finishes cannot make kvmrun deaf.  Returns 0, a signal number, or
 * -1 after printing why.
 */
static int read_stdin_image(const struct config *cfg, struct outputs *o)
{
	const struct timespec zero = { 0, 0 };
	bool checked = false;
	struct memmap mm;
	struct error err;
	uint64_t max;
	sigset_t set;
	void *p;

	if (memmap_init(&mm, cfg->mem_size, &err) < 0) {
		fprintf(stderr, "kvmrun: %s\n", err.msg);
		return -1;
	}
	max = memmap_ram_left(&mm, cfg->load_addr);
	p = mmap(NULL, max + 1, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "kvmrun: cannot map memory for the image: %s\n",
			strerror(errno));
		return -1;
	}
	o->image = p;
	o->image_map = max + 1;
	clock_run_signals(&set);
	for (;;) {
		struct pollfd pfd = { .fd = 0, .events = POLLIN };
		size_t room = o->image_map - o->image_size;
		ssize_t n = 0;
		int sig;

		/* No timer runs yet: any signal here, SIGALRM too, is one
		 * someone sent. */
		if ((sig = sigtimedwait(&set, NULL, &zero)) > 0)
			return sig;
		if (poll(&pfd, 1, 100) == 0)
			continue;
		if (room)
			n = read(0, o->image + o->image_size, room < (1u << 20) ? room : 1u << 20);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			fprintf(stderr, "kvmrun: cannot read the image from standard "
				"input: %s\n", strerror(errno));
			return -1;
		}
		o->image_size += (size_t)n;
		if (!checked && (n == 0 || o->image_size >= IMAGEFMT_HEAD)) {
			checked = true;
			if (o->image_size && loader_check_format(o->image, o->image_size,
					"(standard input)", cfg->format, &err) < 0) {
				fprintf(stderr, "kvmrun: %s\n", err.msg);
				return -1;
			}
		}
		if (o->image_size > max) {
			fprintf(stderr, "kvmrun: image (standard input) does not fit in RAM "
				"at %#llx (more than the %llu bytes of RAM from there; use "
				"--mem)\n", (unsigned long long)cfg->load_addr,
				(unsigned long long)max);
			return -1;
		}
		if (n == 0)
			return 0;
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

/*
 * Let the run-ending signals end kvmrun by their default action again, as
 * they would any program: for what is written after the run, or after a
 * setup that failed, when the file written to might block.  SIGALRM is
 * ignored first: one kvmrun's own timer left pending must not end it.
 * SIGXFSZ stays blocked (below).
 */
static void let_signals_in(sigset_t *set)
{
	signal(SIGALRM, SIG_IGN);
	clock_run_signals(set);
	sigdelset(set, SIGALRM);
	/* Past a file size limit a write then fails (EFBIG) and is said;
	 * SIGXFSZ let in would end kvmrun without a word. */
	sigdelset(set, SIGXFSZ);
	(void)sigprocmask(SIG_UNBLOCK, set, NULL);
}

/* The setup failed (err says why): say so, report it, give the status. */
static int setup_failed(const struct config *cfg, struct outputs *o,
			const struct report_image *image, uint64_t t_start,
			const char *msg, int status)
{
	struct report_times times = { .total_us = now_us() - t_start };
	sigset_t set;

	let_signals_in(&set);

	fprintf(stderr, "kvmrun: %s\n", msg);
	if (o->report.f && report_write(o->report.f, cfg, NULL, image, NULL, status,
					&times, msg) < 0) {
		fprintf(stderr, "kvmrun: --report: cannot write %s: %s\n", cfg->report,
			strerror(errno ? errno : EIO));
		o->report.reported = true;
	}
	(void)close_outputs(cfg, o, false);
	return status;
}

/*
 * A trace that failed, or was left unwritten, when the guest ended by
 * itself is kvmrun's failure; after a limit or a signal, a loss to say.
 */
static void trace_outcome(struct machine *m, const struct config *cfg,
			  struct run_result *res)
{
	const char *file = cfg->trace_file ? cfg->trace_file : "(stderr)";
	char why[200];

	if ((!m->obs.tracer.error && !res->trace_unwritten) || res->end == RUN_END_HOST_ERROR)
		return;
	if (m->obs.tracer.error)
		snprintf(why, sizeof(why), "cannot write the trace: %s",
			 strerror(m->obs.tracer.error));
	else
		snprintf(why, sizeof(why), "%llu bytes of the trace were not "
			 "written (it stayed blocked)",
			 (unsigned long long)res->trace_unwritten);
	if (res->end == RUN_END_TIMEOUT || res->end == RUN_END_SIGNAL) {
		fprintf(m->out.log, "kvmrun: --trace-file %s: %s\n", file, why);
	} else {
		error_set(&res->host_error, "--trace-file %s: %s", file, why);
		res->end = RUN_END_HOST_ERROR;
		res->status = KVMRUN_STATUS_HOST;
	}
}

/* What the report says of the image: the file as loaded (the loader hashed
 * it when --report asked), or nothing if it never was. */
static void report_image_of(const struct loaded_image *img, struct report_image *image)
{
	image->size = img->file_size;
	image->format = img->format;
	memcpy(image->sha256, img->sha256, sizeof(image->sha256));
}

/* --report, once the ending's lines are queued: -1 if it cannot be written. */
static int write_report(struct machine *m, const struct config *cfg, struct outputs *out,
			const struct report_image *image, const struct run_result *res,
			int status, const char *first_line, struct report_times times)
{
	if (out->report.f == stderr)
		/* room for it in the queue */
		output_flush_log(&m->out, res->drain_wait_s, res->drain_signal != 0);
	if (report_write(out->report.f == stderr ? m->out.log : out->report.f, cfg, m,
			 image, res, status, &times,
			 first_line && *first_line ? first_line : NULL) < 0) {
		fprintf(m->out.log, "kvmrun: --report: cannot write %s: %s\n",
			cfg->report, strerror(errno ? errno : EIO));
		out->report.reported = true;
		return -1;
	}
	return 0;
}

/*
 * --core FILE: the guest's registers (at the fault, for a crash) and RAM.
 * A core that cannot be written ends the run as kvmrun's failure (125),
 * as a --dump-mem file does.
 */
static void write_core(struct machine *m, const struct config *cfg, struct run_result *res)
{
	struct kvm_fpu fpu;
	struct error err;
	struct core_state st = {
		.regs = &res->regs, .sregs = &res->sregs, .mem = &m->vm.mem,
		.signo = gdb_crash_signal(res),
	};
	int fd;

	if (!res->have_regs) {
		error_set(&err, "--core %s: the guest's registers could not be read", cfg->core);
		goto failed;
	}
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_GET_FPU, &fpu, &err) == 0)
		st.fpu = &fpu;
	fd = open(cfg->core, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		error_errno(&err, errno, "--core %s: cannot create it", cfg->core);
		goto failed;
	}
	if (core_write(fd, &st, &err) < 0) {
		close(fd);
		unlink(cfg->core);      /* no half a core to mislead gdb */
		goto failed;
	}
	if (close(fd) < 0) {
		error_errno(&err, errno, "--core %s: cannot write it", cfg->core);
		goto failed;
	}
	if (!cfg->quiet) {
		output_start_log_line(&m->out);
		fprintf(m->out.log, "kvmrun: core written to %s (gdb %s %s)\n", cfg->core,
			cfg->image, cfg->core);
	}
	return;
failed:
	ending_host(res, &err);
}

/* --gdb: where gdb connects, and how (the front end says it). */
static void tell_gdb(struct machine *m, const struct config *cfg)
{
	bool unix_socket = m->gdb.unix_path[0] != '\0';

	output_start_log_line(&m->out);
	fprintf(m->out.log, "kvmrun: gdb: listening on %s%s; connect with: gdb -ex "
		"'target remote %s' %s\n", unix_socket ? "Unix socket " : "",
		m->gdb.where, m->gdb.where, cfg->image);
	if (!m->gdb.loopback)
		fprintf(m->out.log, "kvmrun: gdb: warning: %s is not loopback: other "
			"machines can connect and control the guest\n", m->gdb.where);
	if (!cfg->gdb_no_wait)
		fprintf(m->out.log, "kvmrun: gdb: the guest waits for gdb before its "
			"first instruction (--gdb-wait=no: run at once)\n");
	if (cfg->verbose)
		fprintf(m->out.log, "kvmrun: gdb: %s; no hardware watchpoints (%s): "
			"`set can-use-hw-watchpoints 0` watches by stepping; `monitor "
			"debug` tells more\n", cfg->mode != MODE_LONG ?
			"breakpoints by KVM's single-step to their address (no kvmrun IDT "
			"in real or protected mode)" : m->vm.kvm.pvm || cfg->gdb_via_idt ?
			"breakpoints are int3s and steps set TF, both caught in kvmrun's IDT" :
			"breakpoints are int3s and steps KVM's own (KVM_SET_GUEST_DEBUG)",
			m->vm.kvm.pvm ? "kvm_pvm does not fire data breakpoints" :
			"kvmrun does not use the debug registers yet");
}

/* Room for one more element of size bytes in v, which holds n of *room:
 * v itself, or v moved to a larger block, or NULL (v is then unchanged). */
static void *room_for_one(void *v, size_t n, size_t *room, size_t size)
{
	size_t more = *room ? 2 * *room : 64;

	if (n < *room)
		return v;
	v = realloc(v, more * size);
	if (v)
		*room = more;
	return v;
}

/*
 * --input PATH...: the files to run with, in order: each PATH that is a
 * file, and the regular files in each PATH that is a directory (sorted by
 * name).  Sets cfg->inputs, nr_inputs, input_max and repeat.
 */
static int list_inputs(struct config *cfg)
{
	size_t room = 0, n = 0;
	char **v = NULL;

	for (unsigned i = 0; i < cfg->nr_input_paths; i++) {
		const char *path = cfg->input_paths[i];
		struct dirent **names = NULL;
		struct stat st, file_st;
		int count = 1;
		bool dir;

		if (stat(path, &st) < 0) {
			fprintf(stderr, "kvmrun: --input %s: %s\n", path, strerror(errno));
			goto failed;
		}
		dir = S_ISDIR(st.st_mode);
		if (!dir && !S_ISREG(st.st_mode)) {
			fprintf(stderr, "kvmrun: --input %s: not a file or directory\n", path);
			goto failed;
		}
		if (dir && (count = scandir(path, &names, NULL, alphasort)) < 0) {
			fprintf(stderr, "kvmrun: --input %s: %s\n", path, strerror(errno));
			goto failed;
		}
		for (int k = 0; k < count; k++) {
			char *file = NULL;
			void *grown;

			if (!dir)
				file = strdup(path);
			else if (asprintf(&file, "%s/%s", path, names[k]->d_name) < 0)
				file = NULL;
			if (dir)
				free(names[k]);
			if (!file || !(grown = room_for_one(v, n, &room, sizeof(*v)))) {
				free(file);
				while (dir && ++k < count)
					free(names[k]);
				free(names);
				goto nomem;
			}
			v = grown;
			/* In a directory, only its regular files count. */
			if (stat(file, &file_st) < 0 || !S_ISREG(file_st.st_mode)) {
				free(file);
				continue;
			}
			if ((uint64_t)file_st.st_size > cfg->input_max)
				cfg->input_max = (uint64_t)file_st.st_size;
			v[n++] = file;
		}
		free(names);
	}
	if (n == 0) {
		fprintf(stderr, "kvmrun: --input: no files to run with\n");
		goto failed;
	}
	if (!cfg->input_max)
		cfg->input_max = 1;     /* empty inputs still get a place */
	cfg->inputs = v;
	cfg->nr_inputs = (unsigned)n;
	cfg->repeat = n;
	return 0;
nomem:
	fprintf(stderr, "kvmrun: --input: out of memory\n");
failed:
	while (n)
		free(v[--n]);
	free(v);
	return -1;
}

/* A line of text: no NUL inside (getline read len bytes), nothing but
 * printable characters and blanks, so that a message may quote it. */
static bool text_line(const char *line, size_t len)
{
	if (strlen(line) != len)
		return false;
	for (; *line; line++)
		if (!isprint((unsigned char)*line) && !isspace((unsigned char)*line))
			return false;
	return true;
}

/*
 * --sets FILE: one run a line, each line's REG=VALUE words (blank lines and
 * lines starting with # are not runs).  Sets cfg->run_sets (where each
 * run's settings are in cfg->run_set_values), nr_run_sets and repeat; with
 * --input there must be as many lines as files.
 */
static int read_run_sets(struct config *cfg)
{
	FILE *f = fopen(cfg->sets_path, "re");
	char *line = NULL, *save, *word;
	size_t cap = 0, room = 0, vals_room = 0, nr_vals = 0;
	ssize_t len;
	unsigned n = 0, lineno = 0;
	struct run_sets *runs = NULL;
	struct reg_set *vals = NULL;
	void *grown;
	struct error err = { "" };

	if (!f) {
		fprintf(stderr, "kvmrun: --sets %s: %s\n", cfg->sets_path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (!text_line(line, (size_t)len)) {
			error_set(&err, "not a line of text (a NUL or a control character)");
			goto bad_line;
		}
		word = strtok_r(line, " \t\r\n", &save);
		if (!word || *word == '#')
			continue;
		if (!(grown = room_for_one(runs, n, &room, sizeof(*runs))))
			goto no_memory;
		runs = grown;
		runs[n] = (struct run_sets){ .first = nr_vals };
		for (; word; word = strtok_r(NULL, " \t\r\n", &save)) {
			if (runs[n].nr_sets == CONFIG_MAX_SETS) {
				error_set(&err, "at most %d settings a line", CONFIG_MAX_SETS);
				goto bad_line;
			}
			if (!(grown = room_for_one(vals, nr_vals, &vals_room, sizeof(*vals))))
				goto no_memory;
			vals = grown;
			if (cli_parse_reg_set("", word, &vals[nr_vals], &err) < 0)
				goto bad_line;
			nr_vals++;
			runs[n].nr_sets++;
		}
		n++;
	}
	if (ferror(f)) {
		error_set(&err, "%s", strerror(errno));
		goto failed;
	}
	if (n == 0) {
		error_set(&err, "no runs in it (one line of REG=VALUE words per run)");
		goto failed;
	}
	if (cfg->nr_inputs && n != cfg->nr_inputs) {
		error_set(&err, "%u run%s, but --input gives %u file%s (one line per file)",
			  n, n == 1 ? "" : "s", cfg->nr_inputs, cfg->nr_inputs == 1 ? "" : "s");
		goto failed;
	}
	free(line);
	fclose(f);
	cfg->run_sets = runs;
	cfg->run_set_values = vals;
	cfg->nr_run_sets = n;
	cfg->repeat = n;
	return 0;
no_memory:
	error_set(&err, "out of memory");
	goto failed;
bad_line:
	fprintf(stderr, "kvmrun: --sets %s, line %u: %s\n", cfg->sets_path, lineno, err.msg);
	goto give_up;
failed:
	fprintf(stderr, "kvmrun: --sets %s: %s\n", cfg->sets_path, err.msg);
give_up:
	free(line);
	free(runs);
	free(vals);
	fclose(f);
	return -1;
}

/* What list_inputs and read_run_sets allocated. */
static void free_run_lists(struct config *cfg)
{
	for (unsigned i = 0; i < cfg->nr_inputs; i++)
		free(cfg->inputs[i]);
	free(cfg->inputs);
	free(cfg->run_sets);
	free(cfg->run_set_values);
	cfg->inputs = NULL;
	cfg->run_sets = NULL;
	cfg->run_set_values = NULL;
	cfg->nr_inputs = cfg->nr_run_sets = 0;
}

/* One image, run more than once: --repeat, --input or --sets. */
static bool runs_many(const struct config *cfg)
{
	return cfg->repeat > 1 || cfg->nr_inputs || cfg->nr_run_sets;
}

/*
 * Put input k's bytes where the boot info says, and its size there.
 * Returns 0, or -1 with err set.
 */
static int load_input(struct machine *m, const struct config *cfg, uint64_t k,
		      struct error *err)
{
	struct kvmrun_bootinfo *bi = memmap_gpa(&m->vm.mem, KVMRUN_BOOTINFO_ADDR, sizeof(*bi));
	uint8_t *at = memmap_gpa(&m->vm.mem, m->vm.input_gpa, cfg->input_max);
	int fd = open(cfg->inputs[k], O_RDONLY | O_CLOEXEC);
	uint64_t n = 0;

	if (!bi || !at)
		return error_set(err, "--input: the input area is outside RAM");
	if (fd < 0)
		return error_errno(err, errno, "--input %s: cannot open it", cfg->inputs[k]);
	while (n < cfg->input_max) {
		ssize_t r = read(fd, at + n, cfg->input_max - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			return error_errno(err, e, "--input %s: cannot read it", cfg->inputs[k]);
		}
		if (r == 0)
			break;
		n += (uint64_t)r;
	}
	close(fd);
	memset(at + n, 0, cfg->input_max - n);  /* no bytes of the last input */
	bi->input_addr = m->vm.input_gpa;
	bi->input_size = n;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * --repeat N: the image's runs in one VM, reset to its snapshot between
 * them (speedups/snapshot.h).  A run that does not end with status 0 (any
 * run, with -v) gets a line on stderr; the last ends as a single run does
 * (res), after a line of totals.  Returns the status of the first run that did not end with 0,
 * or 0.
 */
static int run_repeated(struct machine *m, const struct config *cfg,
			struct run_result *res, struct error *err)
{
	struct snapshot snap = SNAPSHOT_NONE;
	uint64_t n = cfg->repeat, k, kept = 0, bad = 0, t0 = now_us();
	uint64_t keep = n < REPEAT_KEPT ? n : REPEAT_KEPT;     /* runs recorded */
	uint64_t *reset_us = malloc(keep * sizeof(*reset_us));
	uint64_t *dirty = malloc(keep * sizeof(*dirty));
	struct repeat_result *results = calloc(keep, sizeof(*results));
	int first_bad = 0;

	m->repeat.results = results;    /* freed by main, after the report */
	if (!reset_us || !dirty || !results || snapshot_take(m, &snap, err) < 0) {
		snapshot_fini(&snap);
		if (!reset_us || !dirty || !results)
			error_set(err, "--repeat: out of memory");
		memset(res, 0, sizeof(*res));
		ending_host(res, err);
		free(reset_us);
		free(dirty);
		return KVMRUN_STATUS_HOST;
	}
	m->repeat.snap = &snap;         /* the guest may move it (run.c) */
	for (k = 1; ; k++) {
		/* --max-output is per run: the console counts on. */
		uint64_t run0 = now_us();

		if (cfg->nr_inputs && load_input(m, cfg, k - 1, err) < 0) {
			ending_host(res, err);
			break;
		}
		if (cfg->nr_run_sets) {
			m->repeat.run_sets = cfg->run_set_values + cfg->run_sets[k - 1].first;
			m->repeat.nr_run_sets = cfg->run_sets[k - 1].nr_sets;
		}
		if (m->repeat.run_sets && cpu_set_gprs(&m->vm.kvm, m->repeat.run_sets,
						       m->repeat.nr_run_sets, err) < 0) {
			ending_host(res, err);
			break;
		}

		if (cfg->max_output)
			m->out.console.max_out = m->out.console.queued + cfg->max_output;
		run_machine(m, res, err);
		if (k <= REPEAT_KEPT)
			results[m->repeat.nr_results++] = (struct repeat_result){
				.status = res->status, .end = res->end, .exits = res->exits,
				.us = now_us() - run0,
			};
		if (!first_bad && res->status)
			first_bad = res->status;
		/* Output a run could not hand over ends the repeats: the next
		 * run's reset would change what is still queued. */
		if (k == n || res->end == RUN_END_SIGNAL || res->end == RUN_END_OUTPUT_CLOSED ||
		    res->end == RUN_END_HOST_ERROR || res->output_unwritten)
			break;
		if (res->status)
			bad++;
		if (res->status || cfg->verbose) {      /* quiet while all is well */
			output_start_log_line(&m->out);
			fprintf(m->out.log, "kvmrun: run %llu of %llu%s%s%s: %s, status %d\n",
				(unsigned long long)k, (unsigned long long)n,
				cfg->nr_inputs ? " (input " : "",
				cfg->nr_inputs ? cfg->inputs[k - 1] : "",
				cfg->nr_inputs ? ")" : "",
				ending_name(res->end), res->status);
		}
		uint64_t r0 = now_us();

		if (snapshot_restore(m, &snap, err) < 0) {
			ending_host(res, err);
			k++;            /* counted as the run it kept from starting */
			break;
		}
		m->repeat.dirty_total += snap.dirty_pages;
		if (k <= REPEAT_KEPT) {
			results[k - 1].reset = true;
			results[k - 1].dirty_pages = snap.dirty_pages;
		}
		if (kept < REPEAT_KEPT) {
			reset_us[kept] = now_us() - r0;
			dirty[kept++] = snap.dirty_pages;
		}
	}
	uint64_t took_us = now_us() - t0;

	bad += res->status != 0;
	m->repeat.runs = k;
	m->repeat.total_us = took_us;
	if (kept) {
		qsort(reset_us, kept, sizeof(*reset_us), cmp_u64);
		m->repeat.reset_median_us = reset_us[kept / 2];
		m->repeat.reset_p99_us = reset_us[kept * 99 / 100];
		qsort(dirty, kept, sizeof(*dirty), cmp_u64);
		m->repeat.dirty_median = dirty[kept / 2];
		m->repeat.dirty_max = dirty[kept - 1];
	}
	if (!cfg->quiet) {              /* the totals: a note, which -q drops */
		output_start_log_line(&m->out);
		fprintf(m->out.log, "kvmrun: %llu of %llu runs, %llu not ending with "
			"status 0, in %.3f s (%.0f runs/s)", (unsigned long long)k,
			(unsigned long long)n, (unsigned long long)bad, (double)took_us / 1e6,
			(double)k * 1e6 / (double)(took_us ? took_us : 1));
		if (kept)
			fprintf(m->out.log, "; reset median %llu us, p99 %llu us; dirty "
				"pages per reset: median %llu, most %llu",
				(unsigned long long)m->repeat.reset_median_us,
				(unsigned long long)m->repeat.reset_p99_us,
				(unsigned long long)m->repeat.dirty_median,
				(unsigned long long)m->repeat.dirty_max);
		fprintf(m->out.log, "\n");
	}
	m->repeat.snap = NULL;
	snapshot_fini(&snap);
	free(reset_us);
	free(dirty);
	return first_bad;
}

/*
 * Run one image, from its files to its last line: the whole of kvmrun for
 * one guest.  Returns the exit status.
 */
static int run_image(const struct config *given, bool stdout_closed)
{
	uint64_t t_start = now_us(), t_setup, t_run;
	struct report_image image = { 0 };
	struct machine *m;
	struct run_result res;
	struct config cfg = *given;
	struct error err = { "" };
	struct machine_io io;
	struct outputs out;
	char *text, *first_line = NULL;
	char cache_path[4096];
	FILE *dump_files[CONFIG_MAX_DUMPS] = { NULL };
	unsigned i;
	sigset_t set;
	int status;

	cfg.cpuid_cache_off = "--no-cpuid-cache";
	if (!cfg.no_cpuid_cache &&
	    cpuid_cache_path(cache_path, sizeof(cache_path),
			     secure_getenv("KVMRUN_CACHE_DIR"), secure_getenv("XDG_RUNTIME_DIR"),
			     secure_getenv("XDG_CACHE_HOME"), secure_getenv("HOME"),
			     &cfg.cpuid_cache_off))
		cfg.cpuid_cache = cache_path;

	/* A closed stdout shows up as EPIPE from write(), not as a death. */
	signal(SIGPIPE, SIG_IGN);
	/* Signals that end the run wait, blocked, until KVM_RUN lets them in
	 * (or kvmrun looks for them while it waits for something). */
	clock_run_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		perror("kvmrun: sigprocmask");
		return KVMRUN_STATUS_HOST;
	}
	if (open_outputs(&cfg, &out) < 0) {
		(void)close_outputs(&cfg, &out, false);
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
			(void)close_outputs(&cfg, &out, false);
			return KVMRUN_STATUS_HOST;
		}
	}

	m = malloc(sizeof(*m));         /* machine_create initialises it */
	if (!m)
		return setup_failed(&cfg, &out, &image, t_start, "out of memory",
				    KVMRUN_STATUS_HOST);
	io = (struct machine_io){
		.log = stderr, .narrate = cfg.verbose ? stderr : NULL, .trace = out.trace.f,
		.stdout_closed = stdout_closed,
		.image_data = out.image, .image_size = out.image_size,
	};
	if (machine_create(m, &cfg, &io, &err) < 0) {
		report_image_of(&m->vm.image, &image);    /* if it was loaded */
		free(m);
		return setup_failed(&cfg, &out, &image, t_start, err.msg,
				    KVMRUN_STATUS_HOST);
	}
	report_image_of(&m->vm.image, &image);
	if (cfg.gdb)
		tell_gdb(m, &cfg);
	/* The image is loaded: the files kvmrun writes may be emptied now. */
	truncate_output(&out.report);
	truncate_output(&out.trace);
	t_setup = now_us();
	status = 0;
	if (runs_many(&cfg))
		status = run_repeated(m, &cfg, &res, &err);
	else
		run_machine(m, &res, &err);     /* every ending is in res */
	t_run = now_us();
	/* From here a signal simply ends kvmrun (and no timer of kvmrun's
	 * runs any more): what is left, the ending's lines, the report and
	 * the dumps, cannot hold it when what they are written to blocks. */
	let_signals_in(&set);

	if (cfg.core && (res.status == KVMRUN_STATUS_CRASH || cfg.core_always))
		write_core(m, &cfg, &res);

	/* Dumps first: if one fails, the report must say so too.  Hex dumps,
	 * like every line from here on, go out on the machine's queue for
	 * stderr (m->out.log), which never blocks kvmrun. */
	for (i = 0; i < cfg.nr_dumps; i++) {
		truncate_output(&out.dumps[i]);
		dump_files[i] = out.dumps[i].f;
	}
	if (outcome_dump_mem(m->out.log, m, dump_files, &err) < 0) {
		res.host_error = err;
		res.end = RUN_END_HOST_ERROR;
		res.status = KVMRUN_STATUS_HOST;
		for (i = 0; i < cfg.nr_dumps; i++)
			out.dumps[i].reported = true;   /* the ending says it */
	}
	trace_outcome(m, &cfg, &res);
	out.trace.reported = m->obs.tracer.error != 0 || res.trace_unwritten;
	/* --repeat: the first run that did not end with 0 sets the status. */
	if (!runs_many(&cfg) || status == 0 ||
	    res.status == KVMRUN_STATUS_HOST ||
	    res.end == RUN_END_SIGNAL || res.end == RUN_END_OUTPUT_CLOSED)
		status = res.status;
	/* The report quotes the ending's line: capture it then. */
	text = describe_outcome(m, &res);
	if (text && *text) {
		output_start_log_line(&m->out);
		fputs(text, m->out.log);
		/* The ending's own line: there is none for a clean hlt or exit
		 * device unless -v explains it. */
		if ((res.end != RUN_END_HLT && res.end != RUN_END_EXIT_DEVICE) || cfg.verbose)
			first_line = strndup(text, strcspn(text, "\n"));
	}
	if (out.report.f &&
	    write_report(m, &cfg, &out, &image, &res, status, first_line,
			 (struct report_times){ .setup_us = t_setup - t_start,
						.run_us = t_run - t_setup,
						.total_us = now_us() - t_start }) < 0)
		status = KVMRUN_STATUS_HOST;
	output_flush_log(&m->out, res.drain_wait_s, res.drain_signal != 0);
	free(first_line);
	free(text);
	free(m->repeat.results);
	machine_destroy(m);
	free(m);
	if (close_outputs(&cfg, &out, true) < 0)
		status = KVMRUN_STATUS_HOST;
	return status;
}

/*
 * --list FILE: the images given, then one per line of FILE (blank lines
 * and lines starting with '#' skipped, surrounding blanks trimmed).  The
 * new array of names (*names, to free) replaces cfg->images; the strings
 * are never freed (they live as long as kvmrun).
 */
static int read_list(struct config *cfg, char ***names)
{
	FILE *f = fopen(cfg->list, "r");
	char *line = NULL;
	size_t cap = 0, n = cfg->nr_images, room = n + 16;
	char **v = malloc(room * sizeof(*v));
	void *grown;

	if (!f || !v) {
		fprintf(stderr, "kvmrun: --list %s: %s\n", cfg->list,
			f ? "out of memory" : strerror(errno));
		if (f)
			fclose(f);
		free(v);
		return -1;
	}
	memcpy(v, cfg->images, n * sizeof(*v));
	while (getline(&line, &cap, f) >= 0) {
		char *s = line + strspn(line, " \t"), *e = s + strlen(s);

		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*s || *s == '#')
			continue;
		if (strcmp(s, CONFIG_IMAGE_STDIN) == 0) {
			fprintf(stderr, "kvmrun: --list %s: image '-' (standard input) cannot "
				"be one of a suite's images\n", cfg->list);
			goto failed;
		}
		grown = room_for_one(v, n, &room, sizeof(*v));
		if (grown)
			v = grown;
		if (!grown || !(v[n] = strdup(s))) {
			fprintf(stderr, "kvmrun: --list %s: out of memory\n", cfg->list);
			goto failed;
		}
		n++;
	}
	if (ferror(f) || n == 0) {
		fprintf(stderr, "kvmrun: --list %s: %s\n", cfg->list,
			ferror(f) ? "cannot read it" : "no images in it");
		goto failed;
	}
	free(line);
	fclose(f);
	cfg->images = v;
	cfg->nr_images = (unsigned)n;
	*names = v;
	return 0;
failed:
	free(line);
	fclose(f);
	free(v);
	return -1;
}

/* One of a suite's runs, in a child whose stdout is a file (suite.c). */
static int run_in_suite(const struct config *cfg)
{
	return run_image(cfg, false);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct error err = { "" };
	bool stdout_closed;
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
	if (cfg.suite) {                /* several images: suite.h */
		char **listed = NULL;

		if (cfg.list && read_list(&cfg, &listed) < 0)
			return KVMRUN_STATUS_HOST;
		status = suite_run(&cfg, run_in_suite);
		free(listed);
		return status;
	}
	cfg.image = cfg.images[0];
	if ((cfg.nr_input_paths && list_inputs(&cfg) < 0) ||
	    (cfg.sets_path && read_run_sets(&cfg) < 0)) {
		free_run_lists(&cfg);
		return KVMRUN_STATUS_HOST;
	}
	status = run_image(&cfg, stdout_closed);
	free_run_lists(&cfg);
	return status;
}
