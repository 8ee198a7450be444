/* SPDX-License-Identifier: MIT */
/*
 * The registers as gdb sees them: one fixed x86-64 layout, described to gdb
 * by a target description (gdb's manual, "Target Descriptions", and its
 * "i386 Features": org.gnu.gdb.i386.core, .sse and .segments are what gdb
 * requires and knows; cr0-cr8 and EFER come in a feature of our own),
 * whatever mode the guest is in.  In 16- and 32-bit code gdb still shows
 * the 64-bit registers; `set architecture i8086` or `i386` changes how it
 * disassembles, not what it reads.
 */
#ifndef KVMRUN_DEBUG_GDB_REGS_H
#define KVMRUN_DEBUG_GDB_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

/* The registers gdb numbers, in its order. */
enum {
	GDB_REG_RAX = 0, GDB_REG_RSP = 7, GDB_REG_R15 = 15,
	GDB_REG_RIP = 16, GDB_REG_EFLAGS = 17,
	GDB_REG_CS = 18, GDB_REG_GS = 23,
	GDB_REG_ST0 = 24, GDB_REG_FOP = 39,
	GDB_REG_XMM0 = 40, GDB_REG_MXCSR = 56,
	GDB_REG_FS_BASE = 57, GDB_REG_GS_BASE = 58,
	GDB_REG_CR0 = 59, GDB_REG_EFER = 64,
	GDB_NR_REGS = 65,
};

/* The vCPU's state, as the three KVM ioctls give it. */
struct gdb_cpu {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
};

/* Size in bytes of register n (0 if there is none), its offset in the
 * `g` packet's block, and the block's size. */
unsigned gdb_reg_size(unsigned n);
unsigned gdb_reg_offset(unsigned n);
unsigned gdb_regs_bytes(void);

/*
 * gdb's pc (the rip register it sees): outside 64-bit code, the linear
 * address CS's base + RIP (Intel SDM vol. 3A, 3.4.3), so that breakpoints,
 * `x/i $pc` and a flat image's addresses line up in real and protected
 * mode too; in 64-bit code RIP itself.  And back, for a write of the pc.
 */
uint64_t gdb_pc(const struct kvm_regs *regs, const struct kvm_sregs *sregs);
uint64_t gdb_rip_of_pc(uint64_t pc, const struct kvm_sregs *sregs);

/* The `g` block (gdb_regs_bytes() bytes, little-endian) from the state. */
void gdb_regs_pack(const struct gdb_cpu *cpu, uint8_t *block);

/*
 * The state from a `G` block: general registers, RIP, EFLAGS, FS/GS base,
 * the x87 and SSE registers.  Segment selectors and control registers are
 * not written: changing them would need the descriptor tables consulted;
 * their bytes in the block are ignored.
 */
void gdb_regs_unpack(const uint8_t *block, struct gdb_cpu *cpu);

/* Can P write register n?  Not the selectors, the control registers or
 * the x87 pointers gdb_regs_unpack leaves alone. */
bool gdb_reg_writable(unsigned n);

/* The target description (target.xml), NUL-terminated. */
const char *gdb_target_xml(void);

#endif
