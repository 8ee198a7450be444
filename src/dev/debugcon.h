/* SPDX-License-Identifier: MIT */
/* The debug console at port 0xe9: its state is the console. */
#ifndef KVMRUN_DEV_DEBUGCON_H
#define KVMRUN_DEV_DEBUGCON_H

#include "bus.h"
#include "dev/console.h"
#include "error.h"

int debugcon_register(struct bus *pio, struct console *con, struct error *err)
	__attribute__((warn_unused_result));

#endif
