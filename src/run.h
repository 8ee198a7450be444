/* SPDX-License-Identifier: MIT */
/*
 * The run loop: KVM_RUN until the guest ends, each exit handed to the
 * port-I/O or MMIO bus, every other way out of KVM_RUN a named ending.
 */
#ifndef KVMRUN_RUN_H
#define KVMRUN_RUN_H

#include "ending.h"
#include "error.h"
#include "machine.h"

/*
 * Run until the guest ends.  The signals in clock_run_signals() must be
 * blocked in the calling thread; they are let through only while the guest runs.
 * Every ending is in res, kvmrun's own failures included
 * (RUN_END_HOST_ERROR, err's text in res->host_error), so that output is
 * flushed and the run reported whatever happens.
 */
void run_machine(struct machine *m, struct run_result *res, struct error *err);

#endif
