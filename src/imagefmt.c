/* SPDX-License-Identifier: MIT */
/*
 * Magic numbers from: the System V ABI's ELF header (e_ident, e_type,
 * e_machine, program headers); the Multiboot Specification 0.6.96, 3.1.1
 * (magic, flags and checksum that sum to zero, in the first 8192 bytes,
 * 32-bit aligned) and Multiboot2 1.0, 3.1.1 (first 32768 bytes, 64-bit
 * aligned); the Linux x86 boot protocol ("HdrS" at 0x202); the PE/COFF
 * specification (MZ, then "PE\0\0" at the offset in 0x3c); RFC 1952 (gzip).
 */
#include "imagefmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ELF_PT_INTERP   3

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* An ELF field of n bytes (2, 4 or 8) in the file's byte order. */
static uint64_t elf_field(const uint8_t *p, unsigned n, bool big)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

static const char *elf_machine_name(unsigned machine)
{
	switch (machine) {
	case 2:   return "SPARC";
	case 3:   return "i386";
	case 8:   return "MIPS";
	case 20:  return "PowerPC";
	case 21:  return "PowerPC 64";
	case 22:  return "S/390";
	case 40:  return "ARM";
	case 43:  return "SPARC V9";
	case 62:  return "x86-64";
	case 183: return "AArch64";
	case 243: return "RISC-V";
	case 258: return "LoongArch";
	}
	return NULL;
}

static const char *elf_type_name(unsigned type)
{
	switch (type) {
	case 1: return "relocatable object";
	case 2: return "executable";
	case 3: return "shared object or position-independent executable";
	case 4: return "core dump";
	}
	return "file of unknown type";
}

/* Does the program header table (where it lies within head) have PT_INTERP? */
static bool elf_has_interp(const uint8_t *head, size_t len, bool is64, bool big)
{
	uint64_t phoff = is64 ? elf_field(head + 32, 8, big) : elf_field(head + 28, 4, big);
	unsigned entsize = (unsigned)elf_field(head + (is64 ? 54 : 42), 2, big);
	unsigned num = (unsigned)elf_field(head + (is64 ? 56 : 44), 2, big);
	unsigned i;

	if (entsize < 4)
		return false;
	for (i = 0; i < num; i++) {
		uint64_t at = phoff + (uint64_t)i * entsize;

		if (at < phoff || at > len || len - at < 4)
			return false;
		if (elf_field(head + at, 4, big) == ELF_PT_INTERP)
			return true;
	}
	return false;
}

/* "an ELF 64-bit executable for x86-64", and what to do about it. */
static bool detect_elf(const uint8_t *head, size_t len, struct imagefmt *out)
{
	const char *machine, *type;
	char mach_buf[32];
	bool big, is64;

	if (len < 4 || memcmp(head, "\177ELF", 4) != 0)
		return false;
	out->kind = IMAGEFMT_ELF;
	if (len < 20) {
		snprintf(out->what, sizeof(out->what), "a truncated ELF file");
		snprintf(out->advice, sizeof(out->advice), "it is too short to be "
			 "anything");
		return true;
	}
	out->elf_class = head[4];
	big = head[5] == 2;
	is64 = head[4] == 2;
	out->elf_type = (unsigned)elf_field(head + 16, 2, big);
	out->elf_machine = (unsigned)elf_field(head + 18, 2, big);
	machine = elf_machine_name(out->elf_machine);
	if (!machine) {
		snprintf(mach_buf, sizeof(mach_buf), "machine %u", out->elf_machine);
		machine = mach_buf;
	}
	type = elf_type_name(out->elf_type);
	snprintf(out->what, sizeof(out->what), "an ELF %s %s for %s",
		 head[4] == 1 ? "32-bit" : head[4] == 2 ? "64-bit" : "(unknown class)",
		 type, machine);

	if (out->elf_machine != 62 && out->elf_machine != 3)
		snprintf(out->advice, sizeof(out->advice), "kvmrun runs x86-64 code only");
	else if (out->elf_type == 1)
		snprintf(out->advice, sizeof(out->advice), "it is gcc -c output: link it "
			 "into a flat binary with `ld -T guests/guest.ld -o guest.bin FILE`");
	else if (out->elf_type == 4)
		snprintf(out->advice, sizeof(out->advice), "a core dump cannot be run");
	else if ((is64 || head[4] == 1) && len >= (is64 ? 64u : 52u) &&
		 elf_has_interp(head, len, is64, big))
		snprintf(out->advice, sizeof(out->advice), "it is a Linux program (it "
			 "asks for a dynamic loader): kvmrun runs bare-metal code, "
			 "not Linux programs");
	else if (out->elf_machine == 3 || !is64)
		snprintf(out->advice, sizeof(out->advice), "build it for x86-64, or "
			 "make a flat binary with `objcopy -O binary FILE guest.bin` "
			 "and run it with --mode protected");
	else if (out->elf_type == 3)
		snprintf(out->advice, sizeof(out->advice), "it is position-independent: "
			 "link it at a fixed address with -no-pie (`ld -T guests/elf.ld`)");
	else
		snprintf(out->advice, sizeof(out->advice), "make a flat binary of it "
			 "with `objcopy -O binary FILE guest.bin`, or link it with "
			 "`-T guests/elf.ld`");
	return true;
}

/*
 * The first header whose words u32 words, magic first, sum to zero (the
 * multiboot checksum), at a multiple of align within the first reach
 * bytes: multiboot (v1) has magic, flags and checksum, 4-byte aligned in
 * 8 KiB; multiboot2 magic, architecture, length and checksum, 8-byte
 * aligned in 32 KiB.
 */
static bool find_header(const uint8_t *head, size_t len, uint32_t magic,
			size_t reach, size_t align, unsigned words, uint32_t *at)
{
	size_t off;
	unsigned i;

	if (reach > len)
		reach = len;
	for (off = 0; off + 4 * words <= reach; off += align) {
		uint32_t sum = 0;

		if (le32(head + off) != magic)
			continue;
		for (i = 0; i < words; i++)
			sum += le32(head + off + 4 * i);
		if (sum == 0) {
			*at = (uint32_t)off;
			return true;
		}
	}
	return false;
}

/* Length of the valid UTF-8 sequence at p (1 for ASCII), 0 if invalid;
 * a sequence cut off by the end of the window counts as valid when the
 * file goes on (cut_ok). */
static size_t utf8_len(const uint8_t *p, size_t left, bool cut_ok)
{
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left && !cut_ok)
		return 0;
	for (i = 1; i < n && i < left; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return i;
}

/* Printable ASCII, whitespace and UTF-8 only, in the first bytes. */
static bool looks_like_text(const uint8_t *head, size_t len)
{
	size_t reach = len < IMAGEFMT_TEXT_REACH ? len : IMAGEFMT_TEXT_REACH;
	size_t i = 0, n;

	while (i < reach) {
		uint8_t c = head[i];

		if (c < 0x80 && !(c >= 0x20 && c < 0x7f) && !(c >= '\t' && c <= '\r'))
			return false;
		n = utf8_len(head + i, reach - i, len > reach);
		if (n == 0)
			return false;
		i += n;
	}
	return reach > 0;
}

/* The interpreter of a #! line, printable characters only, for the message. */
static void script_what(const uint8_t *head, size_t len, struct imagefmt *out)
{
	char interp[64];
	size_t i, n = 0;

	for (i = 2; i < len && n + 1 < sizeof(interp) && head[i] != '\n'; i++)
		if (head[i] > ' ' && head[i] < 0x7f)
			interp[n++] = (char)head[i];
		else if (n && interp[n - 1] != ' ')
			interp[n++] = ' ';
	while (n && interp[n - 1] == ' ')
		n--;
	interp[n] = '\0';
	snprintf(out->what, sizeof(out->what), "a script (#!%s)", interp);
}

void imagefmt_detect(const uint8_t *head, size_t len, struct imagefmt *out)
{
	uint32_t at;

	memset(out, 0, sizeof(*out));
	out->kind = IMAGEFMT_FLAT;
	snprintf(out->what, sizeof(out->what), "a flat binary");

	/* A multiboot header wins over the container it is in (ELF or raw). */
	if (find_header(head, len, IMAGEFMT_MB1_MAGIC, IMAGEFMT_MB1_REACH, 4, 3, &at)) {
		struct imagefmt elf = { .kind = IMAGEFMT_FLAT };

		if (detect_elf(head, len, &elf))
			snprintf(out->what, sizeof(out->what),
				 "a multiboot kernel (%.130s)", elf.what);
		else
			snprintf(out->what, sizeof(out->what), "a multiboot kernel");
		out->kind = IMAGEFMT_MULTIBOOT;
		out->elf_class = elf.elf_class;
		out->elf_type = elf.elf_type;
		out->elf_machine = elf.elf_machine;
		out->header_offset = at;
		snprintf(out->advice, sizeof(out->advice), "kvmrun boots it as a "
			 "multiboot kernel with --format auto");
		return;
	}
	if (find_header(head, len, IMAGEFMT_MB2_MAGIC, IMAGEFMT_HEAD, 8, 4, &at)) {
		out->kind = IMAGEFMT_MULTIBOOT2;
		out->header_offset = at;
		snprintf(out->what, sizeof(out->what), "a multiboot2 kernel");
		snprintf(out->advice, sizeof(out->advice), "kvmrun cannot boot "
			 "multiboot2 kernels; GRUB can");
		return;
	}
	if (detect_elf(head, len, out))
		return;
	/* Before MZ: an EFI-stub Linux kernel starts with "MZ" too. */
	if (len >= 0x206 && memcmp(head + 0x202, "HdrS", 4) == 0) {
		out->kind = IMAGEFMT_BZIMAGE;
		snprintf(out->what, sizeof(out->what), "a Linux kernel (bzImage)");
		snprintf(out->advice, sizeof(out->advice), "kvmrun does not boot "
			 "Linux (not supported yet); QEMU's -kernel does");
		return;
	}
	if (len >= 2 && head[0] == 'M' && head[1] == 'Z') {
		uint32_t pe = len >= 0x40 ? le32(head + 0x3c) : UINT32_MAX;

		if (pe <= len && len - pe >= 4 && memcmp(head + pe, "PE\0\0", 4) == 0) {
			out->kind = IMAGEFMT_PE;
			snprintf(out->what, sizeof(out->what),
				 "a PE executable (Windows or UEFI)");
		} else {
			out->kind = IMAGEFMT_MZ;
			snprintf(out->what, sizeof(out->what), "an MZ (DOS) executable");
		}
		snprintf(out->advice, sizeof(out->advice), "kvmrun runs flat "
			 "binaries of x86-64 code");
		return;
	}
	if (len >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 8) {
		out->kind = IMAGEFMT_GZIP;
		snprintf(out->what, sizeof(out->what), "gzip-compressed");
		snprintf(out->advice, sizeof(out->advice), "decompress it first");
		return;
	}
	if (len >= 2 && head[0] == '#' && head[1] == '!') {
		out->kind = IMAGEFMT_SCRIPT;
		script_what(head, len, out);
		snprintf(out->advice, sizeof(out->advice), "kvmrun runs x86-64 "
			 "machine code, not scripts");
		return;
	}
	if (looks_like_text(head, len)) {
		out->kind = IMAGEFMT_TEXT;
		snprintf(out->what, sizeof(out->what), "a text file");
		snprintf(out->advice, sizeof(out->advice), "if it is assembly "
			 "source, build it first (README: Writing a guest)");
	}
}
