/* SPDX-License-Identifier: MIT */
/*
 * The gdb stub's packet parser (src/debug/gdb_packet.c) on fuzzed bytes:
 * whatever a connection sends, the parser never reads or writes outside
 * its buffer, a packet it accepts fits GDB_PACKET_MAX and is NUL-ended,
 * and the stub's number reader never runs past the NUL.
 *
 * Checked too: every accepted packet framed again with gdb_frame parses
 * back to the same bytes (escapes both ways).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "debug/gdb_packet.h"
#include "fuzz_common.h"

static void check_packet(const struct gdb_rx *rx)
{
	static char framed[2 * GDB_PACKET_MAX + 8];
	static struct gdb_rx again;
	const char *p = rx->data;
	uint64_t v;
	size_t n;

	if (rx->len > GDB_PACKET_MAX || rx->data[rx->len] != '\0')
		abort();
	while (*p) {                    /* numbers anywhere, as the stub reads */
		if (!gdb_hex_u64(&p, &v))
			p++;
		if (p > rx->data + rx->len)
			abort();
	}
	n = gdb_frame(rx->data, rx->len, framed, sizeof(framed));
	if (n == 0)
		abort();                /* twice the data always fits */
	gdb_rx_init(&again);
	for (size_t i = 0; i < n; i++) {
		enum gdb_event ev = gdb_rx_byte(&again, (uint8_t)framed[i]);

		if (i + 1 < n ? ev != GDB_NONE : ev != GDB_PACKET)
			abort();
	}
	if (again.len != rx->len || memcmp(again.data, rx->data, rx->len) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gdb_rx rx;

	gdb_rx_init(&rx);
	for (size_t i = 0; i < size; i++)
		if (gdb_rx_byte(&rx, data[i]) == GDB_PACKET)
			check_packet(&rx);
	return 0;
}
