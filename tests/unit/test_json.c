/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for json.c: exact output for small documents (layout, every
 * escape, every byte, number limits), and misuse that must be reported by
 * json_finish while the output stays valid JSON.
 *
 * Each test writes into memory through open_memstream and compares the
 * whole text.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/json.h"
#include "test.h"

struct memout {
	char *text;
	size_t len;
	FILE *f;
};

static bool mem_open(struct memout *m, struct json *j)
{
	m->text = NULL;
	m->len = 0;
	m->f = open_memstream(&m->text, &m->len);
	if (!m->f)
		return false;
	json_init(j, m->f);
	return true;
}

/* Close the stream; the text stays in m->text until mem_free. */
static void mem_close(struct memout *m)
{
	fclose(m->f);
	m->f = NULL;
}

static void mem_free(struct memout *m)
{
	free(m->text);
	m->text = NULL;
}

/* ---- layout ---------------------------------------------------------- */

TEST(json_nesting)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_string(&j, "name", "hello");
	json_object_begin(&j, "end");
	json_string(&j, "status", "exit");
	json_u64(&j, "code", 3);
	json_object_end(&j);
	json_array_begin(&j, "list");
	json_u64(&j, NULL, 1);
	json_array_begin(&j, NULL);
	json_bool(&j, NULL, true);
	json_null(&j, NULL);
	json_array_end(&j);
	json_object_begin(&j, NULL);
	json_i64(&j, "x", -1);
	json_object_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), 0);
	TEST_STREQ(j.why, NULL);
	mem_close(&m);
	TEST_STREQ(m.text,
		   "{\n"
		   "  \"name\": \"hello\",\n"
		   "  \"end\": {\n"
		   "    \"status\": \"exit\",\n"
		   "    \"code\": 3\n"
		   "  },\n"
		   "  \"list\": [\n"
		   "    1,\n"
		   "    [\n"
		   "      true,\n"
		   "      null\n"
		   "    ],\n"
		   "    {\n"
		   "      \"x\": -1\n"
		   "    }\n"
		   "  ]\n"
		   "}\n");
	mem_free(&m);
}

TEST(json_empty_containers)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_object_begin(&j, "o");
	json_object_end(&j);
	json_array_begin(&j, "a");
	json_array_end(&j);
	json_array_begin(&j, "nested");
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_begin(&j, NULL);
	json_array_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text,
		   "{\n"
		   "  \"o\": {},\n"
		   "  \"a\": [],\n"
		   "  \"nested\": [\n"
		   "    {},\n"
		   "    []\n"
		   "  ]\n"
		   "}\n");
	mem_free(&m);

	TEST_REQUIRE(mem_open(&m, &j));
	json_array_begin(&j, NULL);
	json_array_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text, "[]\n");
	mem_free(&m);
}

TEST(json_top_level_scalar)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_string(&j, NULL, "just this");
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text, "\"just this\"\n");
	mem_free(&m);
}

/* ---- strings --------------------------------------------------------- */

TEST(json_escapes)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_string(&j, "s", "q\" b\\ n\n r\r t\t b\b f\f 1\x01 1f\x1f 7f\x7f /<>'");
	/* Keys are escaped like values. */
	json_string(&j, "k\"\\\n\x80", "");
	json_string(&j, "utf8", "\xc3\xa9");    /* bytes, not characters */
	json_string(&j, "none", NULL);
	json_bytes(&j, "nul", "a\0b", 3);
	json_bytes(&j, "empty", "", 0);
	json_bytes(&j, "null", NULL, 0);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text,
		   "{\n"
		   "  \"s\": \"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f 1\\u0001 "
		   "1f\\u001f 7f\\u007f /<>'\",\n"
		   "  \"k\\\"\\\\\\n\\u0080\": \"\",\n"
		   "  \"utf8\": \"\\u00c3\\u00a9\",\n"
		   "  \"none\": null,\n"
		   "  \"nul\": \"a\\u0000b\",\n"
		   "  \"empty\": \"\",\n"
		   "  \"null\": null\n"
		   "}\n");
	mem_free(&m);
}

TEST(json_bytes_all_values)
{
	/* Bytes 0x00..0xff in order, 8 to a line of the expected text. */
	static const char expect[] =
		"\""
		"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
		"\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
		"\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
		"\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
		" !\\\"#$%&'"
		"()*+,-./"
		"01234567"
		"89:;<=>?"
		"@ABCDEFG"
		"HIJKLMNO"
		"PQRSTUVW"
		"XYZ[\\\\]^_"
		"`abcdefg"
		"hijklmno"
		"pqrstuvw"
		"xyz{|}~\\u007f"
		"\\u0080\\u0081\\u0082\\u0083\\u0084\\u0085\\u0086\\u0087"
		"\\u0088\\u0089\\u008a\\u008b\\u008c\\u008d\\u008e\\u008f"
		"\\u0090\\u0091\\u0092\\u0093\\u0094\\u0095\\u0096\\u0097"
		"\\u0098\\u0099\\u009a\\u009b\\u009c\\u009d\\u009e\\u009f"
		"\\u00a0\\u00a1\\u00a2\\u00a3\\u00a4\\u00a5\\u00a6\\u00a7"
		"\\u00a8\\u00a9\\u00aa\\u00ab\\u00ac\\u00ad\\u00ae\\u00af"
		"\\u00b0\\u00b1\\u00b2\\u00b3\\u00b4\\u00b5\\u00b6\\u00b7"
		"\\u00b8\\u00b9\\u00ba\\u00bb\\u00bc\\u00bd\\u00be\\u00bf"
		"\\u00c0\\u00c1\\u00c2\\u00c3\\u00c4\\u00c5\\u00c6\\u00c7"
		"\\u00c8\\u00c9\\u00ca\\u00cb\\u00cc\\u00cd\\u00ce\\u00cf"
		"\\u00d0\\u00d1\\u00d2\\u00d3\\u00d4\\u00d5\\u00d6\\u00d7"
		"\\u00d8\\u00d9\\u00da\\u00db\\u00dc\\u00dd\\u00de\\u00df"
		"\\u00e0\\u00e1\\u00e2\\u00e3\\u00e4\\u00e5\\u00e6\\u00e7"
		"\\u00e8\\u00e9\\u00ea\\u00eb\\u00ec\\u00ed\\u00ee\\u00ef"
		"\\u00f0\\u00f1\\u00f2\\u00f3\\u00f4\\u00f5\\u00f6\\u00f7"
		"\\u00f8\\u00f9\\u00fa\\u00fb\\u00fc\\u00fd\\u00fe\\u00ff"
		"\"\n";
	uint8_t data[256];
	struct memout m;
	struct json j;
	unsigned i;

	for (i = 0; i < 256; i++)
		data[i] = (uint8_t)i;
	TEST_REQUIRE(mem_open(&m, &j));
	json_bytes(&j, NULL, data, sizeof(data));
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text, expect);
	/* Plain ASCII out, whatever went in. */
	for (i = 0; i < m.len; i++) {
		unsigned char c = (unsigned char)m.text[i];

		TEST_CHECK_MSG((c >= 0x20 && c < 0x7f) || c == '\n',
			       "offset %u", i);
	}
	mem_free(&m);
}

/* ---- numbers --------------------------------------------------------- */

TEST(json_integers)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_array_begin(&j, NULL);
	json_u64(&j, NULL, 0);
	json_u64(&j, NULL, UINT64_MAX);
	json_i64(&j, NULL, 0);
	json_i64(&j, NULL, -1);
	json_i64(&j, NULL, INT64_MAX);
	json_i64(&j, NULL, INT64_MIN);
	json_hex(&j, NULL, 0);
	json_hex(&j, NULL, 0x1a2b);
	json_hex(&j, NULL, UINT64_MAX);
	json_array_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text,
		   "[\n"
		   "  0,\n"
		   "  18446744073709551615,\n"
		   "  0,\n"
		   "  -1,\n"
		   "  9223372036854775807,\n"
		   "  -9223372036854775808,\n"
		   "  \"0x0\",\n"
		   "  \"0x1a2b\",\n"
		   "  \"0xffffffffffffffff\"\n"
		   "]\n");
	mem_free(&m);
}

TEST(json_doubles)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_array_begin(&j, NULL);
	json_double(&j, NULL, 0.0);
	json_double(&j, NULL, -0.0);
	json_double(&j, NULL, 1.5);
	json_double(&j, NULL, -2.0);
	json_double(&j, NULL, 0.1);
	json_double(&j, NULL, 1.0 / 3.0);
	json_double(&j, NULL, 1e300);
	json_double(&j, NULL, 1.25e-7);
	json_double(&j, NULL, NAN);
	json_double(&j, NULL, INFINITY);
	json_double(&j, NULL, -INFINITY);
	json_array_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text,
		   "[\n"
		   "  0,\n"
		   "  -0,\n"
		   "  1.5,\n"
		   "  -2,\n"
		   "  0.1,\n"
		   "  0.3333333333333333,\n"
		   "  1e+300,\n"
		   "  1.25e-07,\n"
		   "  null,\n"
		   "  null,\n"
		   "  null\n"
		   "]\n");
	mem_free(&m);
}

TEST(json_doubles_round_trip)
{
	static const double values[] = {
		0.1 + 0.2, DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN,
		DBL_EPSILON, 123456789.123456789, 1e21, 1e-5, 9007199254740993.0,
	};
	unsigned i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct memout m;
		struct json j;

		TEST_REQUIRE(mem_open(&m, &j));
		json_double(&j, NULL, values[i]);
		TEST_EQ(json_finish(&j), 0);
		mem_close(&m);
		TEST_CHECK_MSG(strtod(m.text, NULL) == values[i], "%s", m.text);
		TEST_CHECK_MSG(strspn(m.text, "0123456789+-.e\n") == m.len,
			       "%s", m.text);
		mem_free(&m);
	}
}

TEST(json_bool_null)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_bool(&j, "t", true);
	json_bool(&j, "f", false);
	json_null(&j, "n");
	json_object_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text,
		   "{\n"
		   "  \"t\": true,\n"
		   "  \"f\": false,\n"
		   "  \"n\": null\n"
		   "}\n");
	mem_free(&m);
}

/* ---- misuse ---------------------------------------------------------- */

/* Each misuse: finish reports it, and the text is still valid JSON. */

TEST(json_misuse_key_in_array)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_array_begin(&j, NULL);
	json_u64(&j, "k", 1);           /* the key is dropped */
	json_u64(&j, NULL, 2);
	json_array_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "key given inside an array");
	mem_close(&m);
	TEST_STREQ(m.text, "[\n  1,\n  2\n]\n");
	mem_free(&m);
}

TEST(json_misuse_key_missing)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_u64(&j, "a", 1);
	json_u64(&j, NULL, 2);                  /* left out */
	json_array_begin(&j, NULL);             /* left out, with its contents */
	json_u64(&j, NULL, 3);
	json_object_begin(&j, NULL);
	json_u64(&j, "deep", 4);
	json_object_end(&j);
	json_array_end(&j);
	json_u64(&j, "b", 5);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "key missing inside an object");
	mem_close(&m);
	TEST_STREQ(m.text, "{\n  \"a\": 1,\n  \"b\": 5\n}\n");
	mem_free(&m);
}

TEST(json_misuse_too_deep)
{
	struct memout m;
	struct json j;
	unsigned i;

	TEST_REQUIRE(mem_open(&m, &j));
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_array_begin(&j, NULL);
	json_object_begin(&j, NULL);            /* one too many: left out */
	json_u64(&j, "x", 1);
	json_object_end(&j);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_array_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "nesting deeper");
	mem_close(&m);
	/* The 16 arrays, all empty, each on its own line. */
	TEST_EQ(m.len, 2 * 16 * 16 + 1);
	TEST_CHECK(strchr(m.text, '{') == NULL);
	TEST_CHECK(strcmp(m.text + m.len - 3, "\n]\n") == 0);
	mem_free(&m);

	/* Exactly JSON_MAX_DEPTH is fine. */
	TEST_REQUIRE(mem_open(&m, &j));
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_array_begin(&j, NULL);
	json_u64(&j, NULL, 7);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_array_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_CHECK(strstr(m.text, "\n" "                                7\n")
		   != NULL);
	mem_free(&m);
}

TEST(json_misuse_left_open)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_array_begin(&j, "a");
	json_u64(&j, NULL, 1);
	TEST_EQ(json_finish(&j), -1);           /* closes both */
	TEST_CONTAINS(j.why, "left open");
	mem_close(&m);
	TEST_STREQ(m.text, "{\n  \"a\": [\n    1\n  ]\n}\n");
	mem_free(&m);
}

TEST(json_misuse_ends)
{
	struct memout m;
	struct json j;

	/* An end of the wrong kind closes what is open. */
	TEST_REQUIRE(mem_open(&m, &j));
	json_array_begin(&j, NULL);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "object end closes an array");
	mem_close(&m);
	TEST_STREQ(m.text, "[]\n");
	mem_free(&m);

	/* An end with nothing open is ignored. */
	TEST_REQUIRE(mem_open(&m, &j));
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "end without a matching begin");
	mem_close(&m);
	TEST_STREQ(m.text, "{}\n");
	mem_free(&m);
}

TEST(json_misuse_top_level)
{
	struct memout m;
	struct json j;

	/* A second top-level value is left out. */
	TEST_REQUIRE(mem_open(&m, &j));
	json_u64(&j, NULL, 1);
	json_object_begin(&j, NULL);
	json_u64(&j, "x", 2);
	json_object_end(&j);
	json_u64(&j, NULL, 3);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "more than one top-level value");
	mem_close(&m);
	TEST_STREQ(m.text, "1\n");
	mem_free(&m);

	/* A key for the top-level value is ignored. */
	TEST_REQUIRE(mem_open(&m, &j));
	json_u64(&j, "k", 1);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "key given for the top-level value");
	mem_close(&m);
	TEST_STREQ(m.text, "1\n");
	mem_free(&m);

	/* No value at all: null. */
	TEST_REQUIRE(mem_open(&m, &j));
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "no value written");
	mem_close(&m);
	TEST_STREQ(m.text, "null\n");
	mem_free(&m);
}

TEST(json_misuse_first_error_kept)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_array_begin(&j, NULL);
	json_u64(&j, "k", 1);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "key given inside an array");
	mem_close(&m);
	mem_free(&m);
}

TEST(json_write_error)
{
	/* A stream too small for the document: finish reports it. */
	char small[8];
	struct json j;
	FILE *f;

	f = fmemopen(small, sizeof(small), "w");
	TEST_REQUIRE(f != NULL);
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "long", "more than eight bytes of text");
	json_object_end(&j);
	TEST_EQ(json_finish(&j), -1);
	TEST_CONTAINS(j.why, "write failed");
	fclose(f);
}

/* JSON Lines: the same document on one line, no spaces, one newline. */
TEST(json_line_layout)
{
	struct memout m;
	struct json j;

	TEST_REQUIRE(mem_open(&m, &j));
	json_init_line(&j, m.f);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "note");
	json_object_begin(&j, "empty");
	json_object_end(&j);
	json_array_begin(&j, "list");
	json_u64(&j, NULL, 1);
	json_hex(&j, NULL, 0x3f8);
	json_array_end(&j);
	json_string(&j, "text", "say \"hi\"\n");
	json_bool(&j, "ok", true);
	json_object_end(&j);
	TEST_EQ(json_finish(&j), 0);
	mem_close(&m);
	TEST_STREQ(m.text, "{\"type\":\"note\",\"empty\":{},\"list\":[1,\"0x3f8\"],"
		   "\"text\":\"say \\\"hi\\\"\\n\",\"ok\":true}\n");
	mem_free(&m);
}

const struct test tests_json[] = {
	TEST_ENTRY(json_nesting),
	TEST_ENTRY(json_line_layout),
	TEST_ENTRY(json_empty_containers),
	TEST_ENTRY(json_top_level_scalar),
	TEST_ENTRY(json_escapes),
	TEST_ENTRY(json_bytes_all_values),
	TEST_ENTRY(json_integers),
	TEST_ENTRY(json_doubles),
	TEST_ENTRY(json_doubles_round_trip),
	TEST_ENTRY(json_bool_null),
	TEST_ENTRY(json_misuse_key_in_array),
	TEST_ENTRY(json_misuse_key_missing),
	TEST_ENTRY(json_misuse_too_deep),
	TEST_ENTRY(json_misuse_left_open),
	TEST_ENTRY(json_misuse_ends),
	TEST_ENTRY(json_misuse_top_level),
	TEST_ENTRY(json_misuse_first_error_kept),
	TEST_ENTRY(json_write_error),
	TEST_END,
};
