/* SPDX-License-Identifier: MIT */
#include "ring3/supervisor.h"

#include <stdio.h>
#include <string.h>

#include "kvmrun/abi.h"

/* hlt; jmp -3 (back to the hlt); nop: never returns to the guest. */
static const uint8_t stub[SUP_STUB_SIZE] = { 0xf4, 0xeb, 0xfd, 0x90 };

static const struct {
	const char *mnemonic, *name;
} vectors[32] = {
	[EXC_DE] = { "#DE", "divide error" },
	[EXC_DB] = { "#DB", "debug" },
	[EXC_NMI] = { "NMI", "non-maskable interrupt" },
	[EXC_BP] = { "#BP", "breakpoint" },
	[EXC_OF] = { "#OF", "overflow" },
	[EXC_BR] = { "#BR", "bound range exceeded" },
	[EXC_UD] = { "#UD", "invalid opcode" },
	[EXC_NM] = { "#NM", "device not available" },
	[EXC_DF] = { "#DF", "double fault" },
	[9] = { "#CSO", "coprocessor segment overrun" },
	[EXC_TS] = { "#TS", "invalid TSS" },
	[EXC_NP] = { "#NP", "segment not present" },
	[EXC_SS] = { "#SS", "stack-segment fault" },
	[EXC_GP] = { "#GP", "general protection fault" },
	[EXC_PF] = { "#PF", "page fault" },
	[EXC_MF] = { "#MF", "x87 floating-point error" },
	[EXC_AC] = { "#AC", "alignment check" },
	[EXC_MC] = { "#MC", "machine check" },
	[EXC_XM] = { "#XM", "SIMD floating-point exception" },
	[EXC_VE] = { "#VE", "virtualization exception" },
	[EXC_CP] = { "#CP", "control protection exception" },
};

void supervisor_encode_gate(uint64_t handler, uint16_t selector, unsigned ist,
		     unsigned dpl, uint64_t *lo, uint64_t *hi)
{
	*lo = (handler & 0xffff) |
	      (uint64_t)selector << 16 |
	      (uint64_t)(ist & 7) << 32 |
	      (uint64_t)IDT_GATE_INTERRUPT << 40 |
	      (uint64_t)(dpl & 3) << 45 |
	      1ULL << 47 |                              /* present */
	      ((handler >> 16) & 0xffff) << 48;
	*hi = handler >> 32;
}

int supervisor_write(const struct memmap *mm, struct error *err)
{
	uint8_t *idt = memmap_gpa(mm, KVMRUN_IDT_ADDR, SUP_VECTORS * 16);
	uint8_t *stubs = memmap_gpa(mm, KVMRUN_STUBS_ADDR, SUP_VECTORS * SUP_STUB_SIZE);
	unsigned v;

	if (!idt || !stubs)
		return error_set(err, "the supervisor's IDT or stubs are outside RAM");
	for (v = 0; v < SUP_VECTORS; v++) {
		uint64_t lo, hi;
		/* int3 and into may be used from CPL3 and report as #BP/#OF;
		 * any other software interrupt from CPL3 is a #GP. */
		unsigned dpl = (v == EXC_BP || v == EXC_OF) ? 3 : 0;

		memcpy(stubs + v * SUP_STUB_SIZE, stub, SUP_STUB_SIZE);
		supervisor_encode_gate(KVMRUN_STUBS_ADDR + (uint64_t)v * SUP_STUB_SIZE,
				KVMRUN_SEL_CODE64, SUP_IST, dpl, &lo, &hi);
		memcpy(idt + v * 16, &lo, 8);
		memcpy(idt + v * 16 + 8, &hi, 8);
	}
	return 0;
}

bool supervisor_vector_at(uint64_t rip, unsigned *vector)
{
	/* After a stub's hlt, RIP points one byte into the stub: only there. */
	if (rip <= KVMRUN_STUBS_ADDR ||
	    rip > KVMRUN_STUBS_ADDR + SUP_VECTORS * SUP_STUB_SIZE ||
	    (rip - 1 - KVMRUN_STUBS_ADDR) % SUP_STUB_SIZE != 0)
		return false;
	*vector = (unsigned)((rip - 1 - KVMRUN_STUBS_ADDR) / SUP_STUB_SIZE);
	return true;
}

bool supervisor_has_error_code(unsigned vector)
{
	switch (vector) {
	case EXC_DF: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case EXC_PF: case EXC_AC: case EXC_CP: case 29: case 30:
		return true;
	}
	return false;
}

int supervisor_read_frame(const struct memmap *mm, uint64_t rsp, unsigned vector,
		   struct exc_frame *f)
{
	bool ec = supervisor_has_error_code(vector);
	uint64_t words[6];
	unsigned n = ec ? 6 : 5;
	const uint8_t *p = memmap_gpa(mm, rsp, n * 8ULL);

	memset(f, 0, sizeof(*f));
	f->vector = vector;
	f->has_error_code = ec;
	if (!p)
		return -1;
	memcpy(words, p, n * 8);
	if (ec)
		f->error_code = words[0];
	f->rip = words[ec];
	f->cs = words[ec + 1];
	f->rflags = words[ec + 2];
	f->rsp = words[ec + 3];
	f->ss = words[ec + 4];
	return 0;
}

const char *supervisor_exc_mnemonic(unsigned vector)
{
	if (vector < 32 && vectors[vector].mnemonic)
		return vectors[vector].mnemonic;
	return vector < 32 ? "reserved" : "interrupt";
}

const char *supervisor_exc_name(unsigned vector)
{
	if (vector < 32 && vectors[vector].name)
		return vectors[vector].name;
	return vector < 32 ? "reserved vector" : "external or software interrupt";
}

uint64_t exc_pf_error_code(uint64_t error_code, uint64_t cr2, uint64_t rip,
			   bool nxe)
{
	if (!nxe && !(error_code & PF_ERR_W) && cr2 - rip < 16)
		error_code |= PF_ERR_I;
	return error_code;
}

void supervisor_describe_pf(uint64_t e, char *buf, unsigned size)
{
	snprintf(buf, size, "%s, %s, %s%s%s",
		 (e & PF_ERR_I) ? "instruction fetch" : (e & PF_ERR_W) ? "write" : "read",
		 (e & PF_ERR_U) ? "user mode" : "supervisor mode",
		 (e & PF_ERR_P) ? "protection violation" : "page not present",
		 (e & PF_ERR_RSVD) ? ", reserved bit set" : "",
		 (e & PF_ERR_PK) ? ", protection key" : "");
}

void supervisor_describe_selector(uint64_t e, char *buf, unsigned size)
{
	static const char *const tables[] = { "GDT", "IDT", "LDT", "IDT" };

	if (e == 0) {
		snprintf(buf, size, "error code 0");
		return;
	}
	if (e & 2)
		snprintf(buf, size, "error code %#llx: IDT vector %llu%s",
			 (unsigned long long)e, (unsigned long long)((e >> 3) & 0x1fff),
			 (e & 1) ? ", external event" : "");
	else
		snprintf(buf, size, "error code %#llx: selector %#llx in the %s%s",
			 (unsigned long long)e, (unsigned long long)(e & 0xfff8),
			 tables[(e >> 1) & 3], (e & 1) ? ", external event" : "");
}
