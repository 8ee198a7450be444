/* SPDX-License-Identifier: MIT */
/*
 * A test suite: several images (or one, with --tap or --junit), each run
 * as kvmrun runs one image, in a process of its own (fork: a crash, a
 * time limit or an output limit in one run cannot touch the next), up to
 * --jobs at once.  Part of the front end: it prints.
 *
 *  - Each run passes when it ends with status 0, is skipped with status
 *    77 (the Automake convention for "skip"), and fails otherwise.
 *  - Lines a guest prints in kvm-unit-tests' convention, "PASS: name",
 *    "FAIL: name" and "SKIP: name", are checks of their own: one guest
 *    can report many.
 *  - --tap: TAP version 13 on stdout, a test point per run and per check,
 *    the plan at the end.  Without it each run's output goes to stdout in
 *    the order of the images, and a line per run to stderr.
 *  - --junit FILE: JUnit XML as GitLab and Jenkins read it: a testcase
 *    per run and per check, failure (message, type) and skipped, time,
 *    system-out.
 *  - Standard input is /dev/null for every run.  A summary line on stderr
 *    at the end.  Exit status 0 only if no run and no check failed, else
 *    1; 125 if kvmrun could not run the suite.
 */
#ifndef KVMRUN_SUITE_H
#define KVMRUN_SUITE_H

#include "config.h"

#define SUITE_SKIP_STATUS       77
#define SUITE_FAILED_STATUS     1

/* Run one image as kvmrun does (main.c), with cfg->image set. */
typedef int (*suite_run_one)(const struct config *cfg);

int suite_run(const struct config *cfg, suite_run_one run_one);

#endif
