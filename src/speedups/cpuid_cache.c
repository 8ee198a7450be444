/* SPDX-License-Identifier: MIT */
#include "speedups/cpuid_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOOT_ID_PATH    "/proc/sys/kernel/random/boot_id"

int cpuid_cache_key(int kvm_fd, struct cpuid_cache_key *key, struct error *err)
{
	struct stat st;
	ssize_t n;
	int fd;

	memset(key, 0, sizeof(*key));
	if (fstat(kvm_fd, &st) < 0)
		return error_errno(err, errno, "cannot stat the KVM device");
	key->dev = (uint64_t)st.st_dev;
	key->ino = (uint64_t)st.st_ino;
	key->rdev = (uint64_t)st.st_rdev;
	key->ctime_sec = (int64_t)st.st_ctim.tv_sec;
	key->ctime_nsec = (int64_t)st.st_ctim.tv_nsec;

	fd = open(BOOT_ID_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_errno(err, errno, "cannot open %s", BOOT_ID_PATH);
	do
		n = read(fd, key->boot_id, sizeof(key->boot_id) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		error_errno(err, n < 0 ? errno : EIO, "cannot read %s", BOOT_ID_PATH);
		close(fd);
		return -1;
	}
	close(fd);
	key->boot_id[strcspn(key->boot_id, "\n")] = '\0';
	/* What follows the ID stays zero, so that keys compare as bytes. */
	memset(key->boot_id + strlen(key->boot_id), 0,
	       sizeof(key->boot_id) - strlen(key->boot_id));
	return 0;
}

bool cpuid_cache_path(char *buf, size_t cap, const char *kvmrun_dir,
		      const char *xdg_runtime, const char *xdg_cache,
		      const char *home, const char **why)
{
	const char *reason = "the cache path is too long";
	int n;

	if (kvmrun_dir && !kvmrun_dir[0])       /* the way to turn it off */
		n = -1, reason = "KVMRUN_CACHE_DIR is set empty";
	else if (kvmrun_dir)                    /* relative: not trusted */
		n = kvmrun_dir[0] == '/' ?
		    snprintf(buf, cap, "%s/%s", kvmrun_dir, CPUID_CACHE_FILE) :
		    (reason = "KVMRUN_CACHE_DIR is not an absolute path", -1);
	else if (xdg_runtime && xdg_runtime[0] == '/')
		n = snprintf(buf, cap, "%s/kvmrun/%s", xdg_runtime, CPUID_CACHE_FILE);
	else if (xdg_cache && xdg_cache[0] == '/')
		n = snprintf(buf, cap, "%s/kvmrun/%s", xdg_cache, CPUID_CACHE_FILE);
	else if (home && home[0] == '/')
		n = snprintf(buf, cap, "%s/.cache/kvmrun/%s", home, CPUID_CACHE_FILE);
	else
		n = -1, reason = "no absolute KVMRUN_CACHE_DIR, XDG_RUNTIME_DIR, "
				 "XDG_CACHE_HOME or HOME to keep it in";
	if (n > 0 && (size_t)n < cap)
		return true;
	if (why)
		*why = reason;
	return false;
}

size_t cpuid_cache_size(uint32_t nent)
{
	return sizeof(struct cpuid_cache_header) +
	       (size_t)nent * sizeof(struct kvm_cpuid_entry2);
}

/* 64-bit FNV-1a. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t checksum(const struct cpuid_cache_header *hdr,
			 const struct kvm_cpuid_entry2 *entries, uint32_t nent)
{
	struct cpuid_cache_header h = *hdr;

	h.checksum = 0;
	return fnv1a(fnv1a(0xcbf29ce484222325ULL, &h, sizeof(h)), entries,
		     (size_t)nent * sizeof(*entries));
}

size_t cpuid_cache_encode(const struct cpuid_cache_key *key,
			  const struct kvm_cpuid_entry2 *entries, uint32_t nent,
			  void *buf, size_t cap)
{
	struct cpuid_cache_header hdr;
	size_t size = cpuid_cache_size(nent);

	if (nent == 0 || nent > CPUID_CACHE_MAX_ENTRIES || cap < size)
		return 0;
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, CPUID_CACHE_MAGIC, sizeof(hdr.magic));
	hdr.format = CPUID_CACHE_FORMAT;
	hdr.nent = nent;
	hdr.key = *key;
	hdr.checksum = checksum(&hdr, entries, nent);
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy((uint8_t *)buf + sizeof(hdr), entries, size - sizeof(hdr));
	return size;
}

/*
 * What any x86-64 KVM offers: leaf 0 and leaf 1, the extended range up to
 * 0x80000001, and there the long-mode bit.  A file without them was not
 * written by kvmrun from KVM's answer, whatever its checksum says.
 */
bool cpuid_cache_plausible(const struct kvm_cpuid_entry2 *e, uint32_t nent)
{
	const struct kvm_cpuid_entry2 *basic = NULL, *leaf1 = NULL, *ext = NULL, *lm = NULL;
	uint32_t i;

	/* The first entry of a leaf is the one that counts, as for KVM,
	 * which looks leaves up front to back. */
	for (i = nent; i-- > 0;) {
		switch (e[i].function) {
		case 0:          basic = &e[i]; break;
		case 1:          leaf1 = &e[i]; break;
		case 0x80000000: ext = &e[i]; break;
		case 0x80000001: lm = &e[i]; break;
		}
	}
	return basic && basic->eax >= 1 && leaf1 && ext && ext->eax >= 0x80000001 &&
	       lm && (lm->edx & CPUID_80000001_EDX_LM);
}

int cpuid_cache_decode(const void *buf, size_t len,
		       const struct cpuid_cache_key *key,
		       struct kvm_cpuid_entry2 *out, uint32_t cap,
		       uint32_t *nent, const char **why)
{
	struct cpuid_cache_header hdr;

	if (len < sizeof(hdr)) {
		*why = "too short to be one";
		return -1;
	}
	memcpy(&hdr, buf, sizeof(hdr));
	if (memcmp(hdr.magic, CPUID_CACHE_MAGIC, sizeof(hdr.magic)) != 0) {
		*why = "not a kvmrun CPUID cache";
		return -1;
	}
	if (hdr.format != CPUID_CACHE_FORMAT) {
		*why = "written in another format";
		return -1;
	}
	if (hdr.nent == 0 || hdr.nent > CPUID_CACHE_MAX_ENTRIES ||
	    len != cpuid_cache_size(hdr.nent)) {
		*why = "damaged: its size does not match its entry count";
		return -1;
	}
	if (hdr.nent > cap) {
		*why = "more entries than kvmrun takes";
		return -1;
	}
	/* Entries are copied out first: buf need not be aligned for them. */
	memcpy(out, (const uint8_t *)buf + sizeof(hdr), (size_t)hdr.nent * sizeof(*out));
	if (checksum(&hdr, out, hdr.nent) != hdr.checksum) {
		*why = "damaged: wrong checksum";
		return -1;
	}
	if (memcmp(hdr.key.boot_id, key->boot_id, sizeof(key->boot_id)) != 0) {
		*why = "written in an earlier boot";
		return -1;
	}
	if (hdr.key.dev != key->dev || hdr.key.ino != key->ino ||
	    hdr.key.rdev != key->rdev || hdr.key.ctime_sec != key->ctime_sec ||
	    hdr.key.ctime_nsec != key->ctime_nsec) {
		*why = "written for another KVM device node (KVM reloaded?)";
		return -1;
	}
	if (!cpuid_cache_plausible(out, hdr.nent)) {
		*why = "implausible: it lacks leaf 0, 1, 0x80000000 or long mode";
		return -1;
	}
	*nent = hdr.nent;
	return 0;
}

int cpuid_cache_load(const char *path, const struct cpuid_cache_key *key,
		     struct kvm_cpuid_entry2 *out, uint32_t cap, uint32_t *nent,
		     struct error *err)
{
	size_t max = cpuid_cache_size(CPUID_CACHE_MAX_ENTRIES), got = 0;
	const char *why = NULL;
	struct stat st;
	uint8_t *buf = NULL;
	int fd, r = -1;

	/* O_NONBLOCK: a FIFO put there must not hang the run. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return error_set(err, "none yet");
		if (errno == ELOOP)
			return error_set(err, "it is a symbolic link");
		return error_errno(err, errno, "cannot open it");
	}
	if (fstat(fd, &st) < 0)
		why = "cannot stat it";
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_uid != geteuid())
		why = "owned by another user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		why = "writable by others";
	else if ((uint64_t)st.st_size > max || (uint64_t)st.st_size < sizeof(struct cpuid_cache_header))
		why = "damaged: wrong size";
	else if (!(buf = malloc((size_t)st.st_size)))
		why = "out of memory";
	while (!why && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			why = "cannot read it";
		else
			got += (size_t)n;
	}
	close(fd);
	if (!why && cpuid_cache_decode(buf, got, key, out, cap, nent, &why) == 0)
		r = 0;
	else
		error_set(err, "%s", why);
	free(buf);
	return r;
}

/* mkdir -p dir (a writable copy), each new level mode 0700. */
static int make_dirs(char *dir, struct error *err)
{
	size_t i;

	for (i = 1; dir[i]; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return error_errno(err, errno, "cannot create %s", dir);
		dir[i] = '/';
	}
	if (dir[0] && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return error_errno(err, errno, "cannot create %s", dir);
	return 0;
}

/*
 * The cache's directory, opened to write in: not a symbolic link, this
 * user's and writable by nobody else, so that what is renamed into it
 * lands where the user meant.
 */
static int open_own_dir(const char *dir, struct error *err)
{
	struct stat st;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dfd < 0)
		return error_errno(err, errno, "cannot open %s", dir);
	if (fstat(dfd, &st) < 0) {
		error_errno(err, errno, "cannot stat %s", dir);
	} else if (st.st_uid != geteuid()) {
		error_set(err, "%s belongs to another user", dir);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		error_set(err, "%s is writable by others", dir);
	} else {
		return dfd;
	}
	close(dfd);
	return -1;
}

int cpuid_cache_store(const char *path, const struct cpuid_cache_key *key,
		      const struct kvm_cpuid_entry2 *entries, uint32_t nent,
		      struct error *err)
{
	size_t size = cpuid_cache_size(nent), done = 0;
	char dir[4096], tmp[64];
	const char *base;
	uint8_t *buf;
	int dfd = -1, fd, r = -1;

	base = strrchr(path, '/');
	if (!base || base == path || strlen(path) >= sizeof(dir) || !base[1])
		return error_set(err, "unusable path %s", path);
	memcpy(dir, path, (size_t)(base - path));
	dir[base - path] = '\0';
	base++;
	if (!(buf = malloc(size)))
		return error_set(err, "out of memory");
	if (cpuid_cache_encode(key, entries, nent, buf, size) != size) {
		error_set(err, "%u CPUID entries cannot be cached", nent);
		goto out;
	}
	if (make_dirs(dir, err) < 0 || (dfd = open_own_dir(dir, err)) < 0)
		goto out;
	/* The process ID makes the name unique among running kvmruns. */
	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", base, (long)getpid());
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		error_errno(err, errno, "cannot create %s/%s", dir, tmp);
		goto out;
	}
	while (done < size) {
		ssize_t n = write(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ENOSPC;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (done < size) {
		error_errno(err, errno, "cannot write %s/%s", dir, tmp);
		close(fd);
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	if (close(fd) < 0 || renameat(dfd, tmp, dfd, base) < 0) {
		error_errno(err, errno, "cannot put %s in place", path);
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	r = 0;
out:
	if (dfd >= 0)
		close(dfd);
	free(buf);
	return r;
}
