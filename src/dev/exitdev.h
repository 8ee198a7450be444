/* SPDX-License-Identifier: MIT */
/* The exit device at port 0xf4: the guest chooses kvmrun's status. */
#ifndef KVMRUN_DEV_EXITDEV_H
#define KVMRUN_DEV_EXITDEV_H

#include "bus.h"
#include "dev/stop.h"
#include "error.h"

int exitdev_register(struct bus *pio, struct stop_request *stop,
		     struct error *err) __attribute__((warn_unused_result));

#endif
