/* SPDX-License-Identifier: MIT */
/*
 * Port 0x80, where firmware writes POST codes and drivers write to wait a
 * microsecond.  Writes are accepted silently; a read returns the last code.
 */
#include "dev/post.h"

#include "kvmrun/abi.h"

static int post_access(void *dev, struct bus_access *acc)
{
	struct post_port *post = dev;

	if (acc->write)
		post->last = acc->data[0];
	else
		acc->data[0] = post->last;
	return 0;
}

int post_register(struct bus *pio, struct post_port *post, struct error *err)
{
	*post = (struct post_port){ 0 };
	return bus_register(pio, KVMRUN_PORT_POST, 1, "POST", post_access, post,
			    BUS_BYTE_WIDE, err);
}
