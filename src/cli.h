/* SPDX-License-Identifier: MIT */
/*
 * The command line: argv in, a struct config out.  Prints nothing: main.c
 * prints usage, version and errors.
 */
#ifndef KVMRUN_CLI_H
#define KVMRUN_CLI_H

#include <stdio.h>

#include "config.h"
#include "error.h"

#define KVMRUN_VERSION "0.1.0"

enum cli_action {
	CLI_RUN,                /* cfg is ready */
	CLI_HELP,               /* -h: usage on stdout, status 0 */
	CLI_VERSION,            /* -V */
	CLI_USAGE_ERROR,        /* err says why; usage hint, status 125 */
};

enum cli_action cli_parse(int argc, char **argv, struct config *cfg,
			  struct error *err);

void cli_usage(FILE *out);

/* REG=VALUE (rax ... r15; VALUE may be negative) into *r; what begins a
 * message ("--set ", or "" where the caller says where). */
int cli_parse_reg_set(const char *what, const char *arg, struct reg_set *r,
		      struct error *err);

#endif
