/* SPDX-License-Identifier: MIT */
/*
 * --trace: one line per VM exit (exits) and per guest instruction (insns),
 * readable text or JSON lines.  Formatting only: run.c and trap.c decide
 * what to record.
 */
#ifndef KVMRUN_TRACE_H
#define KVMRUN_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "observe/stats.h"

struct tracer {
	FILE *out;
	enum trace_format format;
	bool exits, insns;
	uint64_t exit_seq, insn_seq;
	int error;              /* errno of the first failed write, or 0 */
};

/* One exit, or one coalesced write (coalesced = true, no RIP). */
struct trace_exit {
	enum exit_kind kind;
	bool coalesced;
	bool have_rip;
	uint64_t rip;
	bool have_cs;           /* outside 64-bit code RIP is an offset into CS */
	uint16_t cs;
	uint64_t addr;          /* port or guest-physical address */
	unsigned size, count;   /* count > 1: string I/O */
	const uint8_t *data;    /* size * count bytes; NULL for reads not done */
	const char *device;     /* who serves addr, or NULL */
	const char *note;       /* e.g. "signal" details, "hlt", exit name */
};

void trace_exit(struct tracer *t, const struct trace_exit *e);

/* One executed instruction: len bytes at rip (len 0: unknown). */
void trace_insn(struct tracer *t, uint64_t rip, unsigned cpl,
		const uint8_t *bytes, unsigned len, bool len_known);

/* A remark in the trace ("instruction trace stops: ..."). */
void trace_note(struct tracer *t, const char *text);

#endif
