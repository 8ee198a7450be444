/* SPDX-License-Identifier: MIT */
/*
 * The gdb remote protocol's framing (gdb's manual, "Remote Protocol",
 * "Overview"): a packet is `$data#cc`, cc the modulo-256 sum of data's
 * bytes in two hex digits; the receiver answers `+` (got it) or `-` (send
 * again) unless no-ack mode was agreed; a lone 0x03 byte is an interrupt
 * (Ctrl-C).  In data, `}` escapes the next byte (XORed with 0x20), and a
 * `*` after a byte repeats it (run-length encoding, which gdb only uses
 * towards us in replies, never in commands, but is decoded anyway).
 *
 * A `$` always starts a packet: one cut short is dropped, not glued to
 * the next.  No I/O here: bytes go in, events come out, so the parser can be tested
 * and fuzzed on its own.
 */
#ifndef KVMRUN_DEBUG_GDB_PACKET_H
#define KVMRUN_DEBUG_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX  16384   /* data bytes in one packet, either way
				   (we say so in qSupported's PacketSize) */

enum gdb_event {
	GDB_NONE,               /* need more bytes */
	GDB_PACKET,             /* a whole packet with a good checksum: rx->data */
	GDB_BAD_PACKET,         /* checksum wrong, or too long: answer `-` */
	GDB_INTERRUPT,          /* 0x03 between packets */
	GDB_ACK,                /* `+` */
	GDB_NACK,               /* `-`: send the last packet again */
};

struct gdb_rx {
	enum { RX_IDLE, RX_DATA, RX_ESCAPE, RX_REPEAT, RX_SUM1, RX_SUM2 } state;
	uint8_t sum;            /* of the bytes as sent */
	uint8_t want;           /* the checksum the sender gave */
	bool overflow;
	size_t len;
	char data[GDB_PACKET_MAX + 1];  /* NUL-terminated, escapes undone */
};

void gdb_rx_init(struct gdb_rx *rx);

/* Feed one byte; what it completed, if anything. */
enum gdb_event gdb_rx_byte(struct gdb_rx *rx, uint8_t byte);

/*
 * `$data#cc` for len bytes of data, escaping `$`, `#`, `}` and `*`, into
 * out (room for size bytes).  Returns the length, or 0 if it does not fit.
 */
size_t gdb_frame(const char *data, size_t len, char *out, size_t size);

/* Hex: a digit's value or -1; "1a2b" into bytes (n bytes); bytes into hex. */
int gdb_hex_digit(char c);
bool gdb_hex_decode(const char *hex, uint8_t *out, size_t n);
void gdb_hex_encode(const uint8_t *in, size_t n, char *out);

/*
 * A hex number at *p (at least one digit, at most 16), moving *p past it.
 * Returns false if there is none or it overflows.
 */
bool gdb_hex_u64(const char **p, uint64_t *out);

#endif
