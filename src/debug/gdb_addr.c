/* SPDX-License-Identifier: MIT */
/* --gdb's address (gdb_addr.h). */
#include "debug/gdb_addr.h"

#include <arpa/inet.h>
#include <string.h>

#include "parse.h"

int gdb_addr_parse(const char *text, struct gdb_addr *a, struct error *err)
{
	const char *colon = strrchr(text, ':'), *why;
	struct in_addr in;
	uint64_t port;
	size_t host_len;

	memset(a, 0, sizeof(*a));
	if (strncmp(text, "unix:", 5) == 0) {
		if (!text[5] || strlen(text + 5) >= sizeof(a->path))
			return error_set(err, "--gdb '%s': a Unix socket's path must be 1-%zu "
					 "bytes", text, sizeof(a->path) - 1);
		a->unix_socket = a->loopback = true;
		memcpy(a->path, text + 5, strlen(text + 5) + 1);
		return 0;
	}
	if (!colon)
		return error_set(err, "--gdb '%s' must be [HOST]:PORT or unix:PATH", text);
	if (parse_u64(colon + 1, 1, 65535, &port, &why) < 0)
		return error_set(err, "--gdb '%s': the port %s (1-65535)", text, why);
	host_len = (size_t)(colon - text);
	if (host_len == 0 || (host_len == 9 && strncmp(text, "localhost", 9) == 0)) {
		memcpy(a->host, "127.0.0.1", 10);
	} else if (host_len < sizeof(a->host)) {
		memcpy(a->host, text, host_len);
		a->host[host_len] = '\0';
	}
	if (inet_pton(AF_INET, a->host, &in) != 1)
		return error_set(err, "--gdb '%s': the host must be an IPv4 address or "
				 "localhost", text);
	a->port = (uint16_t)port;
	a->loopback = (ntohl(in.s_addr) >> 24) == 127;
	return 0;
}
