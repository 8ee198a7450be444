/* SPDX-License-Identifier: MIT */
/*
 * Where an image's bytes come from: an open regular file (read with
 * pread, never mapped, so that a file another process truncates meanwhile
 * gives an error, not a SIGBUS) or bytes already in memory (kvmrun -).
 * Every read is checked against the size: a header or segment that points
 * past the end of the image is refused by name.
 */
#ifndef KVMRUN_LOAD_SOURCE_H
#define KVMRUN_LOAD_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct image_source {
	const char *name;       /* what messages call the image */
	uint64_t size;          /* bytes in the image */
	int fd;                 /* a regular file, or -1 ... */
	const uint8_t *data;    /* ... for bytes in memory */
};

/* A source over len bytes in memory. */
struct image_source source_bytes(const uint8_t *data, uint64_t len, const char *name);

/* Does [offset, offset + len) lie within the image? */
bool source_has(const struct image_source *src, uint64_t offset, uint64_t len);

/*
 * Copy len bytes at offset into dst.  -1 if they are not all in the image
 * ("what" names them in the message: "its program headers") or reading
 * fails (the file shrank, an I/O error).
 */
int source_read(const struct image_source *src, uint64_t offset, void *dst,
		uint64_t len, const char *what, struct error *err);

#endif
