/* SPDX-License-Identifier: MIT */
/* The bulk console write at port 0xf0: one exit per buffer. */
#ifndef KVMRUN_DEV_BULK_WRITE_H
#define KVMRUN_DEV_BULK_WRITE_H

#include <stdint.h>

#include "bus.h"
#include "dev/console.h"
#include "dev/stop.h"
#include "error.h"

struct memmap;
struct bulk_write {
	struct console *con;
	const struct memmap *mem;
	struct stop_request *stop;
	uint64_t calls, bytes;
	uint8_t *done_at;       /* a `done` to set once the bytes are out */
	uint64_t done_value;
};
/*
 * A call too large for the console's buffer is queued by reference to
 * guest RAM (console.h), which may hold the struct's own `done`: that is
 * set only once the bytes are written, here.  The run loop calls this when
 * the console is no longer busy, before the guest runs again.
 */
void bulk_write_finish(struct bulk_write *bw);

int bulk_write_register(struct bus *pio, struct bulk_write *bw,
			struct console *con, const struct memmap *mem,
			struct stop_request *stop, struct error *err)
	__attribute__((warn_unused_result));

#endif
