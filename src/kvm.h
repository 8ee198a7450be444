/* SPDX-License-Identifier: MIT */
/*
 * VM setup: open /dev/kvm, check the API version, create the VM and its
 * vCPU, map the vCPU's kvm_run block, register guest memory.  Every ioctl
 * goes through kvm_ioctl(), which names the request in its error message.
 */
#ifndef KVMRUN_KVM_H
#define KVMRUN_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/kvm.h>

#include "error.h"

#define KVM_DEFAULT_DEVICE      "/dev/kvm"

struct kvm {
	int dev_fd;             /* /dev/kvm */
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;    /* shared with the kernel, vcpu_mmap_size bytes */
	size_t run_size;
	FILE *explain;          /* -v: each setup ioctl is told here, or NULL */
	bool pvm;               /* the host's KVM is kvm_pvm: ring-0 guest code
				   is emulated, ring 3 runs natively */
};

/* -v: one line about an ioctl the setup makes ("kvmrun: ioctl ..."). */
void kvm_explain(const struct kvm *kvm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Call ioctl(fd, req, arg); on failure fill err with the request's name. */
#define kvm_ioctl(fd, req, arg, err) kvm_ioctl_named(fd, req, #req, arg, err)
int kvm_ioctl_named(int fd, unsigned long req, const char *name, void *arg,
		    struct error *err);

/* Fail unless the kernel speaks the KVM API version kvmrun was built for. */
int kvm_check_api_version(int version, struct error *err);

/*
 * Open the KVM device (path NULL: /dev/kvm), check its API version and
 * create a VM.  On failure nothing is left open.
 */
int kvm_open(struct kvm *kvm, const char *path, struct error *err);

/* Create vCPU 0 and map its kvm_run block. */
int kvm_create_vcpu(struct kvm *kvm, struct error *err);

/* Back [gpa, gpa+size) of guest-physical memory with host memory. */
int kvm_set_memory(struct kvm *kvm, uint32_t slot, uint64_t gpa,
		   uint64_t size, void *host, struct error *err);

/*
 * Let the guest's writes to [port, port+len) queue in the coalesced ring
 * instead of exiting (KVM_REGISTER_COALESCED_MMIO with pio = 1).  Returns
 * the ring, or NULL with err set if KVM cannot coalesce port writes.
 */
struct kvm_coalesced_mmio_ring *kvm_coalesce_pio(struct kvm *kvm, uint16_t port,
						 uint32_t len, struct error *err);

/* Undo kvm_coalesce_pio (before closing the VM: see machine.c). */
int kvm_uncoalesce_pio(struct kvm *kvm, uint16_t port, uint32_t len,
		       struct error *err);

/* Entries the coalesced ring holds (the kernel's KVM_COALESCED_MMIO_MAX). */
uint32_t kvm_coalesced_max(void);

/*
 * Finish the exit KVM_RUN last returned for, without running the guest:
 * the data of an `in` or an MMIO read reaches its register, and RIP moves
 * past the instruction.  Until then the vCPU's state is not consistent
 * (KVM API document, "KVM_EXIT_IO": the operation is complete only after
 * userspace has re-entered the kernel with KVM_RUN), so this comes before
 * kvmrun changes the guest's registers at an exit.  Uses immediate_exit
 * (KVM_CAP_IMMEDIATE_EXIT): KVM_RUN completes the operation, then returns
 * EINTR at once.  Returns 0, -1 if KVM_RUN failed, or 1 if completing it
 * raised another exit, which kvm_run now describes and which must be
 * served before the guest runs on.
 */
int kvm_complete_exit(struct kvm *kvm, struct error *err);

/* 1 if the extension is present, its value if positive, 0 if absent. */
int kvm_check_extension(const struct kvm *kvm, long cap);

/* Close everything kvm_open and kvm_create_vcpu made; safe to repeat. */
void kvm_close(struct kvm *kvm);

/* Name of a KVM_EXIT_* reason, from a bounds-checked table. */
const char *kvm_exit_name(uint32_t reason);

/*
 * The data of a KVM_EXIT_IO (size * count bytes at io.data_offset in
 * kvm_run), or NULL, with err saying so, if that lies outside kvm_run.
 */
uint8_t *kvm_io_data(const struct kvm *kvm, struct error *err);

/* The vCPU's TSC frequency in kHz (KVM_GET_TSC_KHZ), or 0 if KVM does not
 * say. */
uint64_t kvm_tsc_khz(const struct kvm *kvm);

/* A KVM_EXIT_MMIO's length is one struct kvm_run can hold (1 to 8);
 * otherwise -1, with err saying so. */
int kvm_mmio_check(const struct kvm *kvm, struct error *err);

#endif
