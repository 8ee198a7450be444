/* SPDX-License-Identifier: MIT */
/*
 * The exit device at port 0xf4: a write of any size ends the run, and the
 * low byte of the value becomes kvmrun's exit status.  Unlike QEMU's
 * isa-debug-exit there is no (V << 1) | 1 mangling: the guest writes the
 * status it wants.  Reads return all ones.
 */
#include "dev/exitdev.h"

#include "kvmrun/abi.h"

static int exitdev_access(void *dev, struct bus_access *acc)
{
	struct stop_request *stop = dev;

	if (acc->write && !stop->requested) {
		stop->requested = true;
		stop->kind = STOP_EXIT;
		stop->value = bus_get_value(acc);
	}
	return 0;
}

int exitdev_register(struct bus *pio, struct stop_request *stop,
		     struct error *err)
{
	*stop = (struct stop_request){ 0 };
	return bus_register(pio, KVMRUN_PORT_EXIT, 1, "exit", exitdev_access,
			    stop, 0, err);
}
