/* SPDX-License-Identifier: MIT */
/*
 * Telling the user how a run ended: one line for every ending other than a
 * clean hlt or exit-device write, plus, for a crash, the code bytes at RIP
 * and the registers.  Part of the front end: it prints.
 */
#ifndef KVMRUN_OUTCOME_H
#define KVMRUN_OUTCOME_H

#include <stdio.h>

#include "machine.h"

void outcome_print(FILE *out, const struct machine *m,
		   const struct run_result *res);

/*
 * --dump-mem: each range as a hex dump on out, or raw into its file.
 * Returns 0, or -1 with err set if a file cannot be written.
 */
int outcome_dump_mem(FILE *out, const struct machine *m, struct error *err);

#endif
