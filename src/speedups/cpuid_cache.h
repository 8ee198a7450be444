/* SPDX-License-Identifier: MIT */
/*
 * A cache of KVM_GET_SUPPORTED_CPUID's answer, kept for one boot.
 *
 * Every CPUID instruction the kernel executes to answer
 * KVM_GET_SUPPORTED_CPUID costs a trap to the outer hypervisor on a nested
 * host, a large part of a whole kvmrun run of a guest that just halts
 * (docs/internals.md, "The CPUID cache").  The answer changes only when KVM does:
 * after a reboot, or when the KVM modules are reloaded, which removes
 * /dev/kvm and creates a new node.  So kvmrun keeps it in a file whose key
 * is the boot ID and the identity of the device node (device, inode,
 * change time), and asks KVM again when the key differs, when the file
 * is damaged, or when it is not plainly the user's own.
 *
 * The file, host byte order:
 *
 *   struct cpuid_cache_header    magic, format, entry count, key, checksum
 *   struct kvm_cpuid_entry2[n]   as KVM_GET_SUPPORTED_CPUID returned them
 *
 * The checksum (64-bit FNV-1a over everything, the checksum field taken
 * as zero) catches a file cut short or damaged; it is not a defence
 * against someone who can write the user's files.
 *
 * No KVM calls: the format is pure and unit-tested, the rest is file I/O.
 */
#ifndef KVMRUN_CPUID_CACHE_H
#define KVMRUN_CPUID_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "error.h"

#define CPUID_CACHE_MAGIC       "KVMRCPUI"
#define CPUID_CACHE_FORMAT      1
#define CPUID_CACHE_MAX_ENTRIES 256     /* KVM_MAX_CPUID_ENTRIES */
#define CPUID_CACHE_FILE        "cpuid"
#define CPUID_80000001_EDX_LM   (1U << 29)      /* long mode */

/* What the cached answer is only good for. */
struct cpuid_cache_key {
	char boot_id[40];               /* /proc/sys/kernel/random/boot_id */
	uint64_t dev, ino, rdev;        /* the KVM device node */
	int64_t ctime_sec, ctime_nsec;  /* when that node was made */
};

struct cpuid_cache_header {
	char magic[8];                  /* CPUID_CACHE_MAGIC, no NUL */
	uint32_t format;                /* CPUID_CACHE_FORMAT */
	uint32_t nent;                  /* entries that follow */
	struct cpuid_cache_key key;
	uint64_t checksum;
};

/* The key for the KVM device open on kvm_fd, in this boot. */
int cpuid_cache_key(int kvm_fd, struct cpuid_cache_key *key, struct error *err);

/*
 * The file's path, from the environment's values (NULL if unset):
 * KVMRUN_CACHE_DIR, else XDG_RUNTIME_DIR/kvmrun, else
 * XDG_CACHE_HOME/kvmrun, else HOME/.cache/kvmrun, then "/cpuid".
 * Relative XDG and HOME values are ignored, as the XDG spec says.  False
 * if there is none: nothing set, KVMRUN_CACHE_DIR set empty (the way to
 * turn the cache off) or to a relative path, or a path longer than cap;
 * then *why (if not NULL) says which, for -v and the report.
 */
bool cpuid_cache_path(char *buf, size_t cap, const char *kvmrun_dir,
		      const char *xdg_runtime, const char *xdg_cache,
		      const char *home, const char **why);

/* Bytes the file of nent entries takes. */
size_t cpuid_cache_size(uint32_t nent);

/*
 * Write the file's bytes for key and nent entries into buf (cap bytes).
 * Returns the size, or 0 if cap is too small or nent is out of range.
 */
size_t cpuid_cache_encode(const struct cpuid_cache_key *key,
			  const struct kvm_cpuid_entry2 *entries, uint32_t nent,
			  void *buf, size_t cap);

/* True if the entries have what every x86-64 KVM offers (leaves 0, 1,
 * 0x80000000, and 0x80000001 with long mode). */
bool cpuid_cache_plausible(const struct kvm_cpuid_entry2 *e, uint32_t nent);

/*
 * Check len bytes read from a cache file against key and copy the entries
 * to out (room for cap).  Returns 0, or -1 with why set to the reason in a
 * few words ("from an earlier boot", "damaged: checksum", ...).  out may
 * have been written even when the file is refused.
 */
int cpuid_cache_decode(const void *buf, size_t len,
		       const struct cpuid_cache_key *key,
		       struct kvm_cpuid_entry2 *out, uint32_t cap,
		       uint32_t *nent, const char **why);

/*
 * Read the file at path.  It is used only if it is a regular file (not a
 * symbolic link) owned by this user and writable by nobody else, and if
 * it decodes for key.  Returns 0, or -1 with err saying why not.
 */
int cpuid_cache_load(const char *path, const struct cpuid_cache_key *key,
		     struct kvm_cpuid_entry2 *out, uint32_t cap, uint32_t *nent,
		     struct error *err);

/*
 * Write the file at path: its directory is created (mode 0700) if need
 * be and must be this user's, writable by nobody else, and not a symbolic
 * link; the file is written under a temporary name (mode 0600) and
 * renamed into place, so a reader sees the old file or the new one.
 */
int cpuid_cache_store(const char *path, const struct cpuid_cache_key *key,
		      const struct kvm_cpuid_entry2 *entries, uint32_t nent,
		      struct error *err);

#endif
