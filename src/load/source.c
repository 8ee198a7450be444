/* SPDX-License-Identifier: MIT */
/* Where an image's bytes come from (source.h). */
#include "load/source.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct image_source source_bytes(const uint8_t *data, uint64_t len, const char *name)
{
	return (struct image_source){ .name = name, .size = len, .fd = -1, .data = data };
}

bool source_has(const struct image_source *src, uint64_t offset, uint64_t len)
{
	return offset <= src->size && len <= src->size - offset;
}

int source_read(const struct image_source *src, uint64_t offset, void *dst,
		uint64_t len, const char *what, struct error *err)
{
	uint8_t *to = dst;
	uint64_t done = 0;

	if (!source_has(src, offset, len))
		return error_set(err, "image %s is truncated: %s (%llu bytes at offset "
				 "%#llx) go past its end (%llu bytes)", src->name, what,
				 (unsigned long long)len, (unsigned long long)offset,
				 (unsigned long long)src->size);
	if (src->fd < 0) {
		if (len)
			memcpy(to, src->data + offset, len);
		return 0;
	}
	while (done < len) {
		size_t chunk = len - done > (1U << 30) ? (1U << 30) : (size_t)(len - done);
		ssize_t n = pread(src->fd, to + done, chunk, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_errno(err, errno, "cannot read image %s", src->name);
		if (n == 0)
			return error_set(err, "image %s shrank while it was read", src->name);
		done += (uint64_t)n;
	}
	return 0;
}
