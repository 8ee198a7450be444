/* SPDX-License-Identifier: MIT */
/*
 * -v: kvmrun tells what it built, in the order it built it: the VM, guest
 * memory and the boot information, the vCPU and its CPUID, the page
 * tables, GDT, TSS and IDT with the KVM_SET_SREGS that points the CPU at
 * them, the entry registers, the devices.  Each part comes with the KVM
 * ioctls that made it: kvm_explain's lines, which the machine's
 * constructor collects during the setup (ioctls) and hands over here.
 */
#ifndef KVMRUN_OBSERVE_NARRATE_H
#define KVMRUN_OBSERVE_NARRATE_H

#include <stdio.h>

#include "machine.h"

void narrate_setup(const struct machine *m, FILE *out, const char *ioctls);

#endif
