/* SPDX-License-Identifier: MIT */
/*
 * Image loading.  A loader reads an image file into guest RAM and says
 * where it lies and where it starts.  Only flat binaries exist today: the
 * file is copied as is to the load address.
 */
#ifndef KVMRUN_LOADER_H
#define KVMRUN_LOADER_H

#include <stdint.h>

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
 * a one-line reason for a missing, unreadable, empty, non-regular or
 * too-large file.
 */
int loader_flat(struct memmap *mm, const char *path, uint64_t load,
		struct loaded_image *img, struct error *err);

#endif
