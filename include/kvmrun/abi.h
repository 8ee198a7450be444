/* SPDX-License-Identifier: MIT */
/*
 * kvmrun guest ABI: the contract between kvmrun (the host) and a guest image.
 *
 * This header is shared by the host's C code, C guests and assembly guests
 * (include it from a .S file: everything below the __ASSEMBLER__ guard is
 * hidden from the assembler).  Every address here is guest-physical; at entry
 * the guest runs with an identity map, so they are also the virtual addresses.
 *
 * Guest-physical memory map at entry (README "Guest contract" explains it):
 *
 *   0x00000000 - 0x00000fff  null page: RAM, left untouched by kvmrun
 *   0x00001000 - 0x0000afff  reserved: page tables, GDT, boot info, and the
 *                            supervisor (exception stubs, TSS with I/O
 *                            permission bitmap, IDT, exception stack)
 *   0x0000b000 - 0x0000bfff  reserved: the guard page below the stack, not
 *                            mapped (it holds the page table of the first
 *                            2 MiB, which the CPU reads by physical address)
 *   0x0000c000 - 0x0000ffff  reserved: initial stack (RSP = 0x10000)
 *   0x00010000 - ...         default image load address; RAM continues to
 *                            min(RAM size, 3 GiB)
 *   RAM end    - 0xbfffffff  unbacked: accesses exit to the MMIO bus
 *   0xc0000000 - 0xffffffff  MMIO window, never RAM (devices live here)
 *   0x100000000 - ...        RAM beyond 3 GiB, when --mem is larger than 3 GiB
 *
 * The whole first 4 GiB and all RAM are identity-mapped: the first 2 MiB
 * with 4 KiB pages, so that the guard page can be left out, the rest with
 * 2 MiB pages.  A stack overflow is a #PF in the guard page.
 */
#ifndef KVMRUN_ABI_H
#define KVMRUN_ABI_H

/* ---- Fixed guest-physical addresses ---------------------------------- */
#define KVMRUN_RESERVED_START   0x1000      /* first byte kvmrun writes */
#define KVMRUN_PML4_ADDR        0x1000      /* CR3 */
#define KVMRUN_PDPT_ADDR        0x2000
#define KVMRUN_PD_ADDR          0x3000      /* 4 page directories: 0-4 GiB */
#define KVMRUN_GDT_ADDR         0x7000
#define KVMRUN_STUBS_ADDR       0x7400      /* 256 x 4-byte exception stubs */
#define KVMRUN_BOOTINFO_ADDR    0x7800      /* RDI at entry */
#define KVMRUN_TSS_ADDR         0x7f00      /* TSS, then the I/O bitmap
					       (0x7f68-0x9f67), then 0xff */
#define KVMRUN_IDT_ADDR         0x9f80      /* 256 x 16-byte gates */
#define KVMRUN_SUPER_STACK_TOP  0xb000      /* IST1: exception frames */
#define KVMRUN_PT_ADDR          0xb000      /* 4 KiB pages of the first 2 MiB */
#define KVMRUN_STACK_GUARD      0xb000      /* not mapped: 0xb000-0xbfff */
#define KVMRUN_STACK_BOTTOM     0xc000
#define KVMRUN_STACK_TOP        0x10000     /* RSP at entry */
#define KVMRUN_RESERVED_END     0x10000     /* first byte after the area */
#define KVMRUN_DEFAULT_LOAD     0x10000     /* image load address, entry */

#define KVMRUN_LOW_RAM_MAX      0xc0000000ULL   /* RAM below 4 GiB ends here */
#define KVMRUN_MMIO_WINDOW      0xc0000000ULL   /* never RAM: 3 GiB - 4 GiB */
#define KVMRUN_HIGH_RAM_START   0x100000000ULL  /* RAM beyond 3 GiB */

/* ---- Segment selectors at entry (GDT at KVMRUN_GDT_ADDR) -------------- */
#define KVMRUN_SEL_CODE64       0x08        /* CS: 64-bit code, DPL0 */
#define KVMRUN_SEL_DATA         0x10        /* DS ES FS GS SS: flat data */
#define KVMRUN_SEL_TSS          0x18        /* TR: 64-bit TSS (16 bytes) */
#define KVMRUN_SEL_USER_DATA    0x2b        /* SS DS ES FS GS at CPL3: data, DPL3 */
#define KVMRUN_SEL_USER_CODE64  0x33        /* CS at CPL3: 64-bit code, DPL3 */

/* ---- Port-I/O devices ------------------------------------------------- */
#define KVMRUN_PORT_COM1        0x3f8       /* 16550 UART, 8 ports */
#define KVMRUN_PORT_COM1_LEN    8
#define KVMRUN_PORT_DEBUGCON    0xe9        /* Bochs/QEMU debug console */
#define KVMRUN_PORT_EXIT        0xf4        /* write V: exit status V & 0xff */
#define KVMRUN_PORT_POST        0x80        /* POST code / I/O delay: writes are
					       accepted, reads give the last one */
#define KVMRUN_PORT_WRITE       0xf0        /* bulk write: outl the address of a
					       struct kvmrun_write (below 4 GiB) */
#define KVMRUN_PORT_SNAPSHOT    0xf8        /* write anything: under --repeat,
					       later runs restart after this write */

/* 16550 register offsets from KVMRUN_PORT_COM1 (DLAB = 0). */
#define UART_RBR                0           /* read: receive buffer */
#define UART_THR                0           /* write: transmit holding */
#define UART_IER                1
#define UART_IIR                2           /* read */
#define UART_FCR                2           /* write */
#define UART_LCR                3
#define UART_MCR                4
#define UART_LSR                5
#define UART_MSR                6
#define UART_SCR                7
#define UART_LCR_DLAB           0x80        /* LCR bit 7: divisor latch */
#define UART_LSR_DR             0x01        /* a byte is waiting in RBR */
#define UART_LSR_THRE           0x20        /* THR empty */
#define UART_LSR_TEMT           0x40        /* transmitter empty */
#define UART_MSR_DCD            0x80        /* carrier: clear once stdin hit EOF */
#define UART_MSR_DSR            0x20
#define UART_MSR_CTS            0x10

/* ---- MMIO test device ------------------------------------------------- */
/* A small register block for MMIO experiments (see README). */
#define KVMRUN_TESTDEV_BASE     0xd0000000ULL
#define KVMRUN_TESTDEV_SIZE     0x1000
#define KVMRUN_TESTDEV_ID       0x00        /* read-only: KVMRUN_TESTDEV_MAGIC */
#define KVMRUN_TESTDEV_SCRATCH  0x08        /* 8 x 64-bit read/write registers */
#define KVMRUN_TESTDEV_NSCRATCH 8
#define KVMRUN_TESTDEV_MAGIC    0x564544544e55524bULL   /* "KRUNTDEV" */

/* ---- Boot information block (RDI at entry) ---------------------------- */
#define KVMRUN_BOOTINFO_MAGIC   0x524d564b  /* "KVMR" in memory order */
#define KVMRUN_BOOTINFO_VERSION 3           /* 2: tsc_khz; 3: input */
#define KVMRUN_BOOTINFO_MAX_MEM 8

/* Byte offsets, for assembly guests. */
#define BOOTINFO_MAGIC          0           /* u32 */
#define BOOTINFO_VERSION        4           /* u16 */
#define BOOTINFO_SIZE           6           /* u16: bytes valid in the block */
#define BOOTINFO_RAM_SIZE       8           /* u64: total guest RAM */
#define BOOTINFO_IMAGE_ADDR     16          /* u64 */
#define BOOTINFO_IMAGE_SIZE     24          /* u64 */
#define BOOTINFO_ENTRY          32          /* u64 */
#define BOOTINFO_STACK_TOP      40          /* u64 */
#define BOOTINFO_MEM_COUNT      48          /* u32: entries in mem[] */
#define BOOTINFO_MEM            56          /* struct kvmrun_mem_region[] */
#define BOOTINFO_TSC_KHZ        248         /* u64, version 2: TSC frequency, 0 if unknown */

/* Byte offsets in struct kvmrun_write, for assembly guests. */
#define WRITE_ADDR              0
#define WRITE_LEN               8
#define WRITE_DONE              16

/* Memory region types in the boot information block. */
#define KVMRUN_MEM_USABLE       1           /* RAM the guest may use freely */
#define KVMRUN_MEM_RESERVED     2           /* RAM holding kvmrun's tables */
#define KVMRUN_MEM_IMAGE        3           /* RAM holding the loaded image */
#define KVMRUN_MEM_STACK        4           /* the initial stack (RSP at entry) */
#define KVMRUN_MEM_INPUT        5           /* --input: this run's input bytes */

/* Exit statuses of the kvmrun process (README "Exit status"). */
#define KVMRUN_STATUS_TIMEOUT   124
#define KVMRUN_STATUS_HOST      125
#define KVMRUN_STATUS_CRASH     126
#define KVMRUN_STATUS_SIGNAL    128         /* + signal number */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct kvmrun_mem_region {
	uint64_t addr;
	uint64_t size;
	uint32_t type;                      /* KVMRUN_MEM_* */
	uint32_t pad;
};

/*
 * Bulk console write: put the buffer's address and length here, then write
 * this struct's guest-physical address to KVMRUN_PORT_WRITE with a 32-bit
 * `out`.  kvmrun writes the bytes to stdout in one go, in order with all
 * other console output, and sets `done` to the number written.  A buffer
 * that is not entirely inside guest RAM ends the run (status 126).
 */
struct kvmrun_write {
	uint64_t addr;                      /* guest-physical address of the bytes */
	uint64_t len;                       /* how many */
	uint64_t done;                      /* set by kvmrun */
};

struct kvmrun_bootinfo {
	uint32_t magic;
	uint16_t version;
	uint16_t size;
	uint64_t ram_size;
	uint64_t image_addr;
	uint64_t image_size;
	uint64_t entry;
	uint64_t stack_top;
	uint32_t mem_count;
	uint32_t pad;
	struct kvmrun_mem_region mem[KVMRUN_BOOTINFO_MAX_MEM];
	uint64_t tsc_khz;                   /* version 2: rdtsc ticks per ms; 0: unknown */
	uint64_t input_addr;                /* version 3: --input's bytes for this run */
	uint64_t input_size;                /* ... how many (0: no input) */
};

_Static_assert(__builtin_offsetof(struct kvmrun_bootinfo, mem) == BOOTINFO_MEM,
	       "BOOTINFO_MEM offset");
_Static_assert(__builtin_offsetof(struct kvmrun_bootinfo, mem_count) ==
	       BOOTINFO_MEM_COUNT, "BOOTINFO_MEM_COUNT offset");
_Static_assert(__builtin_offsetof(struct kvmrun_bootinfo, tsc_khz) == BOOTINFO_TSC_KHZ,
	       "BOOTINFO_TSC_KHZ offset");
_Static_assert(sizeof(struct kvmrun_bootinfo) <=
	       KVMRUN_TSS_ADDR - KVMRUN_BOOTINFO_ADDR, "boot info fits");
#endif /* __ASSEMBLER__ */

#endif /* KVMRUN_ABI_H */
