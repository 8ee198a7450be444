/* SPDX-License-Identifier: MIT */
/*
 * raw: the least a KVM runner can do, as the floor kvmrun is measured
 * against in `make bench`.  One VM, one slot of RAM, one vCPU in 64-bit
 * mode at CPL0 (or CPL3 with -3) with the first 4 GiB identity-mapped,
 * the image at 0x10000, and a run loop
 * that ignores every port and MMIO access except a byte written to 0x3f8
 * (stdout, one exit per byte) and the exit port 0xf4.  It ends at hlt (at
 * CPL3: at the triple fault a hlt causes with no IDT).  No error messages
 * beyond the failing call's name: it is a measuring stick, not a tool.
 *
 * With -c it also gives the vCPU the CPUID KVM supports, as any runner of
 * real guests must (and kvmrun does): on a nested host that is not free.
 *
 * usage: raw [-0|-3] [-c] [-m MiB] IMAGE
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOAD    0x10000
#define PML4    0x1000
#define TSS     0x9000
#define US      (1ULL << 2)

static void die(const char *what)
{
	perror(what);
	exit(125);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *name)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		die(name);
	return r;
}

int main(int argc, char **argv)
{
	uint64_t mem_size = 2ULL << 20, u = 0;
	int opt, ring3 = 0, cpuid = 0;

	while ((opt = getopt(argc, argv, "03cm:")) != -1) {
		if (opt == '3')
			ring3 = 1;
		else if (opt == '0')
			ring3 = 0;
		else if (opt == 'c')
			cpuid = 1;
		else if (opt == 'm')
			mem_size = strtoull(optarg, NULL, 0) << 20;
		else
			return 125;
	}
	if (optind >= argc)
		return 125;

	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	int vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	uint8_t *mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	struct kvm_userspace_memory_region region = {
		.memory_size = mem_size, .userspace_addr = (uintptr_t)mem,
	};
	xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

	int img = open(argv[optind], O_RDONLY);
	struct stat st;
	if (img < 0 || fstat(img, &st) < 0)
		die(argv[optind]);
	if (read(img, mem + LOAD, (size_t)st.st_size) != st.st_size)
		die("read");
	close(img);

	/* Identity-map the first 4 GiB with 2 MiB pages. */
	if (ring3)
		u = US;
	uint64_t *pml4 = (uint64_t *)(mem + PML4), *pdpt = pml4 + 512, *pd = pdpt + 512;
	pml4[0] = (PML4 + 0x1000) | 3 | u;
	for (uint64_t g = 0; g < 4; g++)
		pdpt[g] = (PML4 + 0x2000 + g * 0x1000) | 3 | u;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | 0x83 | u;
	/* TSS: an all-zero I/O bitmap right after it allows every port. */
	uint16_t iomap = 104;
	memcpy(mem + TSS + 102, &iomap, 2);
	mem[TSS + 104 + 8192] = 0xff;

	int vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
	int run_size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
	struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");

	if (cpuid) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));

		if (!c)
			die("calloc");
		c->nent = 256;
		xioctl(kvm, KVM_GET_SUPPORTED_CPUID, c, "KVM_GET_SUPPORTED_CPUID");
		xioctl(vcpu, KVM_SET_CPUID2, c, "KVM_SET_CPUID2");
		free(c);
	}

	struct kvm_sregs sregs;
	xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	struct kvm_segment code = {
		.limit = 0xffffffff, .selector = ring3 ? 0x33 : 0x08, .type = 0xb,
		.present = 1, .dpl = ring3 ? 3 : 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = code;
	data.selector = ring3 ? 0x2b : 0x10;
	data.type = 3;
	data.l = 0;
	data.db = 1;
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.tr = (struct kvm_segment){
		.base = TSS, .limit = 104 + 8192, .selector = 0x18, .type = 0xb,
		.present = 1,
	};
	sregs.cr3 = PML4;
	sregs.cr4 = (1 << 5) | (1 << 9) | (1 << 10);   /* PAE OSFXSR OSXMMEXCPT */
	sregs.cr0 = 0x80000033;                         /* PE MP ET NE PG */
	sregs.efer = (1 << 8) | (1 << 10);              /* LME LMA */
	xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
	struct kvm_regs regs = { .rip = LOAD, .rsp = LOAD, .rflags = 2 };
	xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");

	for (;;) {
		xioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == 0x3f8)
				putchar(*((uint8_t *)run + run->io.data_offset));
			else if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == 0xf4)
				return *((uint8_t *)run + run->io.data_offset);
			break;
		case KVM_EXIT_MMIO:
			break;
		case KVM_EXIT_HLT:
			return 0;
		case KVM_EXIT_SHUTDOWN:
			return ring3 ? 0 : 126;
		default:
			fprintf(stderr, "raw: exit reason %u\n", run->exit_reason);
			return 126;
		}
	}
}
