/* SPDX-License-Identifier: MIT */
/* The POST-code port 0x80: remembers the last code written. */
#ifndef KVMRUN_DEV_POST_H
#define KVMRUN_DEV_POST_H

#include <stdint.h>

#include "bus.h"
#include "error.h"

struct post_port {
	uint8_t last;
};

int post_register(struct bus *pio, struct post_port *post, struct error *err)
	__attribute__((warn_unused_result));

#endif
