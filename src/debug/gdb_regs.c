/* SPDX-License-Identifier: MIT */
/* The registers as gdb sees them (gdb_regs.h). */
#include "debug/gdb_regs.h"

#include <string.h>

#include "cpu.h"

unsigned gdb_reg_size(unsigned n)
{
	if (n <= GDB_REG_RIP)
		return 8;
	if (n <= GDB_REG_GS)
		return 4;                       /* eflags and the selectors */
	if (n < GDB_REG_ST0 + 8)
		return 10;                      /* x87 80-bit registers */
	if (n <= GDB_REG_FOP)
		return 4;
	if (n < GDB_REG_MXCSR)
		return 16;                      /* xmm0-xmm15 */
	if (n == GDB_REG_MXCSR)
		return 4;
	if (n <= GDB_REG_EFER)
		return 8;                       /* fs_base ... efer */
	return 0;
}

unsigned gdb_reg_offset(unsigned n)
{
	unsigned off = 0;

	for (unsigned i = 0; i < n && i < GDB_NR_REGS; i++)
		off += gdb_reg_size(i);
	return off;
}

bool gdb_reg_writable(unsigned n)
{
	if (n >= GDB_NR_REGS || (n >= GDB_REG_CS && n <= GDB_REG_GS) || n >= GDB_REG_CR0)
		return false;
	/* ftag, fiseg, fioff, foseg, fooff: not written back. */
	return n < GDB_REG_ST0 + 10 || n > GDB_REG_ST0 + 14;
}

unsigned gdb_regs_bytes(void)
{
	return gdb_reg_offset(GDB_NR_REGS);
}

static void put(uint8_t *block, unsigned n, uint64_t v)
{
	memcpy(block + gdb_reg_offset(n), &v, gdb_reg_size(n) < 8 ? gdb_reg_size(n) : 8);
}

static uint64_t get(const uint8_t *block, unsigned n)
{
	uint64_t v = 0;

	memcpy(&v, block + gdb_reg_offset(n), gdb_reg_size(n) < 8 ? gdb_reg_size(n) : 8);
	return v;
}

/* struct kvm_regs in gdb's order: rax rbx rcx rdx rsi rdi rbp rsp r8-r15. */
static __u64 *gpr(struct kvm_regs *r, unsigned n)
{
	__u64 *const order[16] = {
		&r->rax, &r->rbx, &r->rcx, &r->rdx, &r->rsi, &r->rdi, &r->rbp, &r->rsp,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};

	return order[n];
}

/*
 * FXSAVE keeps an abridged tag (one bit per register: valid); gdb wants the
 * full tag word (two bits: 0 valid, 3 empty).  A valid register is shown
 * as valid, whatever its class (SDM Vol. 1, 10.5.1.1).
 */
static uint16_t full_tag(uint8_t abridged)
{
	uint16_t tag = 0;

	for (unsigned i = 0; i < 8; i++)
		if (!(abridged & (1u << i)))
			tag |= (uint16_t)(3u << (2 * i));
	return tag;
}

uint64_t gdb_pc(const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	return cpu_in_64bit_code(sregs) ? regs->rip : (sregs->cs.base + regs->rip) & 0xffffffff;
}

uint64_t gdb_rip_of_pc(uint64_t pc, const struct kvm_sregs *sregs)
{
	return cpu_in_64bit_code(sregs) ? pc : (pc - sregs->cs.base) & 0xffffffff;
}

void gdb_regs_pack(const struct gdb_cpu *cpu, uint8_t *block)
{
	struct kvm_regs r = cpu->regs;
	const struct kvm_sregs *s = &cpu->sregs;
	const struct kvm_fpu *f = &cpu->fpu;
	const struct kvm_segment *segs[6] = { &s->cs, &s->ss, &s->ds, &s->es, &s->fs, &s->gs };

	memset(block, 0, gdb_regs_bytes());
	for (unsigned i = 0; i < 16; i++)
		put(block, i, *gpr(&r, i));
	put(block, GDB_REG_RIP, gdb_pc(&r, s));
	put(block, GDB_REG_EFLAGS, r.rflags);
	for (unsigned i = 0; i < 6; i++)
		put(block, GDB_REG_CS + i, segs[i]->selector);
	for (unsigned i = 0; i < 8; i++)
		memcpy(block + gdb_reg_offset(GDB_REG_ST0 + i), f->fpr[i], 10);
	put(block, GDB_REG_ST0 + 8, f->fcw);
	put(block, GDB_REG_ST0 + 9, f->fsw);
	put(block, GDB_REG_ST0 + 10, full_tag(f->ftwx));
	put(block, GDB_REG_ST0 + 11, 0);                        /* fiseg */
	put(block, GDB_REG_ST0 + 12, f->last_ip);               /* fioff */
	put(block, GDB_REG_ST0 + 13, 0);                        /* foseg */
	put(block, GDB_REG_ST0 + 14, f->last_dp);               /* fooff */
	put(block, GDB_REG_FOP, f->last_opcode);
	for (unsigned i = 0; i < 16; i++)
		memcpy(block + gdb_reg_offset(GDB_REG_XMM0 + i), f->xmm[i], 16);
	put(block, GDB_REG_MXCSR, f->mxcsr);
	put(block, GDB_REG_FS_BASE, s->fs.base);
	put(block, GDB_REG_GS_BASE, s->gs.base);
	put(block, GDB_REG_CR0, s->cr0);
	put(block, GDB_REG_CR0 + 1, s->cr2);
	put(block, GDB_REG_CR0 + 2, s->cr3);
	put(block, GDB_REG_CR0 + 3, s->cr4);
	put(block, GDB_REG_CR0 + 4, s->cr8);
	put(block, GDB_REG_EFER, s->efer);
}

void gdb_regs_unpack(const uint8_t *block, struct gdb_cpu *cpu)
{
	struct kvm_fpu *f = &cpu->fpu;

	for (unsigned i = 0; i < 16; i++)
		*gpr(&cpu->regs, i) = get(block, i);
	cpu->regs.rip = gdb_rip_of_pc(get(block, GDB_REG_RIP), &cpu->sregs);
	/* Bit 1 is always 1 (SDM Vol. 1, 3.4.3); the upper half is zero. */
	cpu->regs.rflags = (get(block, GDB_REG_EFLAGS) & 0xffffffffULL) | 2;
	for (unsigned i = 0; i < 8; i++)
		memcpy(f->fpr[i], block + gdb_reg_offset(GDB_REG_ST0 + i), 10);
	f->fcw = (uint16_t)get(block, GDB_REG_ST0 + 8);
	f->fsw = (uint16_t)get(block, GDB_REG_ST0 + 9);
	f->last_opcode = (uint16_t)get(block, GDB_REG_FOP);
	for (unsigned i = 0; i < 16; i++)
		memcpy(f->xmm[i], block + gdb_reg_offset(GDB_REG_XMM0 + i), 16);
	f->mxcsr = (uint32_t)get(block, GDB_REG_MXCSR);
	cpu->sregs.fs.base = get(block, GDB_REG_FS_BASE);
	cpu->sregs.gs.base = get(block, GDB_REG_GS_BASE);
}

/*
 * The description.  Names, types and order follow gdb's own amd64
 * features, which gdb checks by name; the EFLAGS and MXCSR bits are the
 * SDM's (Vol. 1, 3.4.3 and 10.2.3).
 */
static const char target_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target version=\"1.0\">\n"
	"<architecture>i386:x86-64</architecture>\n"
	"<feature name=\"org.gnu.gdb.i386.core\">\n"
	"<flags id=\"i386_eflags\" size=\"4\">\n"
	"<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
	"<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
	"<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
	"<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
	"<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
	"<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
	"<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
	"<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
	"<field name=\"ID\" start=\"21\" end=\"21\"/>\n"
	"</flags>\n"
	"<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
	"<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
	"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>\n"
	"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
	"<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n"
	"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
	"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
	"</feature>\n"
	"<feature name=\"org.gnu.gdb.i386.sse\">\n"
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	"<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
	"<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
	"<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
	"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
	"<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
	"<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
	"<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
	"<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/>"
	"</union>\n"
	"<flags id=\"i386_mxcsr\" size=\"4\">\n"
	"<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
	"<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
	"<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
	"<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
	"<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
	"<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
	"<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>\n"
	"</flags>\n"
	"<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\" regnum=\"40\"/>\n"
	"<reg name=\"xmm1\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm2\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm3\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm4\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm5\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm6\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm7\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm8\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm9\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm10\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm11\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm12\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm13\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm14\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\"/>\n"
	"<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" group=\"vector\"/>\n"
	"</feature>\n"
	"<feature name=\"org.gnu.gdb.i386.segments\">\n"
	"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>\n"
	"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>\n"
	"</feature>\n"
	"<feature name=\"org.kvmrun.x86.system\">\n"
	"<reg name=\"cr0\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr2\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr3\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr4\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"cr8\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"<reg name=\"efer\" bitsize=\"64\" type=\"int\" group=\"system\"/>\n"
	"</feature>\n"
	"</target>\n";

const char *gdb_target_xml(void)
{
	return target_xml;
}
