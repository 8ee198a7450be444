/* SPDX-License-Identifier: MIT */
/*
 * The Bochs/QEMU debug console at port 0xe9: every byte written appears on
 * stdout; a read returns 0xe9, which is how guests detect it.
 */
#include "dev/debugcon.h"

#include "kvmrun/abi.h"

static int debugcon_access(void *dev, struct bus_access *acc)
{
	if (acc->write)
		return console_write(dev, acc->data, 1);
	acc->data[0] = KVMRUN_PORT_DEBUGCON;
	return 0;
}

int debugcon_register(struct bus *pio, struct console *con, struct error *err)
{
	return bus_register(pio, KVMRUN_PORT_DEBUGCON, 1, "debugcon",
			    debugcon_access, con, BUS_BYTE_WIDE, err);
}
