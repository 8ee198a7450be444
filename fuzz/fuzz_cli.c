/* SPDX-License-Identifier: MIT */
/*
 * cli_parse on fuzzed command lines.
 *
 * Input: arguments separated by NUL bytes (at most MAX_ARGS), each copied
 * to a heap buffer of exactly its size; "kvmrun" is prepended.  The same
 * command line is parsed twice, on fresh copies (getopt permutes argv and
 * keeps global state; cli_parse must reset it), and must give the same
 * answer both times.
 *
 * Checked: CLI_RUN means an image that is one of the arguments, a non-zero
 * RAM size, a timeout of at most a year, a valid ring and trace format,
 * entry 0 unless -e was given, --max-insns only with --trace insns, dumps
 * of at least a byte that do not wrap, registers that exist, and every
 * string in the config pointing into argv; CLI_USAGE_ERROR means a
 * non-empty, NUL-terminated message, and a message that names an option
 * names one that fits the complaint ("takes no argument" only for options
 * without one, "needs an argument" only for options with one, "unknown
 * option --x" never for a known option or an unambiguous abbreviation of
 * one).  The options are read from cli_usage()'s text (plus --kvm-device,
 * which only the README lists), so the help and the parser must agree.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz_common.h"

#define MAX_ARGS 24

struct cmdline {
	char *argv[MAX_ARGS + 2];
	char *owned[MAX_ARGS + 2];      /* getopt permutes argv: free these */
	int argc;
};

static void cmdline_build(struct cmdline *c, const uint8_t *data, size_t size)
{
	size_t pos = 0;

	c->argc = 0;
	c->owned[c->argc] = strdup("kvmrun");
	c->argv[c->argc] = c->owned[c->argc];
	c->argc++;
	while (pos < size && c->argc < MAX_ARGS + 1) {
		const uint8_t *nul = memchr(data + pos, 0, size - pos);
		size_t len = nul ? (size_t)(nul - (data + pos)) : size - pos;
		char *a = malloc(len + 1);

		if (!a)
			abort();
		memcpy(a, data + pos, len);
		a[len] = '\0';
		c->owned[c->argc] = a;
		c->argv[c->argc] = a;
		c->argc++;
		pos += len + 1;
	}
	c->argv[c->argc] = NULL;
	c->owned[c->argc] = NULL;
}

static void cmdline_free(struct cmdline *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		free(c->owned[i]);
}

struct longopt {
	char name[32];
	bool has_arg;
};

/*
 * The options, as cli_usage() documents them: each description line
 * ("  -m, --mem SIZE  ...", "      --regs  ...", "  -v, --verbose, --explain")
 * names its options; one that takes an argument has its placeholder after
 * a single space.  Read once, in LLVMFuzzerInitialize.
 */
static struct longopt longopts[64];
static unsigned NLONG;
static char short_with_arg[32], short_all[32];

static void learn_options(void)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	cli_usage(f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line, shortopt = 0;

		if (strncmp(p, "  ", 2))
			continue;
		while (*p == ' ')
			p++;
		if (*p != '-')
			continue;       /* a description's second line, or the synopsis */
		if (p[1] != '-' && p[1]) {       /* "-m, --mem" */
			shortopt = p[1];
			p += 2;
			if (*p == ',')
				p++;
			while (*p == ' ')
				p++;
		}
		while (p[0] == '-' && p[1] == '-' && NLONG < 64) {
			struct longopt *o = &longopts[NLONG++];
			size_t n = strcspn(p + 2, " ,");

			if (n >= sizeof(o->name))
				abort();
			memcpy(o->name, p + 2, n);
			o->name[n] = '\0';
			p += 2 + n;
			o->has_arg = p[0] == ' ' && p[1] && p[1] != ' ';
			if (shortopt) {
				size_t k = strlen(short_all);

				if (k + 1 < sizeof(short_all) && !strchr(short_all, shortopt)) {
					short_all[k] = shortopt;
					if (o->has_arg) {
						k = strlen(short_with_arg);
						short_with_arg[k] = shortopt;
					}
				}
			}
			if (*p == ',')
				p++;
			while (*p == ' ')
				p++;
		}
	}
	free(text);
	/* The README documents one option the help leaves out. */
	if (NLONG < 64) {
		snprintf(longopts[NLONG].name, sizeof(longopts[NLONG].name), "kvm-device");
		longopts[NLONG++].has_arg = true;
	}
	if (NLONG < 5 || !short_all[0]) {
		fprintf(stderr, "fuzz_cli: could not read the options from cli_usage()\n");
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	learn_options();
	return 0;
}

/*
 * The options getopt_long would take "--name" for: an exact match, or
 * every option name starts with (an abbreviation).  Returns how many
 * match; *exact is set for an exact match.
 */
static unsigned long_matches(const char *name, size_t len,
			     const struct longopt **match, bool *exact)
{
	unsigned i, n = 0;

	*exact = false;
	*match = NULL;
	for (i = 0; i < NLONG; i++) {
		if (strlen(longopts[i].name) == len &&
		    !strncmp(longopts[i].name, name, len)) {
			*exact = true;
			*match = &longopts[i];
			return 1;
		}
		if (!strncmp(longopts[i].name, name, len)) {
			n++;
			*match = &longopts[i];
		}
	}
	return n;
}

/* msg is "<prefix><name><suffix>": set *name and *len. */
static bool split_message(const char *msg, const char *prefix,
			  const char *suffix, const char **name, size_t *len)
{
	size_t n = strlen(msg), pl = strlen(prefix), sl = strlen(suffix);

	if (n < pl + sl || strncmp(msg, prefix, pl) ||
	    strcmp(msg + n - sl, suffix))
		return false;
	*name = msg + pl;
	*len = n - pl - sl;
	return true;
}

static void check_message(const struct cmdline *c, const char *msg)
{
	const struct longopt *m;
	const char *name, *p;
	bool exact;
	size_t len;
	int i;

	if (strlen(msg) >= ERROR_MSG_MAX - 1)
		return;         /* truncated: the name may be cut short */
	/* "option --NAME takes no argument": NAME takes none. */
	if (split_message(msg, "option --", " takes no argument", &name, &len))
		FUZZ_CHECK(long_matches(name, len, &m, &exact) == 1 && !m->has_arg,
			   "message \"%s\": --%.*s is not an option without an argument",
			   msg, (int)len, name);
	/* "option X needs an argument": X takes one. */
	if (split_message(msg, "option ", " needs an argument", &name, &len)) {
		if (len > 2 && name[0] == '-' && name[1] == '-') {
			FUZZ_CHECK(long_matches(name + 2, len - 2, &m, &exact) == 1 &&
				   m->has_arg, "message \"%s\": %.*s takes no argument",
				   msg, (int)len, name);
		} else {
			FUZZ_CHECK(len >= 2 && name[0] == '-' &&
				   strchr(short_with_arg, name[len - 1]),
				   "message \"%s\": %.*s is not a short option with an "
				   "argument", msg, (int)len, name);
		}
	}
	/* "unknown option --NAME[=...]": NAME is not an option, and it is
	 * an argument that was given.  ("unknown option --" alone is the
	 * short option '-', as in "-v-".) */
	if (!strncmp(msg, "unknown option --", 17) && msg[17]) {
		name = msg + 17;
		p = strchr(name, '=');
		len = p ? (size_t)(p - name) : strlen(name);
		FUZZ_CHECK(long_matches(name, len, &m, &exact) != 1,
			   "message \"%s\": --%.*s is a valid option", msg, (int)len, name);
		for (i = 1; i < c->argc; i++)
			if (!strcmp(c->owned[i], msg + 15))
				break;
		FUZZ_CHECK(i < c->argc, "message \"%s\" names no argument given", msg);
	}
	/* "unknown option -c": c is not one of kvmrun's short options. */
	if (!strncmp(msg, "unknown option -", 16) && msg[16] != '-' && msg[16])
		FUZZ_CHECK(!strchr(short_all, msg[16]),
			   "message \"%s\": -%c is a valid option", msg, msg[16]);
}

struct result {
	enum cli_action action;
	struct config cfg;
	char strings[8192];     /* what cfg's string pointers pointed at */
	struct error err;
};

/* Does p point into (or at the end of) one of the arguments? */
static bool in_argv(const struct cmdline *c, const char *p)
{
	int i;

	for (i = 1; i < c->argc; i++)
		if (p >= c->owned[i] && p <= c->owned[i] + strlen(c->owned[i]))
			return true;
	return false;
}

/* Every string the config points at: into argv, recorded, then dropped
 * (the second parse has other copies of argv). */
static void take_string(const struct cmdline *c, struct result *res,
			const char **field, const char *what)
{
	size_t n = strlen(res->strings);

	if (!*field) {
		snprintf(res->strings + n, sizeof(res->strings) - n, "%s=NULL;", what);
		return;
	}
	FUZZ_CHECK(in_argv(c, *field), "%s does not point into argv", what);
	snprintf(res->strings + n, sizeof(res->strings) - n, "%s=%s;", what, *field);
	*field = NULL;
}

static void parse_once(const uint8_t *data, size_t size, struct result *res)
{
	struct cmdline c;
	int i;

	cmdline_build(&c, data, size);
	memset(&res->err, 'X', sizeof(res->err));      /* no NUL to find */
	memset(&res->cfg, 0xa5, sizeof(res->cfg));
	res->action = cli_parse(c.argc, c.argv, &res->cfg, &res->err);

	FUZZ_CHECK(res->action == CLI_RUN || res->action == CLI_HELP ||
		   res->action == CLI_VERSION || res->action == CLI_USAGE_ERROR,
		   "cli_parse returned %d", (int)res->action);
	/* argv is still a permutation of what was passed. */
	for (i = 0; i < c.argc; i++) {
		int j;

		for (j = 0; j < c.argc && c.argv[j] != c.owned[i]; j++)
			;
		FUZZ_CHECK(j < c.argc, "argument %d vanished from argv", i);
	}
	FUZZ_CHECK(c.argv[0] == c.owned[0], "argv[0] moved");

	res->strings[0] = '\0';
	if (res->action == CLI_RUN) {
		struct config *cfg = &res->cfg;
		unsigned k;

		FUZZ_CHECK(cfg->image != NULL, "CLI_RUN without an image");
		for (i = 1; i < c.argc && cfg->image != c.owned[i]; i++)
			;
		FUZZ_CHECK(i < c.argc, "image is not one of the arguments");
		FUZZ_CHECK(cfg->mem_size != 0, "CLI_RUN with mem_size 0");
		FUZZ_CHECK(cfg->timeout_ns <= 365ULL * 24 * 3600 * 1000000000ULL,
			   "timeout %llu ns above a year",
			   (unsigned long long)cfg->timeout_ns);
		FUZZ_CHECK(cfg->ring == RING_AUTO || cfg->ring == RING_0 ||
			   cfg->ring == RING_3, "ring %d", (int)cfg->ring);
		FUZZ_CHECK(cfg->entry_set || cfg->entry == 0,
			   "entry %#llx without -e", (unsigned long long)cfg->entry);
		FUZZ_CHECK(!cfg->max_insns || cfg->trace_insns,
			   "--max-insns without --trace insns");
		FUZZ_CHECK(cfg->trace_format == TRACE_TEXT ||
			   cfg->trace_format == TRACE_JSONL, "trace format %d",
			   (int)cfg->trace_format);
		FUZZ_CHECK(cfg->nr_dumps <= CONFIG_MAX_DUMPS, "%u dumps", cfg->nr_dumps);
		for (k = 0; k < cfg->nr_dumps; k++) {
			const struct mem_dump *d = &cfg->dumps[k];

			FUZZ_CHECK(d->len >= 1 && d->addr + d->len - 1 >= d->addr,
				   "dump %u: %#llx, %llu bytes", k,
				   (unsigned long long)d->addr, (unsigned long long)d->len);
			FUZZ_CHECK(!d->file || d->file[0], "dump %u: empty file name", k);
			take_string(&c, res, &cfg->dumps[k].file, "dump file");
			take_string(&c, res, &cfg->dumps[k].arg, "dump arg");
		}
		FUZZ_CHECK(cfg->nr_sets <= CONFIG_MAX_SETS, "%u sets", cfg->nr_sets);
		for (k = 0; k < cfg->nr_sets; k++)
			FUZZ_CHECK(cfg->sets[k].reg < 16, "set %u: register %u", k,
				   cfg->sets[k].reg);
		take_string(&c, res, &cfg->image, "image");
		take_string(&c, res, &cfg->kvm_device, "kvm_device");
		take_string(&c, res, &cfg->report, "report");
		take_string(&c, res, &cfg->trace_file, "trace_file");
	} else if (res->action == CLI_USAGE_ERROR) {
		const char *end = memchr(res->err.msg, 0, sizeof(res->err.msg));

		FUZZ_CHECK(end != NULL, "error message not NUL-terminated");
		FUZZ_CHECK(end != res->err.msg, "empty error message");
		check_message(&c, res->err.msg);
	}
	cmdline_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result a, b;

	parse_once(data, size, &a);
	parse_once(data, size, &b);
	FUZZ_CHECK(a.action == b.action, "second parse: action %d, then %d",
		   (int)a.action, (int)b.action);
	if (a.action == CLI_RUN) {
		FUZZ_CHECK(!strcmp(a.strings, b.strings), "second parse: %s, then %s",
			   a.strings, b.strings);
		FUZZ_CHECK(!memcmp(&a.cfg, &b.cfg, sizeof(a.cfg)),
			   "second parse: other config");
	}
	if (a.action == CLI_USAGE_ERROR)
		FUZZ_CHECK(!strcmp(a.err.msg, b.err.msg),
			   "second parse: \"%s\", then \"%s\"", a.err.msg, b.err.msg);
	return 0;
}
