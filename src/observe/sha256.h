/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4, section 6.2), for fingerprinting the guest image and
 * other inputs in the run report.  Streaming: init, update any number of
 * times with any split of the data, final.  Pure, no allocation.
 */
#ifndef KVMRUN_SHA256_H
#define KVMRUN_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE      32
#define SHA256_BLOCK_SIZE       64
#define SHA256_HEX_SIZE         65      /* 64 digits and the NUL */

struct sha256 {
	uint32_t h[8];          /* intermediate hash value H(i) */
	uint64_t bytes;         /* message length so far */
	uint8_t buf[64];        /* partial block */
	size_t used;            /* bytes in buf, always < 64 between calls */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);

/* Pad, write the digest and leave s re-initialised for a new message. */
void sha256_final(struct sha256 *s, uint8_t digest[32]);

/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_hex(const uint8_t digest[32], char out[65]);

#endif
