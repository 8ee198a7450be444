/* SPDX-License-Identifier: MIT */
/* sdk.h - what the SDK's own files share (not for guests). */
#ifndef KVMRUN_SDK_SDK_H
#define KVMRUN_SDK_SDK_H

#include <stdint.h>

/* RDI at entry, stored by crt0.S. */
extern uint64_t __kvmrun_entry_rdi;

/* Write a message to the console (after what stdout holds) and end the
 * run with status. */
void __kvmrun_die(int status, const char *msg) __attribute__((noreturn));

#endif /* KVMRUN_SDK_SDK_H */
