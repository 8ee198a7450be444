/* SPDX-License-Identifier: MIT */
/*
 * kvmrun's front end: parse the command line into a config, build a
 * machine from it, run it, say how the run ended and exit with the status
 * the README's table gives.  The only file that exits.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "kvmrun/abi.h"
#include "machine.h"
#include "outcome.h"

int main(int argc, char **argv)
{
	struct machine *m;
	struct run_result res;
	int status;
	struct config cfg;
	struct error err = { "" };
	sigset_t set;

	switch (cli_parse(argc, argv, &cfg, &err)) {
	case CLI_RUN:
		break;
	case CLI_HELP:
		cli_usage(stdout);
		return 0;
	case CLI_VERSION:
		printf("kvmrun %s\n", KVMRUN_VERSION);
		return 0;
	case CLI_USAGE_ERROR:
		if (argc > 1)
			fprintf(stderr, "kvmrun: %s (kvmrun --help for usage)\n", err.msg);
		else
			cli_usage(stderr);
		return KVMRUN_STATUS_HOST;
	}

	/* A closed stdout shows up as EPIPE from write(), not as a death. */
	signal(SIGPIPE, SIG_IGN);
	/* Signals that end the run wait, blocked, until KVM_RUN lets them in. */
	run_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		perror("kvmrun: sigprocmask");
		return KVMRUN_STATUS_HOST;
	}

	m = malloc(sizeof(*m));         /* machine_create initialises it */
	if (!m) {
		fprintf(stderr, "kvmrun: out of memory\n");
		return KVMRUN_STATUS_HOST;
	}
	if (machine_create(m, &cfg, stderr, cfg.verbose ? stderr : NULL, &err) < 0) {
		fprintf(stderr, "kvmrun: %s\n", err.msg);
		free(m);
		return KVMRUN_STATUS_HOST;
	}
	if (machine_run(m, &res, &err) < 0) {
		fprintf(stderr, "kvmrun: %s\n", err.msg);
		status = KVMRUN_STATUS_HOST;
	} else {
		outcome_print(stderr, m, &res);
		status = res.status;
	}
	machine_destroy(m);
	free(m);
	return status;
}
