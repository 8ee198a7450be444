/* SPDX-License-Identifier: MIT */
/* --repeat: a machine reset to its snapshot between runs (snapshot.h). */
#include "speedups/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "machine.h"

#define PAGE 4096

#define MSR_IA32_TSC    0x00000010

/*
 * The MSRs a guest may set and a run must not pass on (Intel SDM vol. 4,
 * "Architectural MSRs").  Those this KVM lacks are left out
 * (snapshot_take).  The TSC is put back on its own (save_tsc).
 */
static const uint32_t kept_msrs[] = {
	0x0000003b,     /* IA32_TSC_ADJUST: a guest's write of IA32_TSC moves it */
	0x00000174,     /* IA32_SYSENTER_CS */
	0x00000175,     /* IA32_SYSENTER_ESP */
	0x00000176,     /* IA32_SYSENTER_EIP */
	0x00000277,     /* IA32_PAT */
	0xc0000081,     /* IA32_STAR */
	0xc0000082,     /* IA32_LSTAR */
	0xc0000083,     /* IA32_CSTAR */
	0xc0000084,     /* IA32_FMASK */
	0xc0000102,     /* IA32_KERNEL_GS_BASE */
	0xc0000103,     /* IA32_TSC_AUX */
};
#define NR_KEPT_MSRS (sizeof(kept_msrs) / sizeof(kept_msrs[0]))

/* The vCPU's TSC offset (Documentation/virt/kvm/devices/vcpu.rst,
 * KVM_VCPU_TSC_CTRL): guest TSC = host TSC + offset. */
static int tsc_offset_attr(struct kvm *kvm, unsigned long req, int64_t *offset,
			   struct error *err)
{
	struct kvm_device_attr attr = {
		.group = KVM_VCPU_TSC_CTRL,
		.attr = KVM_VCPU_TSC_OFFSET,
		.addr = (uintptr_t)offset,
	};

	return kvm_ioctl_named(kvm->vcpu_fd, req, req == KVM_GET_DEVICE_ATTR ?
			       "KVM_GET_DEVICE_ATTR (KVM_VCPU_TSC_OFFSET)" :
			       "KVM_SET_DEVICE_ATTR (KVM_VCPU_TSC_OFFSET)", &attr, err);
}

/*
 * Each run must read the clock the snapshot read.  Writing IA32_TSC does
 * not do it: KVM takes a host write within a second of its last as an
 * attempt to keep vCPUs in step and leaves the offset alone (the
 * "synchronizing" case of kvm_synchronize_tsc).  So kvmrun moves the
 * offset back by the host cycles since the snapshot; a KVM without the
 * attribute (before Linux 5.16) gets the MSR write, right only when runs
 * are a second apart.
 */
static int save_tsc(struct kvm *kvm, struct snapshot *s, struct error *err)
{
	struct kvm_device_attr attr = {
		.group = KVM_VCPU_TSC_CTRL, .attr = KVM_VCPU_TSC_OFFSET,
	};

	s->tsc_by_offset = ioctl(kvm->vcpu_fd, KVM_HAS_DEVICE_ATTR, &attr) == 0;
	if (!s->tsc_by_offset)
		return 0;
	s->host_tsc = __builtin_ia32_rdtsc();
	return tsc_offset_attr(kvm, KVM_GET_DEVICE_ATTR, &s->tsc_offset, err);
}

static int restore_tsc(struct kvm *kvm, const struct snapshot *s, struct error *err)
{
	int64_t offset;

	if (!s->tsc_by_offset)
		return 0;
	offset = s->tsc_offset - (int64_t)(__builtin_ia32_rdtsc() - s->host_tsc);
	return tsc_offset_attr(kvm, KVM_SET_DEVICE_ATTR, &offset, err);
}

/* Page map entries (Documentation/admin-guide/mm/pagemap.rst). */
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_SWAP    (1ULL << 62)    /* a copy, swapped out */
#define PAGEMAP_FILE    (1ULL << 61)    /* the memfd's page, not a copy */

/*
 * PAGEMAP_SCAN (Linux 6.7, same document) lists runs of pages by their
 * category, skipping what was never touched: far cheaper than reading an
 * entry per page of a large RAM.  Headers older than the kernel lack it;
 * this is its documented ABI.
 */
#ifndef PAGEMAP_SCAN
struct page_region {
	__u64 start, end, categories;
};
struct pm_scan_arg {
	__u64 size, flags, start, end, walk_end, vec, vec_len, max_pages;
	__u64 category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PAGEMAP_SCAN    _IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_FILE    (1 << 2)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_SWAPPED (1 << 4)
#endif

/* Copy RAM into the memfd, page by page, leaving zero pages as holes. */
static int save_ram(int fd, const uint8_t *ram, uint64_t size, struct error *err)
{
	static const uint8_t zeros[PAGE];

	if (ftruncate(fd, (off_t)size) < 0)
		return error_errno(err, errno, "--repeat: cannot size the snapshot");
	for (uint64_t off = 0; off < size; off += PAGE) {
		size_t n = size - off < PAGE ? (size_t)(size - off) : PAGE;

		if (memcmp(ram + off, zeros, n) == 0)
			continue;
		ssize_t w = pwrite(fd, ram + off, n, (off_t)off);

		if (w != (ssize_t)n)
			return error_errno(err, w < 0 ? errno : ENOSPC,
					   "--repeat: cannot write the snapshot");
	}
	return 0;
}

/* The MSRs of kept_msrs this KVM reads, and their values now. */
static int save_msrs(struct kvm *kvm, struct snapshot *s, struct error *err)
{
	struct kvm_msrs *one = calloc(1, sizeof(*one) + sizeof(one->entries[0]));
	__u32 n = 0;

	s->msrs = calloc(1, sizeof(*s->msrs) + (NR_KEPT_MSRS + 1) * sizeof(s->msrs->entries[0]));
	if (!s->msrs || !one) {
		free(one);
		return error_set(err, "--repeat: out of memory for the snapshot");
	}
	/* One at a time: KVM_GET_MSRS stops at the first it does not know
	 * (KVM API document), and returns how many it read. */
	for (size_t i = 0; i <= NR_KEPT_MSRS; i++) {
		if (i == NR_KEPT_MSRS && s->tsc_by_offset)
			break;
		memset(one, 0, sizeof(*one) + sizeof(one->entries[0]));
		one->nmsrs = 1;
		one->entries[0].index = i < NR_KEPT_MSRS ? kept_msrs[i] : MSR_IA32_TSC;
		int r = kvm_ioctl(kvm->vcpu_fd, KVM_GET_MSRS, one, err);

		if (r < 0) {
			free(one);
			return -1;
		}
		if (r == 1)
			s->msrs->entries[n++] = one->entries[0];
	}
	free(one);
	s->msrs->nmsrs = n;
	return 0;
}

/* Open the page map; without it (no /proc), every reset drops all of
 * RAM, which is slower but as right. */
static void open_pagemap(struct snapshot *s)
{
	s->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	s->use_scan = true;
}

/* Drop pages [i, j) of RAM: the snapshot's show through again. */
static int drop_pages(struct snapshot *s, uint8_t *ram, uint64_t i, uint64_t j,
		      struct error *err)
{
	if (madvise(ram + i * PAGE, (j - i) * PAGE, MADV_DONTNEED) < 0)
		return error_errno(err, errno, "--repeat: madvise(MADV_DONTNEED) failed");
	s->dirty_pages += j - i;
	return 0;
}

/* With PAGEMAP_SCAN: the runs of pages present and not the memfd's.
 * Returns 0 when this kernel lacks it. */
static int drop_scanned(struct snapshot *s, uint8_t *ram, uint64_t size, struct error *err)
{
	struct page_region runs[32];
	struct pm_scan_arg scan = {
		.size = sizeof(scan),
		.start = (uintptr_t)ram,
		.end = (uintptr_t)ram + size,
		.vec = (uintptr_t)runs,
		.vec_len = sizeof(runs) / sizeof(runs[0]),
		/* Not the memfd's, and in RAM or in swap: a copy the run made. */
		.category_mask = PAGE_IS_FILE,
		.category_inverted = PAGE_IS_FILE,
		.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_FILE,
	};

	for (;;) {
		int n = ioctl(s->pagemap_fd, PAGEMAP_SCAN, &scan);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && scan.start == (uintptr_t)ram && (errno == ENOTTY || errno == EINVAL))
			return 0;
		if (n < 0)
			return error_errno(err, errno, "--repeat: PAGEMAP_SCAN failed");
		for (int k = 0; k < n; k++)
			if (drop_pages(s, ram, (runs[k].start - (uintptr_t)ram) / PAGE,
				       (runs[k].end - (uintptr_t)ram) / PAGE, err) < 0)
				return -1;
		if (scan.walk_end >= scan.end)
			return 1;
		scan.start = scan.walk_end;     /* runs[] was full: on from there */
	}
}

/* Without it: an entry per page, read in one go. */
static int drop_read(struct snapshot *s, uint8_t *ram, uint64_t size, struct error *err)
{
	uint64_t pages = size / PAGE;
	ssize_t want = (ssize_t)(pages * sizeof(*s->pagemap));

	if (!s->pagemap && !(s->pagemap = malloc((size_t)want)))
		return 0;
	if (pread(s->pagemap_fd, s->pagemap, (size_t)want,
		  (off_t)((uintptr_t)ram / PAGE * sizeof(*s->pagemap))) != want)
		return 0;
	for (uint64_t i = 0, j; i < pages; i = j + 1) {
		for (j = i; j < pages && (s->pagemap[j] & (PAGEMAP_PRESENT | PAGEMAP_SWAP)) &&
			    !(s->pagemap[j] & PAGEMAP_FILE); j++)
			;
		if (j > i && drop_pages(s, ram, i, j, err) < 0)
			return -1;
	}
	return 1;
}

/* Drop the private copies the last run made, and count them. */
static int drop_dirty_pages(struct snapshot *s, uint8_t *ram, uint64_t size,
			    struct error *err)
{
	int done = 0;

	s->dirty_pages = 0;
	if (s->pagemap_fd >= 0 && s->use_scan) {
		done = drop_scanned(s, ram, size, err);
		s->use_scan = done != 0;
	}
	if (s->pagemap_fd >= 0 && !done)
		done = drop_read(s, ram, size, err);
	if (done < 0)
		return -1;
	if (done)
		return 0;
	/* No page map at all: drop all of RAM, slower but as right. */
	return drop_pages(s, ram, 0, size / PAGE, err);
}

int snapshot_take(struct machine *m, struct snapshot *s, struct error *err)
{
	struct kvm *kvm = &m->vm.kvm;
	struct memmap *mm = &m->vm.mem;
	void *p;
	int done;

	*s = (struct snapshot)SNAPSHOT_NONE;
	/* Mid-run (the guest's snapshot point): finish the `out` first, so
	 * RIP is past it.  Before the first run there is nothing to finish. */
	done = kvm_complete_exit(kvm, err);
	if (done > 0)
		return error_set(err, "--repeat: a snapshot point inside a string "
				 "instruction (rep outs): write the port with one out");
	if (done < 0 ||
	    cpu_get(kvm, &s->regs, &s->sregs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_GET_FPU, &s->fpu, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_GET_VCPU_EVENTS, &s->events, err) < 0)
		return -1;
	s->have_xcrs = kvm_check_extension(kvm, KVM_CAP_XCRS) > 0;
	if (s->have_xcrs && kvm_ioctl(kvm->vcpu_fd, KVM_GET_XCRS, &s->xcrs, err) < 0)
		return -1;
	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_DEBUGREGS, &s->debugregs, err) < 0 ||
	    save_tsc(kvm, s, err) < 0 || save_msrs(kvm, s, err) < 0)
		return -1;
	/* KVM_GET_FPU has no AVX: the XSAVE area has (KVM API document,
	 * "KVM_GET_XSAVE"), where KVM offers it. */
	if (kvm_check_extension(kvm, KVM_CAP_XSAVE) > 0) {
		s->xsave = malloc(sizeof(*s->xsave));
		if (!s->xsave)
			return error_set(err, "--repeat: out of memory for the snapshot");
		if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_XSAVE, s->xsave, err) < 0)
			return -1;
	}
	s->cpl = m->vm.cpl;
	/* The devices hold no memory of their own: a copy is their state
	 * (snapport's request already taken). */
	s->dev = malloc(sizeof(*s->dev));
	if (!s->dev)
		return error_set(err, "--repeat: out of memory for the snapshot");
	*s->dev = m->dev;
	s->memfd = memfd_create("kvmrun-snapshot", MFD_CLOEXEC);
	if (s->memfd < 0)
		return error_errno(err, errno, "--repeat: memfd_create failed");
	if (save_ram(s->memfd, mm->host, mm->ram_size, err) < 0)
		return -1;
	open_pagemap(s);
	/*
	 * The same address, now backed by the snapshot, copy-on-write.  Mapped
	 * elsewhere first, then moved over the RAM in one step (mremap), so a
	 * failure leaves the RAM as it was.
	 */
	p = mmap(NULL, mm->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE,
		 s->memfd, 0);
	if (p == MAP_FAILED)
		return error_errno(err, errno, "--repeat: cannot map the snapshot");
	if (mremap(p, mm->ram_size, mm->ram_size, MREMAP_MAYMOVE | MREMAP_FIXED,
		   mm->host) == MAP_FAILED) {
		int e = errno;

		munmap(p, mm->ram_size);
		return error_errno(err, e, "--repeat: cannot put the snapshot under the RAM");
	}
	return 0;
}

int snapshot_restore(struct machine *m, struct snapshot *s, struct error *err)
{
	struct kvm *kvm = &m->vm.kvm;
	struct kvm_vcpu_events events = s->events;
	int set;

	/* The run's own copies of pages go; the snapshot's show again. */
	if (drop_dirty_pages(s, m->vm.mem.host, m->vm.mem.ram_size, err) < 0)
		return -1;
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_SREGS, (void *)&s->sregs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_REGS, (void *)&s->regs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_FPU, (void *)&s->fpu, err) < 0 ||
	    (s->have_xcrs && kvm_ioctl(kvm->vcpu_fd, KVM_SET_XCRS, (void *)&s->xcrs, err) < 0) ||
	    (s->xsave && kvm_ioctl(kvm->vcpu_fd, KVM_SET_XSAVE, s->xsave, err) < 0) ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_DEBUGREGS, (void *)&s->debugregs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_VCPU_EVENTS, &events, err) < 0)
		return -1;
	/* KVM_SET_MSRS returns how many it set (KVM API document). */
	set = kvm_ioctl(kvm->vcpu_fd, KVM_SET_MSRS, s->msrs, err);
	if (set < 0)
		return -1;
	if ((__u32)set != s->msrs->nmsrs)
		return error_set(err, "KVM_SET_MSRS failed: MSR %#x not set back",
				 s->msrs->entries[set].index);
	if (restore_tsc(kvm, s, err) < 0)
		return -1;
	m->vm.cpl = s->cpl;
	m->dev = *s->dev;
	tier_init(m);                   /* tiering starts over too */
	return 0;
}

void snapshot_fini(struct snapshot *s)
{
	if (s->memfd >= 0)
		close(s->memfd);
	s->memfd = -1;
	free(s->dev);
	s->dev = NULL;
	free(s->xsave);
	s->xsave = NULL;
	free(s->msrs);
	s->msrs = NULL;
	if (s->pagemap_fd >= 0)
		close(s->pagemap_fd);
	s->pagemap_fd = -1;
	free(s->pagemap);
	s->pagemap = NULL;
}
