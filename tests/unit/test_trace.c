/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for trace.c: exact lines in both formats, and JSON Lines that
 * stay valid whatever a note says.
 */
#include <stdio.h>
#include <stdlib.h>

#include "observe/trace.h"
#include "test.h"

struct traced {
	char *text;
	size_t len;
	struct tracer t;
};

static bool open_trace(struct traced *tr, enum trace_format format)
{
	tr->text = NULL;
	tr->len = 0;
	tr->t = (struct tracer){ .format = format, .exits = true, .insns = true };
	tr->t.out = open_memstream(&tr->text, &tr->len);
	return tr->t.out != NULL;
}

static void close_trace(struct traced *tr)
{
	fclose(tr->t.out);
}

static const uint8_t hi[] = { 'H' };

TEST(trace_jsonl_exit_and_insn)
{
	struct traced tr;
	const uint8_t code[] = { 0xee };
	struct trace_exit e = {
		.kind = EXIT_IO_OUT, .have_rip = true, .rip = 0x10005, .addr = 0x3f8,
		.size = 1, .count = 1, .data = hi, .device = "COM1",
	};

	TEST_REQUIRE(open_trace(&tr, TRACE_JSONL));
	trace_exit(&tr.t, &e);
	trace_insn(&tr.t, 0x10005, 3, code, 1, true);
	close_trace(&tr);
	TEST_STREQ(tr.text,
		   "{\"type\":\"exit\",\"seq\":1,\"kind\":\"io_out\",\"coalesced\":false,"
		   "\"rip\":\"0x10005\",\"port\":\"0x3f8\",\"size\":1,\"count\":1,"
		   "\"device\":\"COM1\",\"data\":\"48\"}\n"
		   "{\"type\":\"insn\",\"seq\":1,\"rip\":\"0x10005\",\"ring\":3,"
		   "\"bytes\":\"ee\",\"length_known\":true}\n");
	TEST_EQ(tr.t.error, 0);
	free(tr.text);
}

TEST(trace_text_exit)
{
	struct traced tr;
	struct trace_exit e = {
		.kind = EXIT_IO_OUT, .have_rip = true, .rip = 0x10005, .addr = 0x3f8,
		.size = 1, .count = 1, .data = hi, .device = "COM1",
	};

	TEST_REQUIRE(open_trace(&tr, TRACE_TEXT));
	trace_exit(&tr.t, &e);
	close_trace(&tr);
	TEST_STREQ(tr.text, "exit  1    io_out     rip=0x10005 port=0x3f8 (COM1) size=1 data=48 'H'\n");
	free(tr.text);
}

/* A note with quotes, a backslash and a control byte stays one valid line. */
TEST(trace_jsonl_note_is_escaped)
{
	struct traced tr;

	TEST_REQUIRE(open_trace(&tr, TRACE_JSONL));
	trace_note(&tr.t, "stop \"here\" \\ now\t");
	close_trace(&tr);
	TEST_STREQ(tr.text, "{\"type\":\"note\",\"text\":\"stop \\\"here\\\" \\\\ now\\t\"}\n");
	free(tr.text);
}

const struct test tests_trace[] = {
	TEST_ENTRY(trace_jsonl_exit_and_insn),
	TEST_ENTRY(trace_text_exit),
	TEST_ENTRY(trace_jsonl_note_is_escaped),
	TEST_END,
};
