/* SPDX-License-Identifier: MIT */
/*
 * jsonlint: a strict JSON (RFC 8259) validator, and a way for the test
 * scripts to read single values out of kvmrun's run report.
 *
 *	jsonlint FILE              exit 0 if FILE is valid JSON
 *	jsonlint FILE PATH...      validate, then print the value at each PATH
 *
 * FILE may be "-" for standard input.  An invalid file gets one line on
 * stderr, "jsonlint: FILE: byte OFFSET: reason" (OFFSET counts from 0),
 * and exit status 1.
 *
 * Strict means: exactly one value with optional whitespace around it;
 * the input is valid UTF-8; strings have no raw control characters, only
 * the escapes of section 7 and no unpaired surrogates; numbers follow the
 * grammar of section 6 (no leading zeros, "+", ".5", "1.", NaN or
 * Infinity); no object has two members with the same name (after
 * escapes are resolved); objects and arrays nest at most 256 deep.
 *
 * A PATH is a list of member names and array indexes separated by dots:
 * "end.status", "list.0.name"; the empty PATH is the whole document.  The
 * value is printed on a line of its own: a string decoded (escapes
 * resolved, written as raw bytes), a number, true, false or null as
 * written, an object as "{object}", an array as "[array N]" with N its
 * element count.  A missing PATH is an error (exit 1); the values of the
 * PATHs before it have been printed.
 *
 * Usage errors and unreadable files exit with status 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING     256

enum jv_kind { JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY,
	       JV_OBJECT };

/* A parsed value.  Containers own their elements and, for objects, the
 * decoded member names and a hash table of them. */
struct jv {
	enum jv_kind kind;
	char *str;              /* JV_STRING: decoded; JV_NUMBER: as written */
	size_t len;
	struct jv *items;       /* elements, or member values */
	struct jv *keys;        /* JV_OBJECT: member names (JV_STRING each) */
	size_t n, cap;
	size_t *slots;          /* JV_OBJECT: index + 1 of a member, 0 free */
	size_t nslots;          /* a power of two, or 0 */
};

struct parser {
	const unsigned char *in;
	size_t len;
	size_t pos;
	unsigned depth;
	size_t err_pos;
	char why[160];
};

/* A growable byte buffer for decoded strings. */
struct buf {
	char *p;
	size_t len, cap;
};

static void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q) {
		fprintf(stderr, "jsonlint: out of memory\n");
		exit(2);
	}
	return q;
}

static void buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		if (b->cap < b->len + n)
			b->cap = b->len + n;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void jv_free(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jv_free(&v->items[i]);
		if (v->keys)
			jv_free(&v->keys[i]);
	}
	free(v->str);
	free(v->items);
	free(v->keys);
	free(v->slots);
	memset(v, 0, sizeof(*v));
}

/* ---- errors ---------------------------------------------------------- */

static int fail_at(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;

	p->err_pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* "unexpected character 'x'", "unexpected byte 0xc3", or end of input. */
static int fail_unexpected(struct parser *p, const char *expected)
{
	char what[40];
	unsigned char c;

	if (p->pos >= p->len)
		return fail_at(p, p->pos, "unexpected end of input%s%s",
			       expected ? ", expected " : "",
			       expected ? expected : "");
	c = p->in[p->pos];
	if (c > 0x20 && c < 0x7f)
		snprintf(what, sizeof(what), "character '%c'", c);
	else
		snprintf(what, sizeof(what), "byte 0x%02x", c);
	return fail_at(p, p->pos, "unexpected %s%s%s", what,
		       expected ? ", expected " : "", expected ? expected : "");
}

/* ---- lexical pieces -------------------------------------------------- */

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->in[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? p->in[p->pos] : -1;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Length of the well-formed UTF-8 sequence at s (Unicode 15, table 3-7),
 * or 0.  Rejects overlong forms, surrogates and code points past U+10FFFF.
 */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void utf8_put(struct buf *b, uint32_t cp)
{
	unsigned char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		out[0] = (unsigned char)(0xf0 | cp >> 18);
		out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, out, n);
}

/* The four hex digits of a \u escape starting at p->pos ("\u" consumed). */
static int parse_hex4(struct parser *p, uint32_t *out)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < 4; i++) {
		int c = peek(p);

		if (is_digit(c))
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (uint32_t)(c - 'A' + 10);
		else
			return fail_unexpected(p, "a hex digit in \\u escape");
		p->pos++;
	}
	*out = v;
	return 0;
}

/* A \u escape, with its low surrogate if it is a high one (section 7). */
static int parse_unicode_escape(struct parser *p, struct buf *b)
{
	size_t start = p->pos - 2;
	uint32_t cp, lo;

	if (parse_hex4(p, &cp) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_at(p, start, "lone low surrogate \\u%04x", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->pos + 1 >= p->len || p->in[p->pos] != '\\' ||
		    p->in[p->pos + 1] != 'u')
			return fail_at(p, start,
				       "high surrogate \\u%04x not followed by a low one",
				       cp);
		p->pos += 2;
		if (parse_hex4(p, &lo) < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail_at(p, start,
				       "high surrogate \\u%04x followed by \\u%04x, not a low one",
				       cp, lo);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	utf8_put(b, cp);
	return 0;
}

/* A string at p->pos (the opening quote), decoded into v. */
static int parse_string(struct parser *p, struct jv *v)
{
	struct buf b = { 0 };
	size_t n;

	p->pos++;
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len) {
			fail_unexpected(p, "'\"' to end the string");
			goto err;
		}
		c = p->in[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			fail_at(p, p->pos,
				"raw control character 0x%02x in a string", c);
			goto err;
		}
		if (c != '\\') {
			n = utf8_len(p->in + p->pos, p->len - p->pos);
			if (!n) {
				fail_at(p, p->pos, "invalid UTF-8 (byte 0x%02x)", c);
				goto err;
			}
			buf_add(&b, p->in + p->pos, n);
			p->pos += n;
			continue;
		}
		p->pos++;
		switch (peek(p)) {
		case '"':  buf_add(&b, "\"", 1); break;
		case '\\': buf_add(&b, "\\", 1); break;
		case '/':  buf_add(&b, "/", 1); break;
		case 'b':  buf_add(&b, "\b", 1); break;
		case 'f':  buf_add(&b, "\f", 1); break;
		case 'n':  buf_add(&b, "\n", 1); break;
		case 'r':  buf_add(&b, "\r", 1); break;
		case 't':  buf_add(&b, "\t", 1); break;
		case 'u':
			p->pos++;
			if (parse_unicode_escape(p, &b) < 0)
				goto err;
			continue;
		default:
			fail_unexpected(p, "an escape character (\"\\/bfnrtu)");
			goto err;
		}
		p->pos++;
	}
	v->kind = JV_STRING;
	buf_add(&b, "", 1);     /* a NUL after the bytes, for printing paths */
	v->str = b.p;
	v->len = b.len - 1;
	return 0;
err:
	free(b.p);
	return -1;
}

/* Section 6: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)? */
static int parse_number(struct parser *p, struct jv *v)
{
	size_t start = p->pos;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (is_digit(peek(p)))
			return fail_at(p, p->pos - 1,
				       "leading zero in a number");
	} else if (is_digit(peek(p))) {
		while (is_digit(peek(p)))
			p->pos++;
	} else {
		return fail_unexpected(p, "a digit");
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!is_digit(peek(p)))
			return fail_unexpected(p, "a digit after '.'");
		while (is_digit(peek(p)))
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!is_digit(peek(p)))
			return fail_unexpected(p, "a digit in the exponent");
		while (is_digit(peek(p)))
			p->pos++;
	}
	v->kind = JV_NUMBER;
	v->len = p->pos - start;
	v->str = xrealloc(NULL, v->len + 1);
	memcpy(v->str, p->in + start, v->len);
	v->str[v->len] = '\0';
	return 0;
}

static int parse_literal(struct parser *p, struct jv *v, const char *word,
			 enum jv_kind kind)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->in + p->pos, word, n) != 0) {
		/* Point at the first byte that differs. */
		size_t i = 0;

		while (p->pos + i < p->len && i < n &&
		       p->in[p->pos + i] == (unsigned char)word[i])
			i++;
		p->pos += i;
		return fail_unexpected(p, word);
	}
	p->pos += n;
	v->kind = kind;
	return 0;
}

/* ---- containers ------------------------------------------------------ */

static size_t key_hash(const char *s, size_t len)
{
	size_t h = 14695981039346656037ULL & SIZE_MAX;  /* FNV-1a */

	while (len--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Index of obj's member named name (len bytes), or (size_t)-1. */
static size_t object_find(const struct jv *obj, const char *name, size_t len)
{
	size_t mask = obj->nslots - 1, i;

	if (!obj->nslots)
		return (size_t)-1;
	for (i = key_hash(name, len) & mask; obj->slots[i]; i = (i + 1) & mask) {
		const struct jv *key = &obj->keys[obj->slots[i] - 1];

		if (key->len == len && memcmp(key->str, name, len) == 0)
			return obj->slots[i] - 1;
	}
	return (size_t)-1;
}

static void object_index(struct jv *obj, size_t idx)
{
	size_t mask = obj->nslots - 1, i;

	for (i = key_hash(obj->keys[idx].str, obj->keys[idx].len) & mask;
	     obj->slots[i]; i = (i + 1) & mask)
		;
	obj->slots[i] = idx + 1;
}

/* Append an element (and for objects its name), taking ownership. */
static void container_push(struct jv *c, struct jv *key, struct jv *item)
{
	size_t i;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
		if (key)
			c->keys = xrealloc(c->keys, c->cap * sizeof(*c->keys));
	}
	c->items[c->n] = *item;
	if (key)
		c->keys[c->n] = *key;
	c->n++;
	if (!key)
		return;
	if (c->n * 2 > c->nslots) {     /* keep the table at most half full */
		c->nslots = c->nslots ? c->nslots * 2 : 16;
		free(c->slots);
		c->slots = xrealloc(NULL, c->nslots * sizeof(*c->slots));
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
		for (i = 0; i < c->n; i++)
			object_index(c, i);
	} else {
		object_index(c, c->n - 1);
	}
}

static int parse_value(struct parser *p, struct jv *v);

static int parse_array(struct parser *p, struct jv *v)
{
	struct jv item;

	v->kind = JV_ARRAY;
	p->pos++;
	skip_ws(p);
	if (peek(p) == ']') {
		p->pos++;
		return 0;
	}
	for (;;) {
		memset(&item, 0, sizeof(item));
		if (parse_value(p, &item) < 0)
			return -1;
		container_push(v, NULL, &item);
		skip_ws(p);
		if (peek(p) == ']') {
			p->pos++;
			return 0;
		}
		if (peek(p) != ',')
			return fail_unexpected(p, "',' or ']'");
		p->pos++;
	}
}

static void print_key(char *out, size_t size, const struct jv *key)
{
	size_t i, n = 0;

	/* Control characters as '?'; cut at 40 bytes, not inside a UTF-8
	 * sequence (the input is valid UTF-8 by now). */
	for (i = 0; i < key->len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)key->str[i];

		if (n >= 40 && (c & 0xc0) != 0x80)
			break;
		out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[n] = '\0';
}

static int parse_object(struct parser *p, struct jv *v)
{
	struct jv key, item;
	size_t key_pos;
	char name[48];

	v->kind = JV_OBJECT;
	p->pos++;
	skip_ws(p);
	if (peek(p) == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		memset(&key, 0, sizeof(key));
		memset(&item, 0, sizeof(item));
		skip_ws(p);
		key_pos = p->pos;
		if (peek(p) != '"')
			return fail_unexpected(p, "'\"' to begin a member name");
		if (parse_string(p, &key) < 0)
			return -1;
		if (object_find(v, key.str, key.len) != (size_t)-1) {
			print_key(name, sizeof(name), &key);
			jv_free(&key);
			return fail_at(p, key_pos, "duplicate key \"%s\"", name);
		}
		skip_ws(p);
		if (peek(p) != ':') {
			jv_free(&key);
			return fail_unexpected(p, "':' after the member name");
		}
		p->pos++;
		if (parse_value(p, &item) < 0) {
			jv_free(&key);
			return -1;
		}
		container_push(v, &key, &item);
		skip_ws(p);
		if (peek(p) == '}') {
			p->pos++;
			return 0;
		}
		if (peek(p) != ',')
			return fail_unexpected(p, "',' or '}'");
		p->pos++;
	}
}

/*
 * One value at p->pos, after optional whitespace.  On failure v may hold
 * part of a container: the caller frees it (jv_free handles that).
 */
static int parse_value(struct parser *p, struct jv *v)
{
	int c, ret;

	skip_ws(p);
	c = peek(p);
	switch (c) {
	case '{':
	case '[':
		if (p->depth == MAX_NESTING)
			return fail_at(p, p->pos, "nesting deeper than %d",
				       MAX_NESTING);
		p->depth++;
		ret = c == '{' ? parse_object(p, v) : parse_array(p, v);
		p->depth--;
		if (ret < 0)
			jv_free(v);
		return ret;
	case '"':
		return parse_string(p, v);
	case 't':
		return parse_literal(p, v, "true", JV_TRUE);
	case 'f':
		return parse_literal(p, v, "false", JV_FALSE);
	case 'n':
		return parse_literal(p, v, "null", JV_NULL);
	default:
		if (c == '-' || is_digit(c))
			return parse_number(p, v);
		return fail_unexpected(p, "a value");
	}
}

/* RFC 8259 section 2: ws value ws, and nothing else. */
static int parse_document(struct parser *p, struct jv *root)
{
	if (p->len >= 3 && memcmp(p->in, "\xef\xbb\xbf", 3) == 0)
		return fail_at(p, 0, "byte order mark (not allowed in JSON text)");
	if (parse_value(p, root) < 0)
		return -1;
	skip_ws(p);
	if (p->pos != p->len) {
		jv_free(root);
		return fail_unexpected(p, "end of input after the value");
	}
	return 0;
}

/* ---- paths ----------------------------------------------------------- */

/* A component of a path as an array index: decimal, no leading zeros. */
static bool parse_index(const char *s, size_t len, size_t *out)
{
	size_t v = 0, i;

	if (len == 0 || (len > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]) || v > (SIZE_MAX - 9) / 10)
			return false;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

static const char *kind_name(enum jv_kind kind)
{
	switch (kind) {
	case JV_NULL:   return "null";
	case JV_FALSE:
	case JV_TRUE:   return "a boolean";
	case JV_NUMBER: return "a number";
	case JV_STRING: return "a string";
	case JV_ARRAY:  return "an array";
	case JV_OBJECT: return "an object";
	}
	return "?";
}

/* The value at path, or NULL with why saying which component failed. */
static const struct jv *path_find(const struct jv *root, const char *path,
				  char *why, size_t why_size)
{
	const struct jv *v = root;
	const char *s = path;

	if (!*path)
		return root;
	for (;;) {
		const char *dot = strchr(s, '.');
		size_t len = dot ? (size_t)(dot - s) : strlen(s);
		int shown = (int)((size_t)(s - path) + len);
		size_t idx;

		if (v->kind == JV_OBJECT) {
			idx = object_find(v, s, len);
			if (idx == (size_t)-1) {
				snprintf(why, why_size, "%.*s: no such key", shown,
					 path);
				return NULL;
			}
		} else if (v->kind == JV_ARRAY) {
			if (!parse_index(s, len, &idx)) {
				snprintf(why, why_size,
					 "%.*s: not an array index", shown, path);
				return NULL;
			}
			if (idx >= v->n) {
				snprintf(why, why_size,
					 "%.*s: index out of range (%zu elements)",
					 shown, path, v->n);
				return NULL;
			}
		} else if (s == path) {
			snprintf(why, why_size, "%.*s: the document is %s",
				 shown, path, kind_name(v->kind));
			return NULL;
		} else {
			snprintf(why, why_size, "%.*s: %.*s is %s", shown, path,
				 (int)(s - path - 1), path, kind_name(v->kind));
			return NULL;
		}
		v = &v->items[idx];
		if (!dot)
			return v;
		s = dot + 1;
	}
}

static void print_value(const struct jv *v)
{
	switch (v->kind) {
	case JV_NULL:
		puts("null");
		break;
	case JV_FALSE:
		puts("false");
		break;
	case JV_TRUE:
		puts("true");
		break;
	case JV_NUMBER:
		puts(v->str);
		break;
	case JV_STRING:
		fwrite(v->str, 1, v->len, stdout);
		putchar('\n');
		break;
	case JV_ARRAY:
		printf("[array %zu]\n", v->n);
		break;
	case JV_OBJECT:
		puts("{object}");
		break;
	}
}

/* ---- main ------------------------------------------------------------ */

/* The whole of f, in a buffer from malloc. */
static int read_all(FILE *f, unsigned char **data, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	unsigned char *p = xrealloc(NULL, cap);

	for (;;) {
		if (n == cap) {
			cap *= 2;
			p = xrealloc(p, cap);
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		return -1;
	}
	*data = p;
	*len = n;
	return 0;
}

int main(int argc, char **argv)
{
	struct parser p = { 0 };
	struct jv root = { 0 };
	unsigned char *data;
	const char *file;
	int i, status = 0;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: jsonlint file [path ...]\n");
		return 2;
	}
	file = argv[1];
	f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "jsonlint: %s: %s\n", file, strerror(errno));
		return 2;
	}
	if (read_all(f, &data, &p.len) < 0) {
		fprintf(stderr, "jsonlint: %s: read error\n", file);
		if (f != stdin)
			fclose(f);
		return 2;
	}
	if (f != stdin)
		fclose(f);
	p.in = data;

	if (parse_document(&p, &root) < 0) {
		fprintf(stderr, "jsonlint: %s: byte %zu: %s\n", file, p.err_pos,
			p.why);
		free(data);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		char why[256];
		const struct jv *v = path_find(&root, argv[i], why, sizeof(why));

		if (!v) {
			fflush(stdout);
			fprintf(stderr, "jsonlint: %s: %s\n", file, why);
			status = 1;
			break;
		}
		print_value(v);
	}
	jv_free(&root);
	free(data);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "jsonlint: write error\n");
		return 2;
	}
	return status;
}
