/* SPDX-License-Identifier: MIT */
/*
 * Multiboot (version 1) kernels, as the Multiboot Specification 0.6.96
 * defines them: a header in the first 8 KiB of the file says how the
 * kernel wants to be loaded (its ELF program headers, or the "a.out kludge"
 * address fields), and the kernel starts in 32-bit protected mode with
 * EAX = 0x2BADB002 and EBX = the physical address of a multiboot
 * information structure: memory sizes, a memory map, the command line
 * and the modules.  ELF32 (i386) and ELF64 (x86-64) kernels are both
 * accepted; the ELF64 one is entered the same way, in 32-bit code.
 *
 * kvmrun puts the information structure, its strings and its memory map
 * at MULTIBOOT_INFO_ADDR, inside its reserved area, and the modules after
 * the kernel, page-aligned.
 */
#ifndef KVMRUN_LOAD_MULTIBOOT_H
#define KVMRUN_LOAD_MULTIBOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "load/source.h"
#include "memmap.h"

#define MULTIBOOT_BOOTLOADER_MAGIC      0x2badb002u     /* EAX at entry */
#define MULTIBOOT_INFO_ADDR             0x8000  /* in kvmrun's reserved area */
#define MULTIBOOT_INFO_END              0xc000  /* ... up to the stack */

/* The header fields kvmrun uses (spec 3.1). */
struct multiboot_header {
	uint32_t offset;        /* where in the file the header is */
	uint32_t flags;
	/* flags bit 16: where to load the file, without ELF headers */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

/*
 * Read and check the header at offset in src: checksum, required feature
 * bits kvmrun provides (0: page-aligned modules, 1: memory information;
 * not 2, a video mode), and the address fields if bit 16 is set.
 */
int multiboot_header(const struct image_source *src, uint32_t offset,
		     struct multiboot_header *h, struct error *err);

/* What a loaded kernel needs at entry. */
struct multiboot_boot {
	uint32_t entry;         /* EIP */
	uint32_t info;          /* EBX: the information structure */
	uint64_t kernel_start, kernel_end;      /* its extent in RAM */
};

/*
 * Load the kernel (its ELF segments, or the a.out kludge's range), then
 * each module after it, and write the information structure.  cmdline is
 * the kernel's command line as the kernel sees it.
 */
int multiboot_load(struct memmap *mm, const struct image_source *src,
		   const struct multiboot_header *h, unsigned elf_class,
		   const char *cmdline, const struct config_module *modules,
		   unsigned nr_modules, struct multiboot_boot *boot, struct error *err);

#endif
