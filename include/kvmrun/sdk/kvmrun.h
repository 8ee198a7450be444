/* SPDX-License-Identifier: MIT */
/*
 * kvmrun/sdk/kvmrun.h - what a C guest can do beyond standard C.
 *
 *   kvmrun_main()        define it instead of main() to get the boot
 *                        information block as the argument (crt0.S)
 *   kvmrun_bootinfo()    the block kvmrun handed over in RDI
 *   kvmrun_entry_regs()  the registers at entry: kvmrun --set's values
 *   kvmrun_ticks()       the raw TSC; kvmrun_now_ns() the same in ns
 *   kvmrun_write()       one bulk-write exit, bypassing stdout's buffer
 *   kvmrun_snapshot()    under --repeat, later runs restart here
 *   kvmrun_input()       this run's --input bytes
 *   inb() ... outl()     port I/O, Linux/glibc argument order: outb(value, port)
 *   mmio_read32() ...    MMIO accesses that the compiler will not merge
 *   kvmrun_heap_*()      more heap, and the heap's state
 */
#ifndef KVMRUN_SDK_KVMRUN_H
#define KVMRUN_SDK_KVMRUN_H

#include <stddef.h>
#include <stdint.h>
#include <kvmrun/abi.h>

/* Until kvmrun puts the TSC frequency in the boot information block
 * (version 2, field tsc_khz at byte 248), kvmrun_now_ns() assumes this. */
#define KVMRUN_TSC_KHZ_FALLBACK	2000000ULL	/* 2 GHz */
#define KVMRUN_BOOTINFO_TSC_KHZ	248		/* u64, version >= 2 */

int kvmrun_main(const struct kvmrun_bootinfo *bi);

/* The boot information block, or NULL if RDI at entry did not point at
 * one (wrong magic): a guest started with -e past crt0, say. */
const struct kvmrun_bootinfo *kvmrun_bootinfo(void);

/* The general registers as kvmrun started the guest: what kvmrun --set
 * REG=VALUE (or this run's line of --sets FILE) put there; after
 * kvmrun_snapshot(), as they were when it returned in this run (the run's
 * --sets line).  In the order --set names them. */
struct kvmrun_entry_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
const struct kvmrun_entry_regs *kvmrun_entry_regs(void);

/* TSC frequency in kHz: from the boot information block when it has it,
 * else KVMRUN_TSC_KHZ_FALLBACK. */
uint64_t kvmrun_tsc_khz(void);

/* Nanoseconds since some fixed point, from the TSC (monotonic). */
uint64_t kvmrun_now_ns(void);

static inline uint64_t kvmrun_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Write len bytes at buf to kvmrun's stdout with one exit, now (stdout's
 * buffer is not flushed first: see write() for that).  buf must be in
 * guest RAM, or the run ends with status 126.  Returns the bytes written. */
size_t kvmrun_write(const void *buf, size_t len);

/*
 * The snapshot point: under kvmrun --repeat, every run after the first
 * starts here (returning from this call), with memory and registers as
 * they are now: do the setup once, before it.  stdout's buffer is flushed
 * first, or its bytes would be printed again by every run.  Without
 * --repeat it does nothing else.  Returns RAX as kvmrun left it: 0, or
 * the run's rax=VALUE from its line of kvmrun --sets FILE; the run's other
 * registers are in kvmrun_entry_regs() then (a line must not set RSP or
 * RBP, which the C code around the call uses).
 */
uint64_t kvmrun_snapshot(void);

/* This run's input (kvmrun --input): its bytes, and their count in *size;
 * NULL and 0 without one. */
const void *kvmrun_input(size_t *size);

/* Give the heap [start, start + size) too.  malloc() finds the usable
 * RAM of the boot information block by itself. */
void kvmrun_heap_add(void *start, size_t size);

struct kvmrun_heap_stats {
	size_t free_bytes;		/* in free blocks, headers included */
	size_t free_blocks;
	size_t largest_free;
	int ok;				/* 1 if the free list is consistent */
};
void kvmrun_heap_stats(struct kvmrun_heap_stats *st);

/* Port I/O.  All ports are open to ring 3 (kvmrun's TSS I/O bitmap). */
static inline void outb(uint8_t v, uint16_t port)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void outw(uint16_t v, uint16_t port)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline void outl(uint32_t v, uint16_t port)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

/* MMIO: one access of exactly this size each (kvmrun's devices see the
 * size), through a volatile pointer. */
static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}
static inline uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile uint64_t *)(uintptr_t)addr;
}
static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}
static inline void mmio_write64(uint64_t addr, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)addr = v;
}

#endif /* KVMRUN_SDK_KVMRUN_H */
