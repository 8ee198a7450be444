/* SPDX-License-Identifier: MIT */
#include "observe/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void json_fail(struct json *j, const char *why)
{
	if (!j->why)
		j->why = why;
}

static void json_put(struct json *j, const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, j->out) != n)
		json_fail(j, "write failed");
}

static void json_puts(struct json *j, const char *s)
{
	json_put(j, s, strlen(s));
}

static void json_indent(struct json *j)
{
	unsigned i;

	for (i = 0; i < j->depth; i++)
		json_put(j, "  ", 2);
}

/*
 * RFC 8259 section 7.  Runs of bytes that need no escape are written in
 * one go.  Bytes >= 0x7f are escaped too: read as Latin-1 they are
 * U+007F..U+00FF, and raw they could be invalid UTF-8.
 */
static void json_quote(struct json *j, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	json_put(j, "\"", 1);
	for (i = 0; i < len; i++) {
		uint8_t c = p[i];
		char esc[6];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		json_put(j, (const char *)p + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':  json_put(j, "\\\"", 2); break;
		case '\\': json_put(j, "\\\\", 2); break;
		case '\b': json_put(j, "\\b", 2); break;
		case '\f': json_put(j, "\\f", 2); break;
		case '\n': json_put(j, "\\n", 2); break;
		case '\r': json_put(j, "\\r", 2); break;
		case '\t': json_put(j, "\\t", 2); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			json_put(j, esc, 6);
			break;
		}
	}
	json_put(j, (const char *)p + run, len - run);
	json_put(j, "\"", 1);
}

/*
 * Everything a value does before its own text: check the key against
 * where we are, write the separator, the indentation and the key.
 * Returns false if the value is to be left out.
 */
static bool json_member(struct json *j, const char *key)
{
	unsigned level;

	if (j->skip)
		return false;
	if (j->depth == 0) {
		if (j->done) {
			json_fail(j, "more than one top-level value");
			return false;
		}
		if (key)
			json_fail(j, "key given for the top-level value");
		return true;
	}
	level = j->depth - 1;
	if (j->in_array[level]) {
		if (key)
			json_fail(j, "key given inside an array");
	} else if (!key) {
		json_fail(j, "key missing inside an object");
		return false;
	}
	if (j->line) {
		if (!j->first[level])
			json_put(j, ",", 1);
	} else {
		json_puts(j, j->first[level] ? "\n" : ",\n");
		json_indent(j);
	}
	j->first[level] = false;
	if (!j->in_array[level]) {
		json_quote(j, (const uint8_t *)key, strlen(key));
		json_puts(j, j->line ? ":" : ": ");
	}
	return true;
}

static void json_value_done(struct json *j)
{
	if (j->depth == 0)
		j->done = true;
}

/* A value whose text needs no escaping. */
static void json_raw(struct json *j, const char *key, const char *text)
{
	if (!json_member(j, key))
		return;
	json_puts(j, text);
	json_value_done(j);
}

static void json_open(struct json *j, const char *key, bool array)
{
	if (!j->skip && j->depth == JSON_MAX_DEPTH) {
		json_fail(j, "nesting deeper than JSON_MAX_DEPTH");
		j->skip++;
		return;
	}
	if (!json_member(j, key)) {
		j->skip++;
		return;
	}
	json_put(j, array ? "[" : "{", 1);
	j->first[j->depth] = true;
	j->in_array[j->depth] = array;
	j->depth++;
}

/* Close the innermost open container; an empty one stays on one line. */
static void json_close_level(struct json *j)
{
	unsigned level = --j->depth;

	if (!j->first[level] && !j->line) {
		json_put(j, "\n", 1);
		json_indent(j);
	}
	json_put(j, j->in_array[level] ? "]" : "}", 1);
	json_value_done(j);
}

static void json_close(struct json *j, bool array)
{
	if (j->skip) {
		j->skip--;
		return;
	}
	if (j->depth == 0) {
		json_fail(j, "end without a matching begin");
		return;
	}
	if (j->in_array[j->depth - 1] != array)
		json_fail(j, array ? "array end closes an object" :
				     "object end closes an array");
	json_close_level(j);
}

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

void json_init_line(struct json *j, FILE *out)
{
	json_init(j, out);
	j->line = true;
}

void json_object_begin(struct json *j, const char *key)
{
	json_open(j, key, false);
}

void json_object_end(struct json *j)
{
	json_close(j, false);
}

void json_array_begin(struct json *j, const char *key)
{
	json_open(j, key, true);
}

void json_array_end(struct json *j)
{
	json_close(j, true);
}

void json_string(struct json *j, const char *key, const char *value)
{
	json_bytes(j, key, value, value ? strlen(value) : 0);
}

void json_bytes(struct json *j, const char *key, const void *data, size_t len)
{
	if (!data) {
		json_null(j, key);
		return;
	}
	if (!json_member(j, key))
		return;
	json_quote(j, data, len);
	json_value_done(j);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	json_raw(j, key, buf);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	json_raw(j, key, buf);
}

void json_hex(struct json *j, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "\"0x%" PRIx64 "\"", v);
	json_raw(j, key, buf);
}

void json_double(struct json *j, const char *key, double v)
{
	char buf[40];
	int prec;
	char *p;

	if (!isfinite(v)) {
		json_raw(j, key, "null");
		return;
	}
	/* The shortest of %.15g..%.17g that reads back as v (17 always
	 * does), so 0.1 is "0.1" and not "0.10000000000000001". */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (prec == 17 || strtod(buf, NULL) == v)
			break;
	}
	/* %g gives JSON's number grammar except under a locale with a
	 * decimal comma. */
	for (p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	json_raw(j, key, buf);
}

void json_bool(struct json *j, const char *key, bool v)
{
	json_raw(j, key, v ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	json_raw(j, key, "null");
}

int json_finish(struct json *j)
{
	/* Containers left out and never ended: only a misuse starts a skip,
	 * and it is already recorded. */
	j->skip = 0;
	if (j->depth) {
		json_fail(j, "object or array left open");
		while (j->depth)
			json_close_level(j);
	}
	if (!j->done) {
		json_fail(j, "no value written");
		json_put(j, "null", 4);
		j->done = true;
	}
	json_put(j, "\n", 1);
	if (fflush(j->out) != 0 || ferror(j->out))
		json_fail(j, "write failed");
	return j->why ? -1 : 0;
}
