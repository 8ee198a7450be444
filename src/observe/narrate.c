/* SPDX-License-Identifier: MIT */
/* -v: what the setup built, told once it is built (narrate.h). */
#include "observe/narrate.h"

#include <string.h>

#include "gdt.h"
#include "kvmrun/abi.h"
#include "paging.h"

static const char *size_unit(uint64_t bytes, uint64_t *value)
{
	if (bytes >= (1ULL << 30) && !(bytes % (1ULL << 30))) {
		*value = bytes >> 30;
		return "GiB";
	}
	if (bytes >= (1ULL << 20) && !(bytes % (1ULL << 20))) {
		*value = bytes >> 20;
		return "MiB";
	}
	if (bytes >= (1ULL << 10) && !(bytes % (1ULL << 10))) {
		*value = bytes >> 10;
		return "KiB";
	}
	*value = bytes;
	return "bytes";
}

static const char *bootinfo_type_name(uint32_t type)
{
	switch (type) {
	case KVMRUN_MEM_USABLE:   return "usable";
	case KVMRUN_MEM_RESERVED: return "reserved";
	case KVMRUN_MEM_IMAGE:    return "image";
	case KVMRUN_MEM_STACK:    return "stack";
	}
	return "?";
}

static void narrate_memory(const struct machine *m, FILE *out)
{
	const struct kvmrun_bootinfo *bi =
		memmap_gpa(&m->vm.mem, KVMRUN_BOOTINFO_ADDR, sizeof(*bi));
	uint64_t v;
	const char *unit = size_unit(m->vm.mem.ram_size, &v);
	unsigned i;

	fprintf(out, "kvmrun: guest RAM: %llu %s, mapped lazily: host pages are "
		"allocated when the guest first touches them\n",
		(unsigned long long)v, unit);
	for (i = 0; i < m->vm.mem.nr_slots; i++)
		fprintf(out, "kvmrun:   RAM at guest-physical %#llx-%#llx\n",
			(unsigned long long)m->vm.mem.slots[i].gpa,
			(unsigned long long)(m->vm.mem.slots[i].gpa + m->vm.mem.slots[i].size - 1));
	v = m->vm.mem.chunk_size;
	unit = size_unit(v, &v);
	fprintf(out, "kvmrun:   given to KVM as memory slots when first needed: "
		"%s chunks of %s%llu %s; %u of %u now (those holding what kvmrun "
		"placed)\n", m->vm.mem.boot_chunk ? "the first 2 MiB, then" : "in",
		m->vm.mem.boot_chunk ? "" : "up to ", (unsigned long long)v, unit,
		m->fast.ram.chunks_mapped, m->vm.mem.nr_chunks);
	if (!m->vm.entry.rdi) {
		/* No boot info (real mode, multiboot): the memory map's regions. */
		fprintf(out, "kvmrun: memory map (%s):\n", m->vm.mode == MODE_REAL ?
			"real mode: no tables and no boot info, the rest of RAM is "
			"the guest's" : "the kernel also gets it in the multiboot "
			"information at 0x8000");
		for (i = 0; i < m->vm.mem.nr_regions; i++)
			fprintf(out, "kvmrun:   0x%012llx-0x%012llx  %s\n",
				(unsigned long long)m->vm.mem.regions[i].gpa,
				(unsigned long long)(m->vm.mem.regions[i].gpa +
						     m->vm.mem.regions[i].size - 1),
				m->vm.mem.regions[i].name);
		return;
	}
	fprintf(out, "kvmrun: memory map (also in the boot info block at %#x):\n",
		KVMRUN_BOOTINFO_ADDR);
	for (i = 0; bi && i < bi->mem_count && i < KVMRUN_BOOTINFO_MAX_MEM; i++) {
		const struct kvmrun_mem_region *r = &bi->mem[i];
		const char *name = "";
		unsigned j;

		for (j = 0; j < m->vm.mem.nr_regions; j++)
			if (m->vm.mem.regions[j].gpa == r->addr && r->type != KVMRUN_MEM_USABLE)
				name = m->vm.mem.regions[j].name;
		if (r->type == KVMRUN_MEM_USABLE)
			name = r->addr == 0 ? "null page (left alone)" : "free RAM";
		fprintf(out, "kvmrun:   0x%012llx-0x%012llx  %-8s  %s\n",
			(unsigned long long)r->addr,
			(unsigned long long)(r->addr + r->size - 1),
			bootinfo_type_name(r->type), name);
	}
	fprintf(out, "kvmrun:   0x%012llx-0x%012llx  %-8s  accesses exit to the MMIO bus\n",
		(unsigned long long)KVMRUN_MMIO_WINDOW, 0xffffffffULL, "MMIO");
	if (memmap_ram_end(&m->vm.mem) < KVMRUN_MMIO_WINDOW)
		fprintf(out, "kvmrun:   (and everything from the end of RAM at %#llx "
			"up to it)\n", (unsigned long long)memmap_ram_end(&m->vm.mem));
}

static void narrate_paging(const struct machine *m, FILE *out)
{
	struct pt_walk w;
	char flags[64];
	unsigned i;

	fprintf(out, "kvmrun: page tables: CR3 = %#x -> PML4 -> PDPT at %#x -> "
		"%u page directories of 512 x 2 MiB pages (identity map of %llu GiB)\n",
		KVMRUN_PML4_ADDR, KVMRUN_PDPT_ADDR, m->vm.mem.nr_pds,
		(unsigned long long)m->vm.mem.nr_pds);
	fprintf(out, "kvmrun:   but the first 2 MiB through a page table at %#x, in "
		"4 KiB pages, so that the guard page %#x-%#x below the stack can "
		"be left out: running off the stack faults there\n", KVMRUN_PT_ADDR,
		KVMRUN_STACK_GUARD, KVMRUN_STACK_GUARD + 0xfff);
	if (paging_walk(&m->vm.mem, KVMRUN_PML4_ADDR, m->vm.entry.rip, &w) < 0)
		return;
	fprintf(out, "kvmrun: how the CPU translates the entry address %#llx:\n",
		(unsigned long long)m->vm.entry.rip);
	for (i = 0; i < w.levels; i++) {
		paging_flags_text(w.entry[i], flags, sizeof(flags));
		fprintf(out, "kvmrun:   %-4s entry at %#llx = %#018llx  [%s]\n",
			paging_level_name((enum pt_level)i),
			(unsigned long long)w.entry_gpa[i],
			(unsigned long long)w.entry[i], flags);
	}
	if (w.present)
		fprintf(out, "kvmrun:   -> %llu KiB page, physical address %#llx\n",
			(unsigned long long)(w.page_size >> 10),
			(unsigned long long)w.pa);
}

/* One GDT entry: where it is, the selector a guest loads (its offset with
 * the requested privilege level in bits 0-1, Intel SDM vol. 3A, 3.4.2),
 * the descriptor's bytes, what it is for. */
static void narrate_gdt_row(FILE *out, const struct kvm_segment *s, const char *use,
			    const char *text)
{
	char sel[32];

	snprintf(sel, sizeof(sel), "selector %#04x", s->selector);
	fprintf(out, "kvmrun:   +%#04x %-15s %016llx %-12s %s\n", s->selector & ~7u,
		sel, (unsigned long long)gdt_encode(s), use, text);
}

/* --mode protected: the 32-bit GDT. */
static void narrate_gdt_protected(FILE *out)
{
	const struct kvm_segment *rows[] = {
		gdt_code32_segment(), gdt_data_segment(), gdt_tss32_segment(),
	};
	const char *use[] = { "CS", "data", "TR" };
	char text[160];
	unsigned i;

	fprintf(out, "kvmrun: GDT at %#x, limit %#x (protected mode); each entry by its "
		"offset in the table and the selector that loads it:\n", KVMRUN_GDT_ADDR,
		GDT_PROTECTED_ENTRIES * 8 - 1);
	fprintf(out, "kvmrun:   +0x00                 null descriptor\n");
	for (i = 0; i < 3; i++) {
		gdt_describe(rows[i], text, sizeof(text));
		narrate_gdt_row(out, rows[i], use[i], text);
	}
}

static void narrate_gdt(FILE *out)
{
	static const struct { const char *use; const struct kvm_segment *(*seg)(void); }
	rows[] = {
		{ "CS at CPL0", gdt_code_segment },
		{ "data at CPL0", gdt_data_segment },
		{ "TR", gdt_tss_segment },
		{ "data at CPL3", gdt_user_data_segment },
		{ "CS at CPL3", gdt_user_code_segment },
	};
	char text[160];
	unsigned i;

	fprintf(out, "kvmrun: GDT at %#x, limit %#x; each entry by its offset in the "
		"table and the selector that loads it (offset | RPL):\n", KVMRUN_GDT_ADDR,
		gdt_size() - 1);
	fprintf(out, "kvmrun:   +0x00                 null descriptor\n");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct kvm_segment *s = rows[i].seg();

		gdt_describe(s, text, sizeof(text));
		narrate_gdt_row(out, s, rows[i].use, text);
	}
	fprintf(out, "kvmrun: TSS at %#x: RSP0 and IST1 = %#x (supervisor stack), "
		"I/O bitmap allowing every port\n", KVMRUN_TSS_ADDR,
		KVMRUN_SUPER_STACK_TOP);
	fprintf(out, "kvmrun: IDT at %#x: 256 gates to one-hlt stubs at %#x, so "
		"kvmrun can name any exception the guest does not handle itself\n",
		KVMRUN_IDT_ADDR, KVMRUN_STUBS_ADDR);
}

static void narrate_tiering(const struct tier *t, FILE *out)
{
	const struct tier_policy *p = &t->policy;

	if (!p->on) {
		fprintf(out, "kvmrun: tiering: off (%s)\n", p->off_why);
		return;
	}
	if (p->every) {
		fprintf(out, "kvmrun: tiering: on, switching rings every %llu exits "
			"(--tier-every)\n", (unsigned long long)p->every);
		return;
	}
	fprintf(out, "kvmrun: tiering: on: after %u exits in a row, each within "
		"twice the cheapest exit from ring 3, the guest continues at CPL0 "
		"(exits there cost a fraction); after %llu us there without an exit "
		"(it computes, emulated) at CPL3 again\n", p->dense,
		(unsigned long long)(p->idle_ns / 1000));
}

static void narrate_ring(const struct machine *m, FILE *out)
{
	bool pvm = m->vm.kvm.pvm;

	switch (m->cfg->ring) {
	case RING_0:
		fprintf(out, "kvmrun: ring: the guest runs at CPL0 (--ring 0)%s\n",
			pvm ? "; on this kvm_pvm host CPL0 code is emulated, "
			      "thousands of times slower than native" : "");
		break;
	case RING_3:
		fprintf(out, "kvmrun: ring: the guest runs at CPL3 (--ring 3): an "
			"instruction that needs CPL0 ends the run\n");
		break;
	case RING_AUTO:
		fprintf(out, "kvmrun: ring: the guest starts at CPL3 and moves to "
			"CPL0 at its first instruction that needs it (--ring auto)\n");
		if (pvm)
			fprintf(out, "kvmrun:   why: this host's KVM (kvm_pvm) runs CPL3 "
				"code natively but emulates CPL0 code one instruction "
				"at a time\n");
		narrate_tiering(&m->tier, out);
		break;
	}
}

/* What the guest's cpuid will say: with KVM_SET_CPUID2. */
static void narrate_cpuid(const struct machine *m, FILE *out)
{
	fprintf(out, "kvmrun: CPUID: %u leaves from KVM_GET_SUPPORTED_CPUID "
		"given to the vCPU, which has %u after KVM's adjustments\n",
		m->vm.cpu_info.cpuid_offered, m->vm.cpu_info.cpuid_entries);
	if (m->cfg->cpuid_cache)
		fprintf(out, "kvmrun:   CPUID cache %s: %s (it spares "
			"KVM_GET_SUPPORTED_CPUID, which on a nested host traps to "
			"the outer hypervisor for every leaf)\n",
			m->cfg->cpuid_cache, m->vm.cpu_info.cpuid_cache_note);
	else
		fprintf(out, "kvmrun:   the CPUID cache is off: %s\n",
			m->cfg->cpuid_cache_off ? m->cfg->cpuid_cache_off : "--no-cpuid-cache");
}

/* The control registers and EFER: with KVM_SET_SREGS, after the tables
 * they point at. */
static void narrate_mode(const struct machine *m, FILE *out)
{
	if (m->vm.mode == MODE_LONG) {
		fprintf(out, "kvmrun: mode: 64-bit long mode; CR0 = PE MP ET NE WP PG, "
			"CR4 = PAE OSFXSR OSXMMEXCPT%s, EFER = LME LMA%s; CR3 = %#x (the "
			"PML4), GDTR, IDTR and TR as above\n",
			m->vm.cpu_info.xsave ? " OSXSAVE" : "", m->vm.cpu_info.nx ? " NXE" : "",
			KVMRUN_PML4_ADDR);
	} else if (m->vm.mode == MODE_PROTECTED) {
		fprintf(out, "kvmrun: mode: 32-bit protected mode (%s), "
			"paging off; CR0 = PE MP ET NE, CR4 = OSFXSR OSXMMEXCPT%s, EFER = 0; "
			"no IDT: an exception the guest does not catch with its own IDT "
			"is a triple fault\n", m->vm.image.multiboot_info ?
			"a multiboot kernel starts so" : "--mode protected",
			m->vm.cpu_info.xsave ? " OSXSAVE" : "");
	} else {
		fprintf(out, "kvmrun: mode: 16-bit real mode (--mode real); CR0 = ET; "
			"the interrupt vector table at 0 is the guest's (there is no "
			"BIOS: an int n calls whatever is there)\n");
	}
}

/* The clock, the ring and the first instruction: with KVM_SET_REGS. */
static void narrate_entry(const struct machine *m, FILE *out)
{
	const struct cpu_entry *e = &m->vm.entry;

	if (m->vm.entry.rdi) {
		const struct kvmrun_bootinfo *bi = memmap_gpa(&m->vm.mem, KVMRUN_BOOTINFO_ADDR,
							      sizeof(*bi));

		if (bi && bi->tsc_khz)
			fprintf(out, "kvmrun: TSC: %llu kHz (KVM_GET_TSC_KHZ), in the boot "
				"info for the guest's clock\n", (unsigned long long)bi->tsc_khz);
		else
			fprintf(out, "kvmrun: TSC: KVM_GET_TSC_KHZ gave no frequency: the "
				"boot info says 0\n");
	}
	if (m->vm.mode == MODE_REAL) {
		fprintf(out, "kvmrun: entry: cs:ip=%04llx:%04llx ss:sp=0000:%04llx, "
			"ds=es=fs=gs=0, flags=0x2, other registers 0\n",
			(unsigned long long)((e->rip >> 4) & 0xf000),
			(unsigned long long)(e->rip & 0xffff), (unsigned long long)e->rsp);
		return;
	}
	if (m->vm.mode == MODE_PROTECTED) {
		fprintf(out, "kvmrun: ring: the guest runs at CPL0%s\n", m->vm.kvm.pvm ?
			"; on this kvm_pvm host CPL0 code is emulated, thousands of "
			"times slower than native" : "");
		if (e->rbx)
			fprintf(out, "kvmrun: entry (multiboot): eip=%#llx eax=%#llx (the "
				"boot loader's magic) ebx=%#llx (the multiboot information) "
				"esp=%#llx eflags=0x2 cs=%#x ds=es=fs=gs=ss=%#x, other "
				"registers 0\n", (unsigned long long)e->rip,
				(unsigned long long)e->rax, (unsigned long long)e->rbx,
				(unsigned long long)e->rsp, KVMRUN_SEL_CODE64, KVMRUN_SEL_DATA);
		else
			fprintf(out, "kvmrun: entry: eip=%#llx esp=%#llx edi=%#llx (boot info) "
				"eflags=0x2 cs=%#x ds=es=fs=gs=ss=%#x, other registers 0\n",
				(unsigned long long)e->rip, (unsigned long long)e->rsp,
				(unsigned long long)e->rdi, KVMRUN_SEL_CODE64, KVMRUN_SEL_DATA);
		return;
	}
	narrate_ring(m, out);
	fprintf(out, "kvmrun: entry: rip=%#llx rsp=%#llx rdi=%#llx (boot info) "
		"rflags=0x2 cs=%#x ss=%#x, other registers 0\n",
		(unsigned long long)e->rip, (unsigned long long)e->rsp,
		(unsigned long long)e->rdi,
		e->cpl ? KVMRUN_SEL_USER_CODE64 : KVMRUN_SEL_CODE64,
		e->cpl ? KVMRUN_SEL_USER_DATA : KVMRUN_SEL_DATA);
}

static void narrate_devices(const struct machine *m, FILE *out)
{
	const struct bus *buses[] = { &m->dev.pio, &m->dev.mmio };
	unsigned b, i;

	fprintf(out, "kvmrun: devices:\n");
	for (b = 0; b < 2; b++)
		for (i = 0; i < buses[b]->nr_devices; i++) {
			const struct bus_device *d = &buses[b]->devices[i];

			fprintf(out, "kvmrun:   %-4s %#llx-%#llx  %s\n", buses[b]->name,
				(unsigned long long)d->base,
				(unsigned long long)(d->base + d->len - 1), d->name);
		}
	fprintf(out, "kvmrun:   other ports and addresses: reads return all ones, "
		"writes are dropped\n");
	fprintf(out, "kvmrun: console: after %u byte writes to ports %#x and %#x, "
		"further ones are coalesced (queued by KVM without an exit)\n",
		COALESCE_AFTER, KVMRUN_PORT_COM1, KVMRUN_PORT_DEBUGCON);
}

/*
 * Print the setup's ioctl lines (kvm_explain's, one a line) from *next up
 * to and including the first that names ioctl; none if no line does.
 */
static void ioctls_through(FILE *out, const char **next, const char *ioctl)
{
	const char *hit = strstr(*next, ioctl), *end;

	if (!hit)
		return;
	end = strchr(hit, '\n');
	end = end ? end + 1 : hit + strlen(hit);
	fwrite(*next, 1, (size_t)(end - *next), out);
	*next = end;
}

/* The same, up to but not including the line that names ioctl. */
static void ioctls_before(FILE *out, const char **next, const char *ioctl)
{
	const char *hit = strstr(*next, ioctl);

	if (!hit)
		return;
	while (hit > *next && hit[-1] != '\n')
		hit--;
	fwrite(*next, 1, (size_t)(hit - *next), out);
	*next = hit;
}

void narrate_setup(const struct machine *m, FILE *out, const char *ioctls)
{
	const char *next = ioctls ? ioctls : "";

	ioctls_through(out, &next, "KVM_CREATE_VM");
	narrate_memory(m, out);
	ioctls_before(out, &next, "KVM_CREATE_VCPU");   /* the memory slots */
	ioctls_through(out, &next, "KVM_CREATE_VCPU");
	narrate_cpuid(m, out);
	ioctls_through(out, &next, "KVM_SET_CPUID2");
	if (m->vm.cpu_info.xsave)
		fprintf(out, "kvmrun: XCR0 = %#llx (x87 SSE%s): the state xsave keeps\n",
			(unsigned long long)m->vm.cpu_info.xcr0,
			(m->vm.cpu_info.xcr0 & X86_XCR0_AVX) ? " AVX" : "");
	ioctls_through(out, &next, "KVM_SET_XCRS");
	/* The tables first, then the ioctl that points the CPU at them. */
	if (m->vm.mode == MODE_LONG) {
		narrate_paging(m, out);
		narrate_gdt(out);
	} else if (m->vm.mode == MODE_PROTECTED) {
		narrate_gdt_protected(out);
	}
	narrate_mode(m, out);
	ioctls_through(out, &next, "KVM_SET_SREGS");
	narrate_entry(m, out);
	ioctls_through(out, &next, "KVM_SET_REGS");
	fputs(next, out);               /* any the story has no place for */
	narrate_devices(m, out);
}
