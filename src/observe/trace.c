/* SPDX-License-Identifier: MIT */
#include "observe/trace.h"

#include <errno.h>
#include <inttypes.h>

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

static void json_data(FILE *out, const uint8_t *d, unsigned n)
{
	unsigned i, shown = n < TRACE_MAX_DATA ? n : TRACE_MAX_DATA;

	fputs(",\"data\":\"", out);
	for (i = 0; i < shown; i++)
		fprintf(out, "%02x", d[i]);
	fputc('"', out);
	if (shown < n)
		fprintf(out, ",\"data_bytes\":%u", n);
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
		fprintf(t->out, "{\"type\":\"exit\",\"seq\":%" PRIu64 ",\"kind\":\"%s\","
			"\"coalesced\":%s", t->exit_seq, exit_kind_name(e->kind),
			e->coalesced ? "true" : "false");
		if (e->have_rip)
			fprintf(t->out, ",\"rip\":\"0x%" PRIx64 "\"", e->rip);
		if (io || mmio)
			fprintf(t->out, ",\"%s\":\"0x%" PRIx64 "\",\"size\":%u,\"count\":%u",
				io ? "port" : "addr", e->addr, e->size,
				e->count ? e->count : 1);
		if (e->device)
			fprintf(t->out, ",\"device\":\"%s\"", e->device);
		if (e->data && bytes)
			json_data(t->out, e->data, bytes);
		if (e->note)
			fprintf(t->out, ",\"note\":\"%s\"", e->note);
		fputs("}\n", t->out);
		check_written(t);
		return;
	}
	if (e->coalesced)
		fprintf(t->out, "exit  -    %-10s", "coalesced");
	else
		fprintf(t->out, "exit  %-4" PRIu64 " %-10s", t->exit_seq,
			exit_kind_name(e->kind));
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
		fprintf(t->out, "{\"type\":\"insn\",\"seq\":%" PRIu64 ",\"rip\":\"0x%"
			PRIx64 "\",\"ring\":%u,\"bytes\":\"", t->insn_seq, rip, cpl);
		for (i = 0; i < len; i++)
			fprintf(t->out, "%02x", bytes[i]);
		fprintf(t->out, "\",\"length_known\":%s}\n", len_known ? "true" : "false");
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
	if (t->format == TRACE_JSONL)
		fprintf(t->out, "{\"type\":\"note\",\"text\":\"%s\"}\n", text);
	else
		fprintf(t->out, "note  %s\n", text);
	check_written(t);
}
