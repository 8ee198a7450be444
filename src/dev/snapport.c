/* SPDX-License-Identifier: MIT */
/* Port 0xf8: the guest's snapshot point (snapport.h). */
#include "dev/snapport.h"

#include <string.h>

#include "kvmrun/abi.h"

static int snapport_access(void *dev, struct bus_access *acc)
{
	struct snapshot_port *port = dev;

	if (acc->write)
		port->requested = true;         /* the run loop takes it */
	else
		memset(acc->data, 0, acc->size);
	return 0;
}

int snapport_register(struct bus *pio, struct snapshot_port *port, struct error *err)
{
	*port = (struct snapshot_port){ false };
	return bus_register(pio, KVMRUN_PORT_SNAPSHOT, 4, "snapshot", snapport_access, port,
			    BUS_BYTE_WIDE, err);
}
