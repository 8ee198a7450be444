/* SPDX-License-Identifier: MIT */
#include "kvm.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int kvm_ioctl_named(int fd, unsigned long req, const char *name, void *arg,
		    struct error *err)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return error_errno(err, errno, "%s failed", name);
	return r;
}

void kvm_explain(const struct kvm *kvm, const char *fmt, ...)
{
	va_list ap;

	if (!kvm->explain)
		return;
	fputs("kvmrun: ioctl ", kvm->explain);
	va_start(ap, fmt);
	vfprintf(kvm->explain, fmt, ap);
	va_end(ap);
	fputc('\n', kvm->explain);
}

int kvm_check_api_version(int version, struct error *err)
{
	if (version != KVM_API_VERSION)
		return error_set(err, "unsupported KVM API version %d "
			       "(kvmrun needs version %d)", version, KVM_API_VERSION);
	return 0;
}

static int open_error(const char *path, int errnum, struct error *err)
{
	switch (errnum) {
	case ENOENT:
		return error_set(err, "%s not found: load the KVM module "
			       "(modprobe kvm_intel or kvm_amd) and make sure "
			       "virtualization is enabled", path);
	case EACCES:
	case EPERM:
		return error_set(err, "%s: permission denied: add your user to "
			       "the kvm group (sudo usermod -aG kvm $USER, then "
			       "log in again) or grant access with an ACL "
			       "(sudo setfacl -m u:$USER:rw %s)", path, path);
	default:
		return error_errno(err, errnum, "cannot open %s", path);
	}
}

int kvm_open(struct kvm *kvm, const char *path, struct error *err)
{
	int version;

	kvm->dev_fd = kvm->vm_fd = kvm->vcpu_fd = -1;
	kvm->run = NULL;            /* explain is the caller's */
	kvm->run_size = 0;
	if (!path)
		path = KVM_DEFAULT_DEVICE;
	kvm->dev_fd = open(path, O_RDWR | O_CLOEXEC);
	if (kvm->dev_fd < 0)
		return open_error(path, errno, err);

	version = ioctl(kvm->dev_fd, KVM_GET_API_VERSION, 0);
	if (version < 0) {
		error_errno(err, errno, "%s is not a KVM device (KVM_GET_API_VERSION "
			  "failed)", path);
		goto fail;
	}
	if (kvm_check_api_version(version, err) < 0)
		goto fail;
	/* Which KVM this is, asked once: kvm_pvm (a module of its own) runs
	 * a guest's ring-0 code in its instruction emulator. */
	kvm->pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	kvm_explain(kvm, "KVM_GET_API_VERSION on %s (fd %d): version %d", path,
		    kvm->dev_fd, version);
	kvm->vm_fd = kvm_ioctl(kvm->dev_fd, KVM_CREATE_VM, 0, err);
	if (kvm->vm_fd < 0)
		goto fail;
	kvm_explain(kvm, "KVM_CREATE_VM: a new, empty virtual machine (fd %d)",
		    kvm->vm_fd);
	return 0;
fail:
	kvm_close(kvm);
	return -1;
}

int kvm_create_vcpu(struct kvm *kvm, struct error *err)
{
	int size;
	void *p;

	size = kvm_ioctl(kvm->dev_fd, KVM_GET_VCPU_MMAP_SIZE, 0, err);
	if (size < 0)
		return -1;
	if ((size_t)size < sizeof(struct kvm_run))
		return error_set(err, "KVM_GET_VCPU_MMAP_SIZE returned %d, "
			       "smaller than struct kvm_run", size);
	kvm->vcpu_fd = kvm_ioctl(kvm->vm_fd, KVM_CREATE_VCPU, 0, err);
	if (kvm->vcpu_fd < 0)
		return -1;
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 kvm->vcpu_fd, 0);
	if (p == MAP_FAILED)
		return error_errno(err, errno, "mmap of the vCPU's kvm_run failed");
	kvm->run = p;
	kvm->run_size = (size_t)size;
	kvm_explain(kvm, "KVM_CREATE_VCPU: vCPU 0 (fd %d); its struct kvm_run "
		    "(%d bytes, KVM_GET_VCPU_MMAP_SIZE) is mapped into kvmrun: "
		    "it says why the guest stopped each time", kvm->vcpu_fd, size);
	return 0;
}

int kvm_set_memory(struct kvm *kvm, uint32_t slot, uint64_t gpa,
		   uint64_t size, void *host, struct error *err)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (kvm_ioctl(kvm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region, err) < 0)
		return -1;
	kvm_explain(kvm, "KVM_SET_USER_MEMORY_REGION slot %u: guest-physical "
		    "%#llx-%#llx is kvmrun's memory at %p", slot,
		    (unsigned long long)gpa, (unsigned long long)(gpa + size - 1), host);
	return 0;
}

struct kvm_coalesced_mmio_ring *kvm_coalesce_pio(struct kvm *kvm, uint16_t port,
						 uint32_t len, struct error *err)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = port, .size = len, .pio = 1 };
	long page = sysconf(_SC_PAGESIZE);
	int offset = kvm_check_extension(kvm, KVM_CAP_COALESCED_MMIO);

	if (!kvm_check_extension(kvm, KVM_CAP_COALESCED_PIO) || offset <= 0 ||
	    page <= 0 || (size_t)(offset + 1) * (size_t)page > kvm->run_size) {
		error_set(err, "KVM cannot coalesce port writes");
		return NULL;
	}
	if (kvm_ioctl(kvm->vm_fd, KVM_REGISTER_COALESCED_MMIO, &zone, err) < 0)
		return NULL;
	return (struct kvm_coalesced_mmio_ring *)((uint8_t *)kvm->run +
						  (size_t)offset * (size_t)page);
}

int kvm_uncoalesce_pio(struct kvm *kvm, uint16_t port, uint32_t len,
		       struct error *err)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = port, .size = len, .pio = 1 };

	return kvm_ioctl(kvm->vm_fd, KVM_UNREGISTER_COALESCED_MMIO, &zone, err) < 0
	       ? -1 : 0;
}

uint32_t kvm_coalesced_max(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return (uint32_t)(((size_t)page - sizeof(struct kvm_coalesced_mmio_ring)) /
			  sizeof(struct kvm_coalesced_mmio));
}

int kvm_complete_exit(struct kvm *kvm, struct error *err)
{
	int r, e;

	kvm->run->immediate_exit = 1;
	r = ioctl(kvm->vcpu_fd, KVM_RUN, 0);
	e = errno;
	kvm->run->immediate_exit = 0;
	/* 0: finishing it raised the next exit (the second half of an MMIO
	 * access that crosses a page, more of a `rep ins`), now in kvm_run. */
	if (r == 0)
		return 1;
	if (e != EINTR)
		return error_errno(err, e, "KVM_RUN with immediate_exit failed");
	return 0;
}

int kvm_check_extension(const struct kvm *kvm, long cap)
{
	int r = ioctl(kvm->vm_fd >= 0 ? kvm->vm_fd : kvm->dev_fd,
		      KVM_CHECK_EXTENSION, cap);

	return r > 0 ? r : 0;
}

void kvm_close(struct kvm *kvm)
{
	if (kvm->run)
		munmap(kvm->run, kvm->run_size);
	kvm->run = NULL;
	if (kvm->vcpu_fd >= 0)
		close(kvm->vcpu_fd);
	if (kvm->vm_fd >= 0)
		close(kvm->vm_fd);
	if (kvm->dev_fd >= 0)
		close(kvm->dev_fd);
	kvm->vcpu_fd = kvm->vm_fd = kvm->dev_fd = -1;
}

const char *kvm_exit_name(uint32_t reason)
{
#define X(name) [KVM_EXIT_##name] = "KVM_EXIT_" #name
	static const char *const names[] = {
		X(UNKNOWN), X(EXCEPTION), X(IO), X(HYPERCALL), X(DEBUG),
		X(HLT), X(MMIO), X(IRQ_WINDOW_OPEN), X(SHUTDOWN),
		X(FAIL_ENTRY), X(INTR), X(SET_TPR), X(TPR_ACCESS),
		X(S390_SIEIC), X(S390_RESET), X(DCR), X(NMI),
		X(INTERNAL_ERROR), X(OSI), X(PAPR_HCALL), X(S390_UCONTROL),
		X(WATCHDOG), X(S390_TSCH), X(EPR), X(SYSTEM_EVENT),
		X(S390_STSI), X(IOAPIC_EOI), X(HYPERV), X(ARM_NISV),
		X(X86_RDMSR), X(X86_WRMSR), X(DIRTY_RING_FULL),
		X(AP_RESET_HOLD), X(X86_BUS_LOCK), X(XEN), X(RISCV_SBI),
		X(RISCV_CSR), X(NOTIFY),
	};
#undef X
	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "KVM_EXIT_(unknown)";
}

uint8_t *kvm_io_data(const struct kvm *kvm, struct error *err)
{
	const struct kvm_run *run = kvm->run;

	if (run->io.data_offset > kvm->run_size ||
	    (uint64_t)run->io.size * run->io.count > kvm->run_size - run->io.data_offset) {
		error_set(err, "KVM_EXIT_IO data lies outside kvm_run");
		return NULL;
	}
	return (uint8_t *)kvm->run + run->io.data_offset;
}

int kvm_mmio_check(const struct kvm *kvm, struct error *err)
{
	const struct kvm_run *run = kvm->run;

	if (run->mmio.len == 0 || run->mmio.len > sizeof(run->mmio.data))
		return error_set(err, "KVM_EXIT_MMIO of %u bytes at %#llx",
			       run->mmio.len, (unsigned long long)run->mmio.phys_addr);
	return 0;
}

uint64_t kvm_tsc_khz(const struct kvm *kvm)
{
	int khz = ioctl(kvm->vcpu_fd, KVM_GET_TSC_KHZ, 0);

	return khz > 0 ? (uint64_t)khz : 0;
}
