/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "speedups/cpuid_cache.h"
#include "test.h"

#define NENT 5

static const struct cpuid_cache_key key_a = {
	.boot_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
	.dev = 5, .ino = 1234, .rdev = (10 << 8) | 232,
	.ctime_sec = 1764547200, .ctime_nsec = 123456789,
};

/* NENT leaves as KVM would offer them: 0, 1, 7, 0x80000000, 0x80000001. */
static void sample_entries(struct kvm_cpuid_entry2 *e, uint32_t n)
{
	static const uint32_t leaves[NENT] = { 0, 1, 7, 0x80000000, 0x80000001 };
	uint32_t i;

	memset(e, 0, n * sizeof(*e));
	for (i = 0; i < n && i < NENT; i++) {
		e[i].function = leaves[i];
		e[i].eax = 0x1000 + i;
		e[i].ebx = 0x2000 + i;
		e[i].ecx = 0x3000 + i;
		e[i].edx = 0x4000 + i;
	}
	e[0].eax = 0xd;                 /* the highest basic leaf */
	e[3].eax = 0x80000008;          /* the highest extended leaf */
	e[4].edx |= CPUID_80000001_EDX_LM;
}

TEST(cpuid_cache_round_trip)
{
	struct kvm_cpuid_entry2 in[NENT], out[NENT];
	uint8_t buf[1024];
	const char *why = NULL;
	uint32_t nent = 0;
	size_t len;

	sample_entries(in, NENT);
	len = cpuid_cache_encode(&key_a, in, NENT, buf, sizeof(buf));
	TEST_EQ(len, cpuid_cache_size(NENT));
	TEST_EQ(len, sizeof(struct cpuid_cache_header) + NENT * sizeof(in[0]));
	TEST_CHECK(memcmp(buf, CPUID_CACHE_MAGIC, 8) == 0);
	TEST_REQUIRE(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) == 0);
	TEST_EQ(nent, NENT);
	TEST_CHECK(memcmp(in, out, sizeof(in)) == 0);
}

TEST(cpuid_cache_encode_limits)
{
	struct kvm_cpuid_entry2 in[NENT];
	uint8_t buf[1024];

	sample_entries(in, NENT);
	TEST_EQ(cpuid_cache_encode(&key_a, in, 0, buf, sizeof(buf)), 0);
	TEST_EQ(cpuid_cache_encode(&key_a, in, NENT, buf, cpuid_cache_size(NENT) - 1), 0);
	TEST_EQ(cpuid_cache_encode(&key_a, in, CPUID_CACHE_MAX_ENTRIES + 1, buf,
				   sizeof(buf)), 0);
}

/* Each way a file can be wrong, and the reason decode gives. */
TEST(cpuid_cache_decode_rejects)
{
	struct kvm_cpuid_entry2 in[NENT], out[NENT];
	struct cpuid_cache_header *h;
	uint8_t good[1024], buf[1024];
	struct cpuid_cache_key other;
	const char *why;
	uint32_t nent;
	size_t len;

	sample_entries(in, NENT);
	len = cpuid_cache_encode(&key_a, in, NENT, good, sizeof(good));
	TEST_REQUIRE(len > 0);

	why = NULL;
	TEST_CHECK(cpuid_cache_decode(good, 10, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "too short");

	memcpy(buf, good, len);
	buf[0] ^= 1;
	TEST_CHECK(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "not a kvmrun CPUID cache");

	memcpy(buf, good, len);
	h = (struct cpuid_cache_header *)buf;
	h->format = CPUID_CACHE_FORMAT + 1;
	TEST_CHECK(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "another format");

	/* Cut short, or with a byte too many. */
	TEST_CHECK(cpuid_cache_decode(good, len - 1, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "size");
	memcpy(buf, good, len);
	buf[len] = 0;
	TEST_CHECK(cpuid_cache_decode(buf, len + 1, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "size");

	/* An entry count that disagrees with the size, or is absurd. */
	memcpy(buf, good, len);
	h->nent = NENT + 1;
	TEST_CHECK(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "size");
	h->nent = 0;
	TEST_CHECK(cpuid_cache_decode(buf, sizeof(*h), &key_a, out, NENT, &nent, &why) < 0);
	h->nent = 0xffffffff;
	TEST_CHECK(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0);

	/* More entries than the caller has room for. */
	TEST_CHECK(cpuid_cache_decode(good, len, &key_a, out, NENT - 1, &nent, &why) < 0);
	TEST_CONTAINS(why, "more entries");

	/* One bit flipped in an entry, then in the key. */
	memcpy(buf, good, len);
	buf[sizeof(*h) + 8] ^= 0x10;
	TEST_CHECK(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "checksum");
	memcpy(buf, good, len);
	h->key.ino ^= 1;
	TEST_CHECK(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "checksum");

	/* Intact, but for another boot or another device node. */
	other = key_a;
	other.boot_id[0] = '1';
	TEST_CHECK(cpuid_cache_decode(good, len, &other, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "earlier boot");
	other = key_a;
	other.ctime_nsec++;
	TEST_CHECK(cpuid_cache_decode(good, len, &other, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "another KVM device");
	other = key_a;
	other.ino++;
	TEST_CHECK(cpuid_cache_decode(good, len, &other, out, NENT, &nent, &why) < 0);
	TEST_CONTAINS(why, "another KVM device");
	other = key_a;
	other.rdev++;
	TEST_CHECK(cpuid_cache_decode(good, len, &other, out, NENT, &nent, &why) < 0);

	/* Intact and for this key, but not what any x86-64 KVM offers. */
	for (unsigned drop = 0; drop < 5; drop++) {
		struct kvm_cpuid_entry2 bad[NENT];

		sample_entries(bad, NENT);
		switch (drop) {
		case 0: bad[0].function = 0x40000000; break;    /* no leaf 0 */
		case 1: bad[1].function = 0x40000001; break;    /* no leaf 1 */
		case 2: bad[3].eax = 0x80000000; break;         /* no 0x80000001 */
		case 3: bad[4].edx &= ~CPUID_80000001_EDX_LM; break;
		case 4: bad[0].eax = 0; break;                  /* no basic leaves */
		}
		TEST_CHECK(!cpuid_cache_plausible(bad, NENT));
		len = cpuid_cache_encode(&key_a, bad, NENT, buf, sizeof(buf));
		TEST_CHECK_MSG(cpuid_cache_decode(buf, len, &key_a, out, NENT, &nent, &why) < 0,
			       "case %u", drop);
		TEST_CONTAINS(why, "implausible");
	}
	TEST_CHECK(cpuid_cache_plausible(in, NENT));
}

/* A leaf listed twice: the first entry counts, as when KVM looks it up
 * (fuzz/regressions/cpuidcache/duplicate-leaf0*). */
TEST(cpuid_cache_first_entry_of_a_leaf_counts)
{
	struct kvm_cpuid_entry2 e[NENT + 1];

	sample_entries(e + 1, NENT);
	e[0] = e[1];
	e[0].eax = 0;           /* a first leaf 0 with no basic leaves */
	TEST_CHECK(!cpuid_cache_plausible(e, NENT + 1));
	e[0].eax = 0xd;
	e[1].eax = 0;           /* the second one says none: it does not count */
	TEST_CHECK(cpuid_cache_plausible(e, NENT + 1));
}

/* Why there is no cache file: -v and the report say it. */
TEST(cpuid_cache_path_says_why_not)
{
	char buf[64];
	const char *why = NULL;

	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), "", "/r", "/c", "/h", &why));
	TEST_STREQ(why, "KVMRUN_CACHE_DIR is set empty");
	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), "build/cache", "/r", "/c", "/h", &why));
	TEST_STREQ(why, "KVMRUN_CACHE_DIR is not an absolute path");
	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), NULL, "r", NULL, "h", &why));
	TEST_CONTAINS(why, "no absolute KVMRUN_CACHE_DIR");
	TEST_CHECK(!cpuid_cache_path(buf, 12, NULL, NULL, NULL, "/home/someone", &why));
	TEST_STREQ(why, "the cache path is too long");
}

TEST(cpuid_cache_path_order)
{
	char buf[256];

	TEST_CHECK(cpuid_cache_path(buf, sizeof(buf), "/k", "/run/user/1", "/c", "/h", NULL));
	TEST_STREQ(buf, "/k/cpuid");
	/* KVMRUN_CACHE_DIR set but empty, or relative: the cache is off. */
	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), "", "/run/user/1", "/c", "/h", NULL));
	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), "cache", "/run/user/1", "/c", "/h", NULL));
	TEST_CHECK(cpuid_cache_path(buf, sizeof(buf), NULL, "/run/user/1", "/c", "/h", NULL));
	TEST_STREQ(buf, "/run/user/1/kvmrun/cpuid");
	TEST_CHECK(cpuid_cache_path(buf, sizeof(buf), NULL, NULL, "/c", "/h", NULL));
	TEST_STREQ(buf, "/c/kvmrun/cpuid");
	TEST_CHECK(cpuid_cache_path(buf, sizeof(buf), NULL, NULL, NULL, "/h", NULL));
	TEST_STREQ(buf, "/h/.cache/kvmrun/cpuid");
	/* Relative XDG or HOME values are not paths to trust. */
	TEST_CHECK(cpuid_cache_path(buf, sizeof(buf), NULL, "run", "cache", "/h", NULL));
	TEST_STREQ(buf, "/h/.cache/kvmrun/cpuid");
	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), NULL, NULL, NULL, "home", NULL));
	TEST_CHECK(!cpuid_cache_path(buf, sizeof(buf), NULL, NULL, NULL, NULL, NULL));
	/* Too long for the buffer: no cache rather than a cut path. */
	TEST_CHECK(!cpuid_cache_path(buf, 12, NULL, NULL, NULL, "/home/someone", NULL));
}

TEST(cpuid_cache_key_of_a_device)
{
	struct cpuid_cache_key k1, k2;
	struct error err = { "" };
	int fd = open("/dev/null", O_RDONLY);

	TEST_REQUIRE(fd >= 0);
	TEST_REQUIRE(cpuid_cache_key(fd, &k1, &err) == 0);
	TEST_REQUIRE(cpuid_cache_key(fd, &k2, &err) == 0);
	TEST_CHECK(memcmp(&k1, &k2, sizeof(k1)) == 0);
	TEST_EQ(strlen(k1.boot_id), 36);                /* a UUID, no newline */
	TEST_EQ(k1.rdev, makedev(1, 3));
	close(fd);
}

/* A temporary directory for the file tests. */
static int temp_dir(char *dir, size_t cap)
{
	snprintf(dir, cap, "%s/kvmrun-unit-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

/* How many entries dir has besides . and .. (-1 if it cannot be read). */
static int entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

TEST(cpuid_cache_store_and_load)
{
	struct kvm_cpuid_entry2 in[NENT], out[NENT];
	struct error err = { "" };
	char dir[256], path[400];
	struct cpuid_cache_key other = key_a;
	struct stat st;
	uint32_t nent = 0;

	TEST_REQUIRE(temp_dir(dir, sizeof(dir)) == 0);
	sample_entries(in, NENT);
	/* The directories are made on the way. */
	snprintf(path, sizeof(path), "%s/a/b/cpuid", dir);
	TEST_CHECK(cpuid_cache_load(path, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "none yet");
	TEST_REQUIRE(cpuid_cache_store(path, &key_a, in, NENT, &err) == 0);
	TEST_REQUIRE(stat(path, &st) == 0);
	TEST_EQ(st.st_mode & 07777, 0600);
	TEST_EQ((uint64_t)st.st_size, cpuid_cache_size(NENT));
	snprintf(path, sizeof(path), "%s/a/b", dir);
	TEST_REQUIRE(stat(path, &st) == 0);
	TEST_EQ(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/a/b/cpuid", dir);
	TEST_REQUIRE(cpuid_cache_load(path, &key_a, out, NENT, &nent, &err) == 0);
	TEST_EQ(nent, NENT);
	TEST_CHECK(memcmp(in, out, sizeof(in)) == 0);

	/* Another boot: not used, and the reason says so. */
	other.boot_id[3] ^= 1;
	TEST_CHECK(cpuid_cache_load(path, &other, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "earlier boot");

	/* A store replaces the file whole; no temporary file is left. */
	in[0].eax = 0xabcd;
	TEST_REQUIRE(cpuid_cache_store(path, &key_a, in, NENT, &err) == 0);
	TEST_REQUIRE(cpuid_cache_load(path, &key_a, out, NENT, &nent, &err) == 0);
	TEST_EQ(out[0].eax, 0xabcd);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	TEST_EQ(entries_in(path), 1);
	remove_tree(dir);
}

TEST(cpuid_cache_load_refuses_files_not_plainly_ours)
{
	struct kvm_cpuid_entry2 in[NENT], out[NENT];
	struct error err = { "" };
	char dir[256], path[400], link[400];
	uint32_t nent;
	int fd;

	TEST_REQUIRE(temp_dir(dir, sizeof(dir)) == 0);
	sample_entries(in, NENT);
	snprintf(path, sizeof(path), "%s/cpuid", dir);
	TEST_REQUIRE(cpuid_cache_store(path, &key_a, in, NENT, &err) == 0);

	TEST_REQUIRE(chmod(path, 0620) == 0);
	TEST_CHECK(cpuid_cache_load(path, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "writable by others");
	TEST_REQUIRE(chmod(path, 0602) == 0);
	TEST_CHECK(cpuid_cache_load(path, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "writable by others");
	TEST_REQUIRE(chmod(path, 0600) == 0);

	snprintf(link, sizeof(link), "%s/link", dir);
	TEST_REQUIRE(symlink(path, link) == 0);
	TEST_CHECK(cpuid_cache_load(link, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "symbolic link");

	snprintf(link, sizeof(link), "%s/dir", dir);
	TEST_REQUIRE(mkdir(link, 0700) == 0);
	TEST_CHECK(cpuid_cache_load(link, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "not a regular file");

	/* A FIFO must not block the run. */
	snprintf(link, sizeof(link), "%s/fifo", dir);
	TEST_REQUIRE(mkfifo(link, 0600) == 0);
	TEST_CHECK(cpuid_cache_load(link, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "not a regular file");

	/* Cut short. */
	fd = open(path, O_WRONLY);
	TEST_REQUIRE(fd >= 0);
	TEST_CHECK(ftruncate(fd, (off_t)cpuid_cache_size(NENT) - 3) == 0);
	close(fd);
	TEST_CHECK(cpuid_cache_load(path, &key_a, out, NENT, &nent, &err) < 0);
	TEST_CONTAINS(err.msg, "damaged");

	/* A directory that cannot be made: store fails, and says where. */
	snprintf(link, sizeof(link), "%s/cpuid/sub/cpuid", dir);
	TEST_CHECK(cpuid_cache_store(link, &key_a, in, NENT, &err) < 0);
	TEST_CONTAINS(err.msg, "cannot create");

	/* A directory that is not this user's alone is not written in. */
	snprintf(link, sizeof(link), "%s/shared", dir);
	TEST_REQUIRE(mkdir(link, 0700) == 0 && chmod(link, 0777) == 0);
	snprintf(path, sizeof(path), "%s/shared/cpuid", dir);
	TEST_CHECK(cpuid_cache_store(path, &key_a, in, NENT, &err) < 0);
	TEST_CONTAINS(err.msg, "writable by others");
	TEST_EQ(entries_in(link), 0);
	TEST_REQUIRE(chmod(link, 0700) == 0);
	if (geteuid() == 0 && chown(link, 65534, 65534) == 0) {
		TEST_CHECK(cpuid_cache_store(path, &key_a, in, NENT, &err) < 0);
		TEST_CONTAINS(err.msg, "belongs to another user");
	}
	/* A symbolic link where the directory should be. */
	snprintf(link, sizeof(link), "%s/linked", dir);
	snprintf(path, sizeof(path), "%s/a", dir);
	TEST_REQUIRE(mkdir(path, 0700) == 0 && symlink(path, link) == 0);
	snprintf(path, sizeof(path), "%s/linked/cpuid", dir);
	TEST_CHECK(cpuid_cache_store(path, &key_a, in, NENT, &err) < 0);
	TEST_CONTAINS(err.msg, "cannot open");
	snprintf(path, sizeof(path), "%s/a", dir);
	TEST_EQ(entries_in(path), 0);
	remove_tree(dir);
}

const struct test tests_cpuid_cache[] = {
	TEST_ENTRY(cpuid_cache_round_trip),
	TEST_ENTRY(cpuid_cache_encode_limits),
	TEST_ENTRY(cpuid_cache_decode_rejects),
	TEST_ENTRY(cpuid_cache_first_entry_of_a_leaf_counts),
	TEST_ENTRY(cpuid_cache_path_order),
	TEST_ENTRY(cpuid_cache_path_says_why_not),
	TEST_ENTRY(cpuid_cache_key_of_a_device),
	TEST_ENTRY(cpuid_cache_store_and_load),
	TEST_ENTRY(cpuid_cache_load_refuses_files_not_plainly_ours),
	TEST_END,
};
