/* SPDX-License-Identifier: MIT */
/* The gdb remote protocol's framing (gdb_packet.h). */
#include "debug/gdb_packet.h"

#include <string.h>

void gdb_rx_init(struct gdb_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

/* One byte of data, escapes and repeats undone. */
static void put(struct gdb_rx *rx, char c)
{
	if (rx->len >= GDB_PACKET_MAX) {
		rx->overflow = true;
		return;
	}
	rx->data[rx->len++] = c;
}

/* `x*n`: the byte before repeated n - 29 more times (n printable). */
static void repeat(struct gdb_rx *rx, uint8_t n)
{
	if (rx->len == 0 || n < ' ' || n > 126) {
		rx->overflow = true;    /* malformed: the packet is refused */
		return;
	}
	for (unsigned i = 0; i < (unsigned)n - 29u; i++)
		put(rx, rx->data[rx->len - 1]);
}

enum gdb_event gdb_rx_byte(struct gdb_rx *rx, uint8_t b)
{
	int d;

	/* `$` never appears unescaped inside a packet: a new packet starts,
	 * and a truncated one before it is dropped. */
	if (b == '$' && rx->state != RX_IDLE)
		rx->state = RX_IDLE;
	switch (rx->state) {
	case RX_IDLE:
		if (b == '$') {
			rx->state = RX_DATA;
			rx->sum = 0;
			rx->len = 0;
			rx->overflow = false;
			return GDB_NONE;
		}
		if (b == 0x03)
			return GDB_INTERRUPT;
		if (b == '+')
			return GDB_ACK;
		if (b == '-')
			return GDB_NACK;
		return GDB_NONE;        /* noise between packets */
	case RX_DATA:
		if (b == '#') {
			rx->state = RX_SUM1;
			return GDB_NONE;
		}
		rx->sum = (uint8_t)(rx->sum + b);
		if (b == '}')
			rx->state = RX_ESCAPE;
		else if (b == '*')
			rx->state = RX_REPEAT;
		else
			put(rx, (char)b);
		return GDB_NONE;
	case RX_REPEAT:
		rx->sum = (uint8_t)(rx->sum + b);
		repeat(rx, b);
		rx->state = RX_DATA;
		return GDB_NONE;
	case RX_ESCAPE:
		rx->sum = (uint8_t)(rx->sum + b);
		put(rx, (char)(b ^ 0x20));
		rx->state = RX_DATA;
		return GDB_NONE;
	case RX_SUM1:
		d = gdb_hex_digit((char)b);
		rx->want = (uint8_t)((d < 0 ? 0 : d) << 4);
		rx->overflow |= d < 0;
		rx->state = RX_SUM2;
		return GDB_NONE;
	case RX_SUM2:
		d = gdb_hex_digit((char)b);
		rx->want |= (uint8_t)(d < 0 ? 0 : d);
		rx->overflow |= d < 0;
		rx->state = RX_IDLE;
		rx->data[rx->len] = '\0';
		return rx->overflow || rx->want != rx->sum ? GDB_BAD_PACKET : GDB_PACKET;
	}
	rx->state = RX_IDLE;
	return GDB_NONE;
}

size_t gdb_frame(const char *data, size_t len, char *out, size_t size)
{
	size_t n = 0;
	uint8_t sum = 0;
	static const char hex[] = "0123456789abcdef";

	if (size < 4)
		return 0;
	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)data[i];
		bool esc = c == '$' || c == '#' || c == '}' || c == '*';

		if (n + (esc ? 2 : 1) + 3 > size)
			return 0;
		if (esc) {
			out[n++] = '}';
			sum = (uint8_t)(sum + '}');
			c ^= 0x20;
		}
		out[n++] = (char)c;
		sum = (uint8_t)(sum + c);
	}
	out[n++] = '#';
	out[n++] = hex[sum >> 4];
	out[n++] = hex[sum & 15];
	return n;
}

int gdb_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool gdb_hex_decode(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = gdb_hex_digit(hex[2 * i]), lo;

		if (hi < 0)
			return false;
		lo = gdb_hex_digit(hex[2 * i + 1]);
		if (lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void gdb_hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

bool gdb_hex_u64(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	unsigned n = 0;
	int d;

	while ((d = gdb_hex_digit(*s)) >= 0) {
		if (++n > 16)
			return false;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (n == 0)
		return false;
	*out = v;
	*p = s;
	return true;
}
