/* SPDX-License-Identifier: MIT */
/*
 * What kind of file an image is, told from its first bytes.  kvmrun runs
 * flat binaries; anything it recognises as something else (an ELF file,
 * a multiboot or Linux kernel, a PE executable, a script, a text file) is
 * refused by name with what to do, because running such a file's bytes as
 * code "works" just often enough to be dangerous: a multiboot kernel can
 * reach a hlt by accident and exit 0, a false pass in CI.  Pure: no I/O.
 */
#ifndef KVMRUN_IMAGEFMT_H
#define KVMRUN_IMAGEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of the file's start that detection looks at (multiboot2's reach). */
#define IMAGEFMT_HEAD           32768
/* A multiboot (v1) header lies in the first 8 KiB, 4-byte aligned. */
#define IMAGEFMT_MB1_REACH      8192
#define IMAGEFMT_MB1_MAGIC      0x1badb002u
#define IMAGEFMT_MB2_MAGIC      0xe85250d6u
/* A text file: every byte of the first TEXT_REACH printable or UTF-8. */
#define IMAGEFMT_TEXT_REACH     4096

enum imagefmt_kind {
	IMAGEFMT_FLAT,          /* nothing recognised: raw machine code */
	IMAGEFMT_ELF,
	IMAGEFMT_MULTIBOOT,     /* a multiboot (v1) header; may be ELF too */
	IMAGEFMT_MULTIBOOT2,
	IMAGEFMT_BZIMAGE,       /* a Linux kernel's boot protocol header */
	IMAGEFMT_PE,            /* MZ with a PE header: Windows, UEFI */
	IMAGEFMT_MZ,            /* MZ without one: DOS */
	IMAGEFMT_GZIP,
	IMAGEFMT_SCRIPT,        /* #! */
	IMAGEFMT_TEXT,
};

struct imagefmt {
	enum imagefmt_kind kind;
	/* "an ELF 64-bit relocatable object for x86-64 (gcc -c output)" */
	char what[160];
	/* What to do instead, one clause: "link it with ..." */
	char advice[200];
	/* ELF header fields, when the file is ELF (also a multiboot one). */
	unsigned elf_class;     /* 1: 32-bit, 2: 64-bit; 0: not ELF */
	unsigned elf_type;      /* ET_REL 1, ET_EXEC 2, ET_DYN 3, ET_CORE 4 */
	unsigned elf_machine;   /* EM_386 3, EM_X86_64 62, ... */
	uint32_t header_offset; /* multiboot: where its header is */
};

/*
 * Tell what the file whose first len bytes are head is (len may be less
 * than IMAGEFMT_HEAD for a short file).  Always fills out; kind is
 * IMAGEFMT_FLAT when nothing else was recognised.
 */
void imagefmt_detect(const uint8_t *head, size_t len, struct imagefmt *out);

#endif
