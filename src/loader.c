/* SPDX-License-Identifier: MIT */
/* Images into guest RAM: which loader, from where (loader.h). */
#include "loader.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imagefmt.h"
#include "load/elf.h"
#include "load/multiboot.h"
#include "observe/sha256.h"

/* How an image is loaded, once its first bytes are known. */
enum loader_kind { LOAD_FLAT, LOAD_ELF64, LOAD_MULTIBOOT };

/*
 * Which loader the image's first bytes (head, len of them) call for under
 * --format; or -1, refusing the image by name with what to do.
 */
static int choose(const uint8_t *head, size_t len, const char *name,
		  enum image_format format, enum loader_kind *kind, struct imagefmt *fmt,
		  struct error *err)
{
	struct imagefmt local, *f = fmt ? fmt : &local;

	*kind = LOAD_FLAT;
	if (format == IMAGE_FLAT)
		return 0;
	imagefmt_detect(head, len, f);
	if (f->kind == IMAGEFMT_MULTIBOOT && format == IMAGE_AUTO) {
		*kind = LOAD_MULTIBOOT;
		return 0;
	}
	/* A multiboot ELF64 kernel under --format elf loads as plain ELF. */
	if ((f->kind == IMAGEFMT_ELF || (f->kind == IMAGEFMT_MULTIBOOT &&
					 format == IMAGE_ELF)) &&
	    f->elf_class == ELFCLASS64 && f->elf_machine == EM_X86_64 &&
	    f->elf_type == ET_EXEC) {
		*kind = LOAD_ELF64;
		return 0;
	}
	if (format == IMAGE_ELF && f->kind != IMAGEFMT_ELF && !f->elf_class)
		return error_set(err, "image %s is not an ELF file (--format elf)", name);
	if (f->kind == IMAGEFMT_FLAT && format == IMAGE_AUTO)
		return 0;
	/* The advice says FILE where the image's name goes. */
	char *file = strstr(f->advice, "FILE");

	if (file)
		*file = '\0';
	return error_set(err, "image %s is %s, not a flat binary: %s%s%s (--format "
			 "flat runs its bytes anyway)", name, f->what, f->advice,
			 file ? name : "", file ? file + 4 : "");
}

int loader_check_format(const uint8_t *head, size_t len, const char *name,
			enum image_format format, struct error *err)
{
	enum loader_kind kind;

	return choose(head, len, name, format, &kind, NULL, err);
}

/* Is there room at load for size bytes?  Then record the region. */
static int place(struct memmap *mm, const char *name, uint64_t load,
		 uint64_t size, struct error *err)
{
	uint64_t room = memmap_ram_left(mm, load);

	if (room == 0)
		return error_set(err, "load address %#llx is outside guest RAM "
			       "(RAM ends at %#llx)", (unsigned long long)load,
			       (unsigned long long)memmap_ram_end(mm));
	if (size > room)
		return error_set(err, "image %s (%llu bytes) does not fit in RAM at %#llx "
			       "(only %llu byte%s of RAM from there; use --mem)", name,
			       (unsigned long long)size, (unsigned long long)load,
			       (unsigned long long)room, room == 1 ? "" : "s");
	if (memmap_add(mm, load, size, MEM_KIND_IMAGE, "image", err) < 0)
		return -1;
	if (!memmap_gpa(mm, load, size))
		return error_set(err, "guest RAM is not mapped");
	return 0;
}

/* A flat binary: its bytes, as they are, at the load address. */
static int load_flat(struct memmap *mm, const struct image_source *src,
		     uint64_t load, struct loaded_image *img, struct error *err)
{
	if (place(mm, src->name, load, src->size, err) < 0 ||
	    source_read(src, 0, memmap_gpa(mm, load, src->size), src->size,
			"the image", err) < 0)
		return -1;
	*img = (struct loaded_image){
		.addr = load, .size = src->size, .entry = load, .format = "flat",
	};
	return 0;
}

/* An ELF64 executable: its segments where its program headers say. */
static int load_elf64(struct memmap *mm, const struct image_source *src,
		      const struct load_request *req, struct loaded_image *img,
		      struct error *err)
{
	struct elf_image elf;

	if (req->load_set)
		return error_set(err, "--load is for flat images: image %s is an ELF "
				 "executable, whose program headers say where it goes",
				 src->name);
	if (elf_parse(src, ELFCLASS64, &elf, err) < 0 || elf_load(mm, src, &elf, err) < 0)
		return -1;
	*img = (struct loaded_image){
		.addr = elf.lowest, .size = elf.end - elf.lowest, .entry = elf.entry,
		.format = "elf64",
	};
	return 0;
}

/* A multiboot kernel, its modules and its information structure. */
static int load_multiboot(struct memmap *mm, const struct image_source *src,
			  const struct imagefmt *f, const struct load_request *req,
			  struct loaded_image *img, struct error *err)
{
	struct multiboot_header h;
	struct multiboot_boot boot;
	char cmdline[4096];

	if (req->load_set)
		return error_set(err, "--load is for flat images: image %s is a multiboot "
				 "kernel, whose header says where it goes", src->name);
	if ((size_t)snprintf(cmdline, sizeof(cmdline), "%s%s%s", src->name,
			     req->append ? " " : "", req->append ? req->append : "") >=
	    sizeof(cmdline))
		return error_set(err, "--append: the command line is longer than %zu bytes",
				 sizeof(cmdline) - 1);
	if (multiboot_header(src, f->header_offset, &h, err) < 0 ||
	    multiboot_load(mm, src, &h, f->elf_class,
			   cmdline, req->modules, req->nr_modules, &boot, err) < 0)
		return -1;
	*img = (struct loaded_image){
		.addr = boot.kernel_start, .size = boot.kernel_end - boot.kernel_start,
		.entry = boot.entry, .format = "multiboot", .multiboot_info = boot.info,
	};
	return 0;
}

/* The image file's SHA-256, read again in pieces: what the report names,
 * taken at load time (the file may change later, and the guest may write
 * over its copy in RAM). */
static int hash_source(const struct image_source *src, char hex[65], struct error *err)
{
	uint8_t buf[65536], digest[32];
	struct sha256 h;
	uint64_t at;

	sha256_init(&h);
	for (at = 0; at < src->size; at += sizeof(buf)) {
		uint64_t n = src->size - at < sizeof(buf) ? src->size - at : sizeof(buf);

		if (source_read(src, at, buf, n, "the image", err) < 0)
			return -1;
		sha256_update(&h, buf, (size_t)n);
	}
	sha256_final(&h, digest);
	sha256_hex(digest, hex);
	return 0;
}

/* The format first: "is an ELF file" says more than "does not fit". */
static int load_source(struct memmap *mm, const struct image_source *src,
		       const struct load_request *req, struct loaded_image *img,
		       struct error *err)
{
	uint8_t head[IMAGEFMT_HEAD];
	size_t len = src->size < sizeof(head) ? (size_t)src->size : sizeof(head);
	enum loader_kind kind;
	struct imagefmt f;

	if (src->size == 0)
		return error_set(err, "image %s is empty", src->name);
	if (source_read(src, 0, head, len, "its first bytes", err) < 0 ||
	    choose(head, len, src->name, req->format, &kind, &f, err) < 0)
		return -1;
	if (kind != LOAD_MULTIBOOT && (req->append || req->nr_modules))
		return error_set(err, "--append and --module are for multiboot kernels: "
				 "image %s is not one", src->name);
	if ((kind == LOAD_MULTIBOOT ? load_multiboot(mm, src, &f, req, img, err) :
	     kind == LOAD_ELF64 ? load_elf64(mm, src, req, img, err) :
	     load_flat(mm, src, req->load, img, err)) < 0)
		return -1;
	img->file_size = src->size;
	return req->hash ? hash_source(src, img->sha256, err) : 0;
}

int loader_file(struct memmap *mm, const char *path, const struct load_request *req,
		struct loaded_image *img, struct error *err)
{
	struct image_source src;
	struct stat st;
	int fd, r = -1;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return error_set(err, "image %s: no such file", path);
		return error_errno(err, errno, "cannot open image %s", path);
	}
	if (fstat(fd, &st) < 0) {
		error_errno(err, errno, "cannot stat image %s", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		error_set(err, "image %s is a directory", path);
		goto out;
	}
	if (S_ISFIFO(st.st_mode)) {
		error_set(err, "image %s is a FIFO, not a regular file (to read an "
			"image from a pipe, give it on standard input: kvmrun -)", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error_set(err, "image %s is not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		error_set(err, "image %s is empty", path);
		goto out;
	}
	src = (struct image_source){
		.name = path, .size = (uint64_t)st.st_size, .fd = fd,
	};
	r = load_source(mm, &src, req, img, err);
out:
	close(fd);
	return r;
}

int loader_bytes(struct memmap *mm, const uint8_t *data, size_t size, const char *name,
		 const struct load_request *req, struct loaded_image *img,
		 struct error *err)
{
	struct image_source src = source_bytes(data, size, name);

	return load_source(mm, &src, req, img, err);
}
