/* SPDX-License-Identifier: MIT */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imagefmt.h"

static int read_all(int fd, uint8_t *dst, uint64_t size, uint64_t offset,
		    const char *path, struct error *err)
{
	uint64_t done = 0;

	while (done < size) {
		size_t chunk = size - done > (1U << 30) ? (1U << 30) : (size_t)(size - done);
		ssize_t n = pread(fd, dst + done, chunk, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_errno(err, errno, "cannot read image %s", path);
		if (n == 0)
			return error_set(err, "image %s shrank while it was read", path);
		done += (uint64_t)n;
	}
	return 0;
}

int loader_check_format(const uint8_t *head, size_t len, const char *name,
			enum image_format format, struct error *err)
{
	struct imagefmt f;

	if (format == IMAGE_FLAT)
		return 0;
	imagefmt_detect(head, len, &f);
	if (f.kind == IMAGEFMT_FLAT)
		return 0;
	/* The advice says FILE where the image's name goes. */
	char *file = strstr(f.advice, "FILE");

	if (file)
		*file = '\0';
	return error_set(err, "image %s is %s, not a flat binary: %s%s%s (--format "
		       "flat runs its bytes anyway)", name, f.what, f.advice,
		       file ? name : "", file ? file + 4 : "");
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

static void loaded(struct loaded_image *img, uint64_t load, uint64_t size)
{
	img->addr = load;
	img->size = size;
	img->entry = load;
}

int loader_flat(struct memmap *mm, const char *path, uint64_t load,
		enum image_format format, struct loaded_image *img,
		struct error *err)
{
	uint8_t head[IMAGEFMT_HEAD];
	struct stat st;
	uint64_t size;
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
	size = (uint64_t)st.st_size;
	/* The format first: "is an ELF file" says more than "does not fit". */
	if (read_all(fd, head, size < sizeof(head) ? size : sizeof(head), 0, path,
		     err) < 0 ||
	    loader_check_format(head, size < sizeof(head) ? (size_t)size : sizeof(head),
			 path, format, err) < 0 ||
	    place(mm, path, load, size, err) < 0 ||
	    read_all(fd, memmap_gpa(mm, load, size), size, 0, path, err) < 0)
		goto out;
	loaded(img, load, size);
	r = 0;
out:
	close(fd);
	return r;
}

int loader_flat_bytes(struct memmap *mm, const uint8_t *data, size_t size,
		      const char *name, uint64_t load, enum image_format format,
		      struct loaded_image *img, struct error *err)
{
	if (size == 0)
		return error_set(err, "image %s is empty", name);
	if (loader_check_format(data, size < IMAGEFMT_HEAD ? size : IMAGEFMT_HEAD, name,
			 format, err) < 0 ||
	    place(mm, name, load, size, err) < 0)
		return -1;
	memcpy(memmap_gpa(mm, load, size), data, size);
	loaded(img, load, size);
	return 0;
}
