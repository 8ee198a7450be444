/* SPDX-License-Identifier: MIT */
/* --repeat: a machine reset to its snapshot between runs (snapshot.h). */
#include "speedups/snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "machine.h"

#define PAGE 4096

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

int snapshot_take(struct machine *m, struct snapshot *s, struct error *err)
{
	struct kvm *kvm = &m->vm.kvm;
	struct memmap *mm = &m->vm.mem;
	void *p;

	int done;

	memset(s, 0, sizeof(*s));
	s->memfd = -1;
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
	if (kvm_ioctl(kvm->vcpu_fd, KVM_GET_DEBUGREGS, &s->debugregs, err) < 0)
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

int snapshot_restore(struct machine *m, const struct snapshot *s, struct error *err)
{
	struct kvm *kvm = &m->vm.kvm;
	struct kvm_vcpu_events events = s->events;

	/* The run's own copies of pages go; the snapshot's show again. */
	if (madvise(m->vm.mem.host, m->vm.mem.ram_size, MADV_DONTNEED) < 0)
		return error_errno(err, errno, "--repeat: madvise(MADV_DONTNEED) failed");
	if (kvm_ioctl(kvm->vcpu_fd, KVM_SET_SREGS, (void *)&s->sregs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_REGS, (void *)&s->regs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_FPU, (void *)&s->fpu, err) < 0 ||
	    (s->have_xcrs && kvm_ioctl(kvm->vcpu_fd, KVM_SET_XCRS, (void *)&s->xcrs, err) < 0) ||
	    (s->xsave && kvm_ioctl(kvm->vcpu_fd, KVM_SET_XSAVE, s->xsave, err) < 0) ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_DEBUGREGS, (void *)&s->debugregs, err) < 0 ||
	    kvm_ioctl(kvm->vcpu_fd, KVM_SET_VCPU_EVENTS, &events, err) < 0)
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
}
