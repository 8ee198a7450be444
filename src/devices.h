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

/* A device asking the run loop to end the run (the exit device). */
struct stop_request {
	bool requested;
	uint64_t value;         /* what the guest wrote */
};

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

/* MMIO test device (dev_testdev.c): an ID and scratch registers. */
struct testdev {
	uint64_t scratch[8];
};
int testdev_register(struct bus *mmio, struct testdev *td, struct error *err)
	__attribute__((warn_unused_result));

#endif
