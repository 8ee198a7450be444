/* SPDX-License-Identifier: MIT */
/*
 * Telling the user how a run ended: one line for every ending other than a
 * clean hlt or exit-device write, plus, for a crash, the code bytes at RIP
 * and the registers.  Part of the front end: it prints.
 */
#ifndef KVMRUN_OUTCOME_H
#define KVMRUN_OUTCOME_H

#include <stdbool.h>
#include <stdio.h>

#include "run.h"

void outcome_print(FILE *out, const struct machine *m,
		   const struct run_result *res);

/*
 * --dump-mem: each range as a hex dump on out, or raw into files[i], the
 * file the front end opened for it before the run (NULL: a hex dump).
 * Returns 0, or -1 with err set if a file cannot be written.
 */
int outcome_dump_mem(FILE *out, const struct machine *m, FILE *const *files,
		     struct error *err);

/* Did the guest run off its initial stack, into the guard page below it
 * (a fault whose CR2 or RSP lies there, under kvmrun's page tables)? */
bool outcome_stack_overflow(const struct run_result *res);

/* "TERM", "RTMIN+3": a signal's name without SIG, in buf (16 bytes). */
const char *outcome_signal_name(int sig, char *buf);

#endif
