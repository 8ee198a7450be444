/* SPDX-License-Identifier: MIT */
/*
 * COM1: enough of a 16550 for polling drivers (ports in
 * include/kvmrun/abi.h).
 */
#ifndef KVMRUN_DEV_UART_H
#define KVMRUN_DEV_UART_H

#include <stdint.h>

#include "bus.h"
#include "dev/console.h"
#include "error.h"

struct uart {
	struct console *con;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
};

int uart_register(struct bus *pio, struct uart *uart, struct console *con,
		  struct error *err) __attribute__((warn_unused_result));

#endif
