/* SPDX-License-Identifier: MIT */
/*
 * Image loading.  A loader reads an image into guest RAM and says where it
 * lies and where it starts.  Only flat binaries exist today: the bytes are
 * copied as is to the load address.  A file that is recognisably something
 * else (imagefmt.h) is refused by name unless the format is forced flat.
 */
#ifndef KVMRUN_LOADER_H
#define KVMRUN_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "memmap.h"

struct loaded_image {
	uint64_t addr;          /* guest-physical address of the first byte */
	uint64_t size;          /* bytes loaded */
	uint64_t entry;         /* where the loader suggests execution starts */
};

/*
 * Load the flat binary at path into guest RAM at load, recording it in the
 * memory map (so it can never overlap kvmrun's reserved area).  Fails with
 * a one-line reason for a missing, unreadable, empty, non-regular (FIFOs
 * included: they are never opened for long) or too-large file, and, with
 * IMAGE_AUTO, for a file recognised as something other than a flat binary.
 */
int loader_flat(struct memmap *mm, const char *path, uint64_t load,
		enum image_format format, struct loaded_image *img,
		struct error *err);

/*
 * With IMAGE_AUTO, refuse an image whose first len bytes (up to
 * IMAGEFMT_HEAD) say it is not a flat binary, naming what it is and what
 * to do; name is what the message calls it.
 */
int loader_check_format(const uint8_t *head, size_t len, const char *name,
			enum image_format format, struct error *err);

/*
 * The same for an image already in memory (read from standard input);
 * name is what messages call it.
 */
int loader_flat_bytes(struct memmap *mm, const uint8_t *data, size_t size,
		      const char *name, uint64_t load, enum image_format format,
		      struct loaded_image *img, struct error *err);

#endif
