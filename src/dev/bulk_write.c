/* SPDX-License-Identifier: MIT */
/*
 * The bulk console write at port 0xf0: one exit writes a whole buffer.
 * The guest puts {addr, len} in a struct kvmrun_write and writes the
 * struct's address to the port (a 32-bit out).  kvmrun checks that the
 * struct and the buffer lie entirely inside guest RAM (no wrap-around),
 * queues the bytes to stdout straight from guest memory, and sets `done`.
 * A bad struct or buffer ends the run as a guest error: there is no way
 * to hand the guest an error it would be sure to check.
 */
#include "dev/bulk_write.h"

#include <stddef.h>
#include <string.h>

#include "kvmrun/abi.h"
#include "memmap.h"

static int write_access(void *dev, struct bus_access *acc)
{
	struct bulk_write *bw = dev;
	struct kvmrun_write *req;
	const uint8_t *buf;
	uint64_t desc, addr, len;
	int r;

	if (!acc->write)
		return 0;                       /* reads: all ones */
	if (acc->size != 4) {
		stop_guest_error(bw->stop, "bulk write port %#x: write the struct's "
				 "address with a 32-bit out, not %u byte%s",
				 KVMRUN_PORT_WRITE, acc->size, acc->size == 1 ? "" : "s");
		return 0;
	}
	desc = bus_get_value(acc);
	req = memmap_gpa(bw->mem, desc, sizeof(*req));
	if (!req) {
		stop_guest_error(bw->stop, "bulk write: struct kvmrun_write at %#llx "
				 "is not inside guest RAM", (unsigned long long)desc);
		return 0;
	}
	memcpy(&addr, (uint8_t *)req + offsetof(struct kvmrun_write, addr), 8);
	memcpy(&len, (uint8_t *)req + offsetof(struct kvmrun_write, len), 8);
	buf = len ? memmap_gpa(bw->mem, addr, len) : NULL;
	if (len && !buf) {
		stop_guest_error(bw->stop, "bulk write: buffer of %llu bytes at %#llx "
				 "is not inside guest RAM", (unsigned long long)len,
				 (unsigned long long)addr);
		return 0;
	}
	bw->calls++;
	if (len) {
		r = console_write_ref(bw->con, buf, (size_t)len);
		if (r < 0)
			return r;
		bw->bytes += len;
	}
	bw->done_at = (uint8_t *)req + offsetof(struct kvmrun_write, done);
	bw->done_value = len;
	bulk_write_finish(bw);  /* at once, unless queued by reference */
	return 0;
}

void bulk_write_finish(struct bulk_write *bw)
{
	if (!bw->done_at || console_busy(bw->con))
		return;
	memcpy(bw->done_at, &bw->done_value, 8);
	bw->done_at = NULL;
}

int bulk_write_register(struct bus *pio, struct bulk_write *bw,
			struct console *con, const struct memmap *mem,
			struct stop_request *stop, struct error *err)
{
	*bw = (struct bulk_write){ .con = con, .mem = mem, .stop = stop };
	return bus_register(pio, KVMRUN_PORT_WRITE, 1, "bulk write", write_access,
			    bw, 0, err);
}
