/* SPDX-License-Identifier: MIT */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, uint8_t *dst, uint64_t size, const char *path,
		    struct error *err)
{
	uint64_t done = 0;

	while (done < size) {
		size_t chunk = size - done > (1U << 30) ? (1U << 30) : (size_t)(size - done);
		ssize_t n = pread(fd, dst + done, chunk, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_errno(err, errno, "cannot read image %s", path);
		if (n == 0)
			return err_set(err, "image %s shrank while it was read", path);
		done += (uint64_t)n;
	}
	return 0;
}

int loader_flat(struct memmap *mm, const char *path, uint64_t load,
		struct loaded_image *img, struct error *err)
{
	struct stat st;
	uint64_t size, room;
	uint8_t *dst;
	int fd, r = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return err_set(err, "image %s: no such file", path);
		return err_errno(err, errno, "cannot open image %s", path);
	}
	if (fstat(fd, &st) < 0) {
		err_errno(err, errno, "cannot stat image %s", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(err, "image %s is a directory", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(err, "image %s is not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		err_set(err, "image %s is empty", path);
		goto out;
	}
	size = (uint64_t)st.st_size;
	room = memmap_ram_left(mm, load);
	if (room == 0) {
		err_set(err, "load address %#llx is outside guest RAM "
			"(RAM ends at %#llx)", (unsigned long long)load,
			(unsigned long long)memmap_ram_end(mm));
		goto out;
	}
	if (size > room) {
		err_set(err, "image %s (%llu bytes) does not fit in RAM at %#llx "
			"(only %llu byte%s of RAM from there; use --mem)", path,
			(unsigned long long)size, (unsigned long long)load,
			(unsigned long long)room, room == 1 ? "" : "s");
		goto out;
	}
	if (memmap_add(mm, load, size, MEM_KIND_IMAGE, "image", err) < 0)
		goto out;
	dst = memmap_gpa(mm, load, size);
	if (!dst) {
		err_set(err, "guest RAM is not mapped");
		goto out;
	}
	if (read_all(fd, dst, size, path, err) < 0)
		goto out;
	img->addr = load;
	img->size = size;
	img->entry = load;
	r = 0;
out:
	close(fd);
	return r;
}
