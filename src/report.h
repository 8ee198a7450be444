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

#include "machine.h"

#define REPORT_FORMAT   1

struct report_times {
	uint64_t setup_us, run_us, total_us;
};

/*
 * Write the report of a run to out.  res may be NULL when the run could
 * not start (then only the image, options and the failure are known);
 * message is the first line kvmrun printed about the ending, or NULL.
 * Returns 0, or -1 if writing failed.
 */
int report_write(FILE *out, const struct config *cfg, const struct machine *m,
		 const struct run_result *res, const struct report_times *t,
		 const char *message);

/* SHA-256 of the file at path as 64 hex digits; -1 if it cannot be read. */
int report_file_sha256(const char *path, char hex[65], uint64_t *size);

#endif
