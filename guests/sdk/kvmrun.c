/* SPDX-License-Identifier: MIT */
/*
 * kvmrun.c - the boot information block, the clock, the bulk-write call.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <kvmrun/sdk/kvmrun.h>

#include "sdk.h"

uint64_t __kvmrun_entry_rdi;
extern struct kvmrun_entry_regs __kvmrun_entry_regs;     /* crt0.S */

const struct kvmrun_entry_regs *kvmrun_entry_regs(void)
{
	return &__kvmrun_entry_regs;
}

const struct kvmrun_bootinfo *kvmrun_bootinfo(void)
{
	const struct kvmrun_bootinfo *bi =
		(const struct kvmrun_bootinfo *)(uintptr_t)__kvmrun_entry_rdi;

	if (!bi || (uintptr_t)bi & 7 || bi->magic != KVMRUN_BOOTINFO_MAGIC)
		return NULL;
	return bi;
}

uint64_t kvmrun_tsc_khz(void)
{
	const struct kvmrun_bootinfo *bi = kvmrun_bootinfo();
	uint64_t khz = 0;

	if (bi && bi->version >= 2 && bi->size >= KVMRUN_BOOTINFO_TSC_KHZ + 8)
		memcpy(&khz, (const char *)bi + KVMRUN_BOOTINFO_TSC_KHZ, sizeof(khz));
	return khz ? khz : KVMRUN_TSC_KHZ_FALLBACK;
}

uint64_t kvmrun_now_ns(void)
{
	uint64_t t = kvmrun_ticks(), khz = kvmrun_tsc_khz();

	/* ticks * 1e6 / khz without overflowing 64 bits (or needing libgcc
	 * for a 128-bit division): whole kHz-periods, then the rest. */
	return t / khz * 1000000 + t % khz * 1000000 / khz;
}

const void *kvmrun_input(size_t *size)
{
	const struct kvmrun_bootinfo *bi = kvmrun_bootinfo();

	*size = 0;
	if (!bi || bi->version < 3 || !bi->input_size)
		return NULL;
	*size = (size_t)bi->input_size;
	return (const void *)(uintptr_t)bi->input_addr;
}

uint64_t kvmrun_snapshot(void)
{
	uint64_t rax = 0;

	fflush(stdout);
	/*
	 * kvmrun --sets may set registers while the guest is stopped at this
	 * out, in every run: RAX comes back as the result, all of them go to
	 * kvmrun_entry_regs() (RIP-relative stores: no register of the
	 * compiler's is needed for the address), and the compiler is told
	 * the others changed.  RSP and RBP cannot be: a line must not set them.
	 */
	__asm__ volatile("outb %%al, %[port]\n\t"
			 "mov %%rax, __kvmrun_entry_regs + 0(%%rip)\n\t"
			 "mov %%rbx, __kvmrun_entry_regs + 8(%%rip)\n\t"
			 "mov %%rcx, __kvmrun_entry_regs + 16(%%rip)\n\t"
			 "mov %%rdx, __kvmrun_entry_regs + 24(%%rip)\n\t"
			 "mov %%rsi, __kvmrun_entry_regs + 32(%%rip)\n\t"
			 "mov %%rdi, __kvmrun_entry_regs + 40(%%rip)\n\t"
			 "mov %%rsp, __kvmrun_entry_regs + 48(%%rip)\n\t"
			 "mov %%rbp, __kvmrun_entry_regs + 56(%%rip)\n\t"
			 "mov %%r8, __kvmrun_entry_regs + 64(%%rip)\n\t"
			 "mov %%r9, __kvmrun_entry_regs + 72(%%rip)\n\t"
			 "mov %%r10, __kvmrun_entry_regs + 80(%%rip)\n\t"
			 "mov %%r11, __kvmrun_entry_regs + 88(%%rip)\n\t"
			 "mov %%r12, __kvmrun_entry_regs + 96(%%rip)\n\t"
			 "mov %%r13, __kvmrun_entry_regs + 104(%%rip)\n\t"
			 "mov %%r14, __kvmrun_entry_regs + 112(%%rip)\n\t"
			 "mov %%r15, __kvmrun_entry_regs + 120(%%rip)"
			 : "+a"(rax)
			 : [port] "N"(KVMRUN_PORT_SNAPSHOT)
			 : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
			   "r12", "r13", "r14", "r15", "memory");
	return rax;
}

size_t kvmrun_write(const void *buf, size_t len)
{
	/* Static, so in the image: below 4 GiB, as the 32-bit out needs. */
	static volatile struct kvmrun_write call;

	call.addr = (uintptr_t)buf;
	call.len = len;
	call.done = 0;
	outl((uint32_t)(uintptr_t)&call, KVMRUN_PORT_WRITE);
	return call.done;
}
