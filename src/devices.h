/* SPDX-License-Identifier: MIT */
/*
 * The devices kvmrun gives every guest (ports and addresses are in
 * include/kvmrun/abi.h).  Each lives in its own dev_*.c file, keeps its
 * state in a struct it is handed, and registers its range on a bus.
 */
#ifndef KVMRUN_DEVICES_H
#define KVMRUN_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "console.h"
#include "error.h"

/* A device asking the run loop to end the run. */
enum stop_kind {
	STOP_EXIT,              /* the exit device: status = value & 0xff */
	STOP_GUEST_ERROR,       /* the guest misused a device: status 126 */
};

struct stop_request {
	bool requested;
	enum stop_kind kind;
	uint64_t value;         /* what the guest wrote to the exit device */
	char why[200];          /* STOP_GUEST_ERROR: one line */
};

/* Ask for the run to end because of guest misbehaviour (first ask wins). */
void stop_guest_error(struct stop_request *stop, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* COM1: enough of a 16550 for polling drivers (dev_uart.c). */
struct uart {
	struct console *con;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
};
int uart_register(struct bus *pio, struct uart *uart, struct console *con,
		  struct error *err) __attribute__((warn_unused_result));

/* Debug console at 0xe9 (dev_debugcon.c): state is the console. */
int debugcon_register(struct bus *pio, struct console *con, struct error *err)
	__attribute__((warn_unused_result));

/* Exit device at 0xf4 (dev_exit.c). */
int exitdev_register(struct bus *pio, struct stop_request *stop,
		     struct error *err) __attribute__((warn_unused_result));

/* POST-code port 0x80 (dev_post.c): remembers the last code written. */
struct post_port {
	uint8_t last;
};
int post_register(struct bus *pio, struct post_port *post, struct error *err)
	__attribute__((warn_unused_result));

/* Bulk console write at port 0xf0 (dev_write.c). */
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

/* MMIO test device (dev_testdev.c): an ID and scratch registers. */
struct testdev {
	uint64_t scratch[8];
};
int testdev_register(struct bus *mmio, struct testdev *td, struct error *err)
	__attribute__((warn_unused_result));

#endif
