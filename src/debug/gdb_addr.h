/* SPDX-License-Identifier: MIT */
/*
 * --gdb's address: ":PORT" (loopback), "HOST:PORT" (an IPv4 address, or
 * localhost) or "unix:PATH".  Parsed by the front end, so that a bad one
 * is refused before anything runs, and used by gdb.c to listen.
 */
#ifndef KVMRUN_DEBUG_GDB_ADDR_H
#define KVMRUN_DEBUG_GDB_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct gdb_addr {
	bool unix_socket;
	char path[108];         /* unix_socket: the socket's path */
	char host[16];          /* else: dotted IPv4 */
	uint16_t port;
	bool loopback;          /* 127.0.0.0/8 or a Unix socket */
};

int gdb_addr_parse(const char *text, struct gdb_addr *a, struct error *err);

#endif
