/* SPDX-License-Identifier: MIT */
/*
 * A streaming JSON writer (RFC 8259) for the machine-readable run report
 * and the JSON-lines trace.  Values go straight to a FILE *, pretty-printed
 * with two-space indentation (json_init) or all on one line with no spaces
 * (json_init_line, for JSON Lines):
 *
 *	struct json j;
 *
 *	json_init(&j, stdout);
 *	json_object_begin(&j, NULL);
 *	json_string(&j, "status", "exit");
 *	json_array_begin(&j, "codes");
 *	json_u64(&j, NULL, 0);
 *	json_array_end(&j);
 *	json_object_end(&j);
 *	if (json_finish(&j) < 0)
 *		... j.why says what went wrong ...
 *
 * Every value takes a key: the member name inside an object, NULL at the
 * top level and inside an array.
 *
 * The output is valid JSON whatever the caller does.  Strings are byte
 * strings: printable ASCII is written as is and every other byte as an
 * escape, reading bytes >= 0x80 as Latin-1 (U+0080..U+00FF), so the output
 * is plain ASCII even for guest data that is not UTF-8.  A misuse is
 * recorded in why and reported by json_finish, and the output stays valid:
 *  - a key inside an array or at the top level is ignored;
 *  - a value without a key inside an object, a second top-level value and
 *    a container nested deeper than JSON_MAX_DEPTH are left out (with
 *    everything inside them);
 *  - an end of the wrong kind closes the container that is open, an end
 *    with none open is ignored;
 *  - json_finish closes whatever is still open, and writes null if no
 *    value was written at all.
 */
#ifndef KVMRUN_JSON_H
#define KVMRUN_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH  16      /* objects and arrays open at once */

struct json {
	FILE *out;
	unsigned depth;                 /* containers open (and written) */
	bool first[JSON_MAX_DEPTH];     /* nothing written in it yet */
	bool in_array[JSON_MAX_DEPTH];  /* an array, not an object */
	unsigned skip;                  /* containers open but left out */
	bool done;                      /* the top-level value is complete */
	bool line;                      /* one line, no spaces (JSON Lines) */
	const char *why;                /* first misuse or write error, or NULL */
};

void json_init(struct json *j, FILE *out);
void json_init_line(struct json *j, FILE *out);

void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);

/* A NUL-terminated byte string; a NULL value writes null. */
void json_string(struct json *j, const char *key, const char *value);

/* len arbitrary bytes as a string; NULL data writes null. */
void json_bytes(struct json *j, const char *key, const void *data, size_t len);

void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);

/* v as the string "0x1a2b" (lowercase, no leading zeros). */
void json_hex(struct json *j, const char *key, uint64_t v);

/* A finite v as a number that reads back as v; NaN and infinities as null. */
void json_double(struct json *j, const char *key, double v);

void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);

/*
 * Close anything left open, write the final newline and flush.  Returns 0,
 * or -1 if a write failed or the writer was misused (j->why says which
 * came first).
 */
int json_finish(struct json *j);

#endif
