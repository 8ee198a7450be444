/* SPDX-License-Identifier: MIT */
#include "observe/trace.h"

#include <errno.h>
#include <inttypes.h>

#include "observe/json.h"

#define TRACE_MAX_DATA  64      /* bytes of string I/O shown */

static void text_data(FILE *out, const uint8_t *d, unsigned n)
{
	unsigned i, shown = n < TRACE_MAX_DATA ? n : TRACE_MAX_DATA;

	fputs(" data=", out);
	for (i = 0; i < shown; i++)
		fprintf(out, "%02x", d[i]);
	if (shown < n)
		fprintf(out, "... (%u bytes)", n);
	/* One printable byte: show it, as a learner reads "H", not "48". */
	if (n == 1 && d[0] >= 0x20 && d[0] < 0x7f)
		fprintf(out, " '%c'", d[0]);
	else if (n == 1 && d[0] == '\n')
		fputs(" '\\n'", out);
}

/* n bytes as hex digits ("48690a"); buf holds 2n + 1. */
static void hex_string(char *buf, const uint8_t *d, unsigned n)
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < n; i++) {
		buf[2 * i] = digits[d[i] >> 4];
		buf[2 * i + 1] = digits[d[i] & 0xf];
	}
	buf[2 * n] = '\0';
}

static void json_data(struct json *j, const uint8_t *d, unsigned n)
{
	unsigned shown = n < TRACE_MAX_DATA ? n : TRACE_MAX_DATA;
	char hex[2 * TRACE_MAX_DATA + 1];

	hex_string(hex, d, shown);
	json_string(j, "data", hex);
	if (shown < n)
		json_u64(j, "data_bytes", n);
}

/* One JSON Lines record, written by the JSON writer (escaping included). */
static void json_exit(struct tracer *t, const struct trace_exit *e, bool io, bool mmio,
		      unsigned bytes)
{
	struct json j;

	json_init_line(&j, t->out);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "exit");
	json_u64(&j, "seq", t->exit_seq);
	json_string(&j, "kind", stats_exit_kind_name(e->kind));
	json_bool(&j, "coalesced", e->coalesced);
	if (e->have_cs)
		json_hex(&j, "cs", e->cs);
	if (e->have_rip)
		json_hex(&j, "rip", e->rip);
	if (io || mmio) {
		json_hex(&j, io ? "port" : "addr", e->addr);
		json_u64(&j, "size", e->size);
		json_u64(&j, "count", e->count ? e->count : 1);
	}
	if (e->device)
		json_string(&j, "device", e->device);
	if (e->data && bytes)
		json_data(&j, e->data, bytes);
	if (e->note)
		json_string(&j, "note", e->note);
	json_object_end(&j);
	(void)json_finish(&j);  /* a failed write is seen by check_written */
}

/* After each line: remember the first write error, for the run loop. */
static void check_written(struct tracer *t)
{
	if (!t->error && ferror(t->out))
		t->error = errno ? errno : EIO;
}

void trace_exit(struct tracer *t, const struct trace_exit *e)
{
	bool io = e->kind == EXIT_IO_IN || e->kind == EXIT_IO_OUT || e->coalesced;
	bool mmio = e->kind == EXIT_MMIO_READ || e->kind == EXIT_MMIO_WRITE;
	unsigned bytes = e->size * (e->count ? e->count : 1);

	if (!t->exits)
		return;
	if (!e->coalesced)
		t->exit_seq++;
	if (t->format == TRACE_JSONL) {
		json_exit(t, e, io, mmio, bytes);
		check_written(t);
		return;
	}
	if (e->coalesced)
		fprintf(t->out, "exit  -    %-10s", "coalesced");
	else
		fprintf(t->out, "exit  %-4" PRIu64 " %-10s", t->exit_seq,
			stats_exit_kind_name(e->kind));
	if (e->have_cs)
		fprintf(t->out, " cs=0x%x", e->cs);
	if (e->have_rip)
		fprintf(t->out, " rip=0x%" PRIx64, e->rip);
	if (io || mmio) {
		fprintf(t->out, " %s=0x%" PRIx64, io ? "port" : "addr", e->addr);
		if (e->device)
			fprintf(t->out, " (%s)", e->device);
		fprintf(t->out, " size=%u", e->size);
		if (e->count > 1)
			fprintf(t->out, " count=%u", e->count);
	}
	if (e->data && bytes)
		text_data(t->out, e->data, bytes);
	if (e->note)
		fprintf(t->out, " %s", e->note);
	fputc('\n', t->out);
	check_written(t);
}

void trace_insn(struct tracer *t, uint64_t rip, unsigned cpl,
		const uint8_t *bytes, unsigned len, bool len_known)
{
	unsigned i;

	if (!t->insns)
		return;
	t->insn_seq++;
	if (t->format == TRACE_JSONL) {
		struct json j;
		char hex[2 * 15 + 1];   /* an instruction is at most 15 bytes */

		hex_string(hex, bytes, len < 15 ? len : 15);
		json_init_line(&j, t->out);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "insn");
		json_u64(&j, "seq", t->insn_seq);
		json_hex(&j, "rip", rip);
		json_u64(&j, "ring", cpl);
		json_string(&j, "bytes", hex);
		json_bool(&j, "length_known", len_known);
		json_object_end(&j);
		(void)json_finish(&j);
		check_written(t);
		return;
	}
	fprintf(t->out, "insn  %-4" PRIu64 " ring %u rip=0x%" PRIx64 " ", t->insn_seq,
		cpl, rip);
	for (i = 0; i < len; i++)
		fprintf(t->out, "%s%02x", i ? " " : "", bytes[i]);
	if (!len_known)
		fputs(" ...", t->out);
	fputc('\n', t->out);
	check_written(t);
}

void trace_note(struct tracer *t, const char *text)
{
	if (t->format == TRACE_JSONL) {
		struct json j;

		json_init_line(&j, t->out);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "note");
		json_string(&j, "text", text);
		json_object_end(&j);
		(void)json_finish(&j);
	} else {
		fprintf(t->out, "note  %s\n", text);
	}
	check_written(t);
}
