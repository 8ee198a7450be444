/* SPDX-License-Identifier: MIT */
/*
 * -v: kvmrun tells what it built, in the order it built it: guest memory
 * and the boot information, the page tables, the GDT, the ring and the
 * CPU, the devices.  (Each KVM ioctl of the setup is told as it is made,
 * by kvm_explain.)  Called once by the machine's constructor.
 */
#ifndef KVMRUN_OBSERVE_NARRATE_H
#define KVMRUN_OBSERVE_NARRATE_H

#include <stdio.h>

#include "machine.h"

void narrate_setup(const struct machine *m, FILE *out);

#endif
