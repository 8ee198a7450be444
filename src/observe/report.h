/* SPDX-License-Identifier: MIT */
/*
 * --report: one JSON object describing a whole run, written when it ends,
 * whatever the ending.  Every field is documented in docs/report.md; the
 * "format" number changes only if a field changes meaning or goes away.
 * Part of the front end.
 */
#ifndef KVMRUN_REPORT_H
#define KVMRUN_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "run.h"

#define REPORT_FORMAT   1

struct report_times {
	uint64_t setup_us, run_us, total_us;
};

/* The image as loaded: sha256 "" when it never was (then both are null). */
struct report_image {
	uint64_t size;
	char sha256[65];
	const char *format;     /* "flat", "elf64"; NULL: never loaded */
};

/*
 * Write the report of a run to out, whose process exits with status.  m
 * and res may be NULL when the run could not start (then only the image,
 * options and the failure are known: a status of 128 + N says signal N
 * came during the setup); message is the first line kvmrun printed about
 * the ending, or NULL.  Returns 0, or -1 if writing failed.
 */
int report_write(FILE *out, const struct config *cfg, const struct machine *m,
		 const struct report_image *image, const struct run_result *res,
		 int status, const struct report_times *t, const char *message);

#endif
