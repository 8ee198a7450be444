/* SPDX-License-Identifier: MIT */
/*
 * Image loading.  The loader tells from an image's first bytes what it is
 * (imagefmt.h) and hands it to the loader for that format (load/): a flat
 * binary is copied as is to the load address; an ELF64 executable's
 * segments go where its program headers say (load/elf.h); a multiboot
 * kernel as its header says, with its modules (load/multiboot.h).  Anything else
 * it recognises is refused by name, with what to do, unless --format
 * flat forces raw bytes.  Every image is recorded in the memory map, so it
 * can never overlap kvmrun's reserved area.
 */
#ifndef KVMRUN_LOADER_H
#define KVMRUN_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "memmap.h"

/* What the command line asks of the loader. */
struct load_request {
	enum image_format format;       /* --format */
	uint64_t load;                  /* --load: a flat image's address */
	bool load_set;                  /* --load was given */
	const char *append;             /* --append (multiboot) */
	const struct config_module *modules;    /* --module (multiboot) */
	unsigned nr_modules;
	bool hash;                      /* fill in loaded_image.sha256 (--report) */
};

struct loaded_image {
	uint64_t addr;          /* guest-physical address of the first byte */
	uint64_t size;          /* bytes from there to the end of the last */
	uint64_t entry;         /* where the image says execution starts */
	const char *format;     /* "flat", "elf64", "multiboot" */
	uint32_t multiboot_info;        /* multiboot: EBX, its information */
	uint64_t file_size;             /* the image file's size */
	char sha256[65];                /* the file's SHA-256, if asked ("" if not) */
};

/*
 * Load the image at path into guest RAM.  Fails with a one-line reason
 * for a missing, unreadable, empty, non-regular (FIFOs included: they are
 * never opened for long) or too-large file, a file recognised as
 * something kvmrun does not run, and a malformed ELF file.
 */
int loader_file(struct memmap *mm, const char *path, const struct load_request *req,
		struct loaded_image *img, struct error *err);

/* The same for an image already in memory (kvmrun -); name is what
 * messages call it. */
int loader_bytes(struct memmap *mm, const uint8_t *data, size_t size, const char *name,
		 const struct load_request *req, struct loaded_image *img,
		 struct error *err);

/*
 * Refuse an image whose first len bytes (up to IMAGEFMT_HEAD) say it is
 * something kvmrun does not run under format, naming what it is and what
 * to do; name is what the message calls it.
 */
int loader_check_format(const uint8_t *head, size_t len, const char *name,
			enum image_format format, struct error *err);

#endif
