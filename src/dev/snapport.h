/* SPDX-License-Identifier: MIT */
/*
 * Port 0xf8, the snapshot point: a guest run with --repeat writes it once
 * its setup is done, and every later run restarts right after that write
 * instead of from the entry (speedups/snapshot.h).  Without --repeat the
 * write is accepted and nothing happens; a read gives 0.
 */
#ifndef KVMRUN_DEV_SNAPPORT_H
#define KVMRUN_DEV_SNAPPORT_H

#include <stdbool.h>

#include "bus.h"
#include "error.h"

struct snapshot_port {
	bool requested;         /* written since the run loop last looked */
};

int snapport_register(struct bus *pio, struct snapshot_port *port, struct error *err)
	__attribute__((warn_unused_result));

#endif
