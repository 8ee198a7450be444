/* SPDX-License-Identifier: MIT */
/*
 * Building and tearing down a machine.  The order of machine_create is the
 * order a learner should read: guest memory and what kvmrun puts in it
 * first (none of it needs KVM), then the VM, its memory slots, the vCPU
 * and its registers, then the devices.
 */
#include "machine.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdt.h"
#include "kvmrun/abi.h"
#include "observe/sha256.h"
#include "paging.h"
#include "ring3/supervisor.h"

#define HUGE_FROM       (2ULL << 20)    /* see map_ram */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23          /* Linux 5.14 */
#endif

static int map_ram(struct memmap *mm, struct error *err)
{
	/* MAP_NORESERVE: a large --mem costs nothing until the guest
	 * touches it; pages are allocated, zeroed, on first touch. */
	void *p = mmap(NULL, mm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t huge_end;

	if (p == MAP_FAILED)
		return err_errno(err, errno, "cannot map %llu bytes of guest RAM",
				 (unsigned long long)mm->ram_size);
	mm->host = p;
	/*
	 * Transparent huge pages make the guest's first touch of its RAM
	 * several times cheaper.  Not for the first 2 MiB, nor for the 2 MiB
	 * that hold the page directories above 4 GiB: kvmrun writes its
	 * tables there at every start, and a 2 MiB page would have to be
	 * zeroed first, which costs more than the 4 KiB pages it touches
	 * (MADV_NOHUGEPAGE, for hosts whose THP setting is "always").
	 * These are all hints: where one is refused (THP disabled, an old
	 * kernel) RAM just touches slower, so errors are ignored.
	 */
	huge_end = mm->ram_size;
	if (mm->high_pd_gpa) {
		uint64_t pds = mm->slots[1].host_offset + mm->high_pd_gpa - mm->slots[1].gpa;

		huge_end = pds & ~(HUGE_FROM - 1);
		(void)madvise((uint8_t *)p + huge_end, mm->ram_size - huge_end,
			      MADV_NOHUGEPAGE);
		/* The page directories above 4 GiB (up to 253 pages) are all
		 * written at once: one call beats a fault per page (75 us
		 * less for --mem 64G on kvm_pvm; Linux 5.14 and later). */
		(void)madvise((uint8_t *)p + pds, mm->ram_size - pds, MADV_POPULATE_WRITE);
	}
	(void)madvise(p, mm->ram_size < HUGE_FROM ? mm->ram_size : HUGE_FROM,
		      MADV_NOHUGEPAGE);
	if (huge_end > HUGE_FROM)
		(void)madvise((uint8_t *)p + HUGE_FROM, huge_end - HUGE_FROM, MADV_HUGEPAGE);
	return 0;
}

/*
 * Give KVM the chunks of RAM that hold what kvmrun placed there (tables,
 * stack, image); the rest follows when the guest first touches it.
 */
static int map_initial_ram(struct machine *m, struct error *err)
{
	int slots = kvm_check_extension(&m->vm.kvm, KVM_CAP_NR_MEMSLOTS);
	unsigned i;

	/* A few slots stay free, as KVM reserves some for itself. */
	if (memmap_set_chunks(&m->vm.mem, slots > 16 ? (unsigned)slots - 8 : 8, err) < 0)
		return -1;
	for (i = 0; i < m->vm.mem.nr_regions; i++)
		if (lazy_ram_map(&m->fast.ram, m->vm.mem.regions[i].gpa, m->vm.mem.regions[i].size,
				    err) < 0)
			return -1;
	return 0;
}

static uint32_t bootinfo_type(enum mem_kind kind)
{
	switch (kind) {
	case MEM_KIND_IMAGE: return KVMRUN_MEM_IMAGE;
	case MEM_KIND_STACK: return KVMRUN_MEM_STACK;
	default:             return KVMRUN_MEM_RESERVED;
	}
}

/* Regions sorted by address (insertion sort: there are a handful). */
static void sorted_regions(const struct memmap *mm, const struct mem_region **out)
{
	unsigned i, j;

	for (i = 0; i < mm->nr_regions; i++) {
		const struct mem_region *r = &mm->regions[i];

		for (j = i; j > 0 && out[j - 1]->gpa > r->gpa; j--)
			out[j] = out[j - 1];
		out[j] = r;
	}
}

static int add_bootinfo_region(struct kvmrun_bootinfo *bi, uint64_t gpa,
			       uint64_t size, uint32_t type, struct error *err)
{
	if (size == 0)
		return 0;
	if (bi->mem_count == KVMRUN_BOOTINFO_MAX_MEM)
		return err_set(err, "boot info: too many memory regions");
	bi->mem[bi->mem_count++] = (struct kvmrun_mem_region){
		.addr = gpa, .size = size, .type = type,
	};
	return 0;
}

/* The boot information block: what RDI points at on entry. */
static int write_bootinfo(struct machine *m, struct error *err)
{
	const struct mem_region *sorted[MEMMAP_MAX_REGIONS];
	struct kvmrun_bootinfo *bi;
	unsigned s, i;

	bi = memmap_gpa(&m->vm.mem, KVMRUN_BOOTINFO_ADDR, sizeof(*bi));
	if (!bi)
		return err_set(err, "boot info is outside RAM");
	memset(bi, 0, sizeof(*bi));
	bi->magic = KVMRUN_BOOTINFO_MAGIC;
	bi->version = KVMRUN_BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->ram_size = m->vm.mem.ram_size;
	bi->image_addr = m->vm.image.addr;
	bi->image_size = m->vm.image.size;
	bi->entry = m->vm.entry.rip;
	bi->stack_top = m->vm.entry.rsp;

	/* A map of all RAM without overlaps: regions, and usable gaps. */
	sorted_regions(&m->vm.mem, sorted);
	for (s = 0; s < m->vm.mem.nr_slots; s++) {
		const struct mem_slot *slot = &m->vm.mem.slots[s];
		uint64_t at = slot->gpa, end = slot->gpa + slot->size;

		for (i = 0; i < m->vm.mem.nr_regions; i++) {
			const struct mem_region *r = sorted[i];

			if (r->gpa < slot->gpa || r->gpa >= end)
				continue;
			if (add_bootinfo_region(bi, at, r->gpa - at, KVMRUN_MEM_USABLE, err) < 0 ||
			    add_bootinfo_region(bi, r->gpa, r->size, bootinfo_type(r->kind), err) < 0)
				return -1;
			at = r->gpa + r->size;
		}
		if (add_bootinfo_region(bi, at, end - at, KVMRUN_MEM_USABLE, err) < 0)
			return -1;
	}
	return 0;
}

static int add_devices(struct machine *m, struct error *err)
{
	bus_init(&m->dev.pio, "port");
	bus_init(&m->dev.mmio, "MMIO");
	if (uart_register(&m->dev.pio, &m->dev.uart, &m->out.console, err) < 0 ||
	    debugcon_register(&m->dev.pio, &m->out.console, err) < 0 ||
	    exitdev_register(&m->dev.pio, &m->dev.stop, err) < 0 ||
	    post_register(&m->dev.pio, &m->dev.post, err) < 0 ||
	    bulk_write_register(&m->dev.pio, &m->dev.bulk, &m->out.console, &m->vm.mem,
				&m->dev.stop, err) < 0 ||
	    testdev_register(&m->dev.mmio, &m->dev.testdev, err) < 0)
		return -1;
	return 0;
}

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
	fprintf(out, "kvmrun: memory map (also in the boot info block at %#x):\n",
		KVMRUN_BOOTINFO_ADDR);
	for (i = 0; bi && i < bi->mem_count; i++) {
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
	if (pt_walk(&m->vm.mem, KVMRUN_PML4_ADDR, m->vm.entry.rip, &w) < 0)
		return;
	fprintf(out, "kvmrun: how the CPU translates the entry address %#llx:\n",
		(unsigned long long)m->vm.entry.rip);
	for (i = 0; i < w.levels; i++) {
		pt_format_flags(w.entry[i], flags, sizeof(flags));
		fprintf(out, "kvmrun:   %-4s entry at %#llx = %#018llx  [%s]\n",
			pt_level_name((enum pt_level)i),
			(unsigned long long)w.entry_gpa[i],
			(unsigned long long)w.entry[i], flags);
	}
	if (w.present)
		fprintf(out, "kvmrun:   -> %llu KiB page, physical address %#llx\n",
			(unsigned long long)(w.page_size >> 10),
			(unsigned long long)w.pa);
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

	fprintf(out, "kvmrun: GDT at %#x, limit %#x:\n", KVMRUN_GDT_ADDR,
		gdt_size() - 1);
	fprintf(out, "kvmrun:   0x00 null descriptor\n");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct kvm_segment *s = rows[i].seg();

		gdt_describe(s, text, sizeof(text));
		fprintf(out, "kvmrun:   %#04x %016llx %-12s %s\n", s->selector,
			(unsigned long long)gdt_encode(s), rows[i].use, text);
	}
	fprintf(out, "kvmrun: TSS at %#x: RSP0 and IST1 = %#x (supervisor stack), "
		"I/O bitmap allowing every port\n", KVMRUN_TSS_ADDR,
		KVMRUN_SUPER_STACK_TOP);
	fprintf(out, "kvmrun: IDT at %#x: 256 gates to one-hlt stubs at %#x, so "
		"kvmrun can name any exception the guest does not handle itself\n",
		KVMRUN_IDT_ADDR, KVMRUN_STUBS_ADDR);
}

static void narrate_ring(const struct machine *m, FILE *out)
{
	bool pvm = access("/sys/module/kvm_pvm", F_OK) == 0;

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
		break;
	}
}

static void narrate_cpu(const struct machine *m, FILE *out)
{
	const struct cpu_entry *e = &m->vm.entry;

	fprintf(out, "kvmrun: CPUID: %u leaves from KVM_GET_SUPPORTED_CPUID "
		"given to the vCPU, which has %u after KVM's adjustments\n",
		m->vm.cpu_info.cpuid_offered, m->vm.cpu_info.cpuid_entries);
	if (m->cfg->cpuid_cache)
		fprintf(out, "kvmrun:   CPUID cache %s: %s (it spares "
			"KVM_GET_SUPPORTED_CPUID, which on a nested host traps to "
			"the outer hypervisor for every leaf)\n",
			m->cfg->cpuid_cache, m->vm.cpu_info.cpuid_cache_note);
	else
		fprintf(out, "kvmrun:   the CPUID cache is off (--no-cpuid-cache, or "
			"KVMRUN_CACHE_DIR set empty, or no HOME)\n");
	fprintf(out, "kvmrun: mode: 64-bit long mode; CR0 = PE MP ET NE WP PG, "
		"CR4 = PAE OSFXSR OSXMMEXCPT%s, EFER = LME LMA%s\n",
		m->vm.cpu_info.xsave ? " OSXSAVE" : "", m->vm.cpu_info.nx ? " NXE" : "");
	if (m->vm.cpu_info.xsave)
		fprintf(out, "kvmrun: XCR0 = %#llx (x87 SSE%s)\n",
			(unsigned long long)m->vm.cpu_info.xcr0,
			(m->vm.cpu_info.xcr0 & X86_XCR0_AVX) ? " AVX" : "");
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

/* Every --dump-mem range must be RAM: say so before the run, not after. */
static int check_dumps(const struct machine *m, struct error *err)
{
	unsigned i;

	for (i = 0; i < m->cfg->nr_dumps; i++) {
		const struct mem_dump *d = &m->cfg->dumps[i];

		if (!memmap_is_ram(&m->vm.mem, d->addr, d->len))
			return err_set(err, "--dump-mem %s is not inside guest RAM "
				       "(RAM ends at %#llx)", d->arg ? d->arg : "?",
				       (unsigned long long)memmap_ram_end(&m->vm.mem));
	}
	return 0;
}

int machine_create(struct machine *m, const struct config *cfg,
		   const struct machine_io *io, struct error *err)
{
	FILE *narrate;

	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->obs.tracer = (struct tracer){
		.format = cfg->trace_format,
		.exits = cfg->trace_exits, .insns = cfg->trace_insns,
	};
	m->vm.kvm.dev_fd = m->vm.kvm.vm_fd = m->vm.kvm.vcpu_fd = -1;
	unclaimed_init(&m->obs.unclaimed);
	stats_init(&m->obs.stats);
	coalesce_init(&m->fast.coalesce, &m->vm.kvm);
	lazy_ram_init(&m->fast.ram, &m->vm.kvm, &m->vm.mem);
	m->out.quiet = cfg->quiet;
	if (output_open(&m->out, io->image_data ? -1 : 0, io->log, io->trace,
			&m->obs.tracer.error) < 0) {
		err_set(err, "out of memory for the console buffers");
		goto fail;
	}
	m->obs.tracer.out = m->out.trace;
	narrate = io->narrate ? m->out.log : NULL;
	m->out.console.max_out = cfg->max_output;
	if (io->stdout_closed)          /* as a write to a closed pipe would */
		m->out.console.out_error = EPIPE;

	/* Guest memory and its contents: pure, no KVM yet. */
	if (memmap_init(&m->vm.mem, cfg->mem_size, err) < 0 ||
	    map_ram(&m->vm.mem, err) < 0)
		goto fail;
	if (io->image_data ?
	    loader_flat_bytes(&m->vm.mem, io->image_data, io->image_size, "(standard input)",
			      cfg->load_addr, cfg->format, &m->vm.image, err) < 0 :
	    loader_flat(&m->vm.mem, cfg->image, cfg->load_addr, cfg->format, &m->vm.image,
			err) < 0)
		goto fail;
	if (cfg->report) {
		/* The report names the bytes the guest was given, hashed now:
		 * the file may change, and the guest may write over them. */
		struct sha256 h;
		uint8_t digest[32];

		sha256_init(&h);
		sha256_update(&h, memmap_gpa(&m->vm.mem, m->vm.image.addr, m->vm.image.size),
			      (size_t)m->vm.image.size);
		sha256_final(&h, digest);
		sha256_hex(digest, m->vm.image_sha256);
	}
	m->vm.cpl = cfg->ring == RING_0 ? 0 : 3;
	m->vm.entry = (struct cpu_entry){
		.rip = cfg->entry_set ? cfg->entry : m->vm.image.entry,
		.rsp = KVMRUN_STACK_TOP,
		.rdi = KVMRUN_BOOTINFO_ADDR,
		.cpl = m->vm.cpl,
		.rflags = cfg->trace_insns ? X86_RFLAGS_TF : 0,
		.sets = cfg->sets,
		.nr_sets = cfg->nr_sets,
	};
	m->step.on = cfg->trace_insns;
	m->step.rip = m->vm.entry.rip;
	m->step.cpl = m->vm.cpl;
	m->step.cs = m->vm.cpl ? *gdt_user_code_segment() : *gdt_code_segment();
	if (check_dumps(m, err) < 0)
		goto fail;
	if (!memmap_is_ram(&m->vm.mem, m->vm.entry.rip, 1)) {
		err_set(err, "entry address %#llx is outside guest RAM (RAM ends at %#llx)",
			(unsigned long long)m->vm.entry.rip,
			(unsigned long long)memmap_ram_end(&m->vm.mem));
		goto fail;
	}
	/* Ring 3 needs user-accessible pages; --ring 0 keeps them supervisor. */
	if (pt_build(&m->vm.mem, cfg->ring == RING_0 ? 0 : PTE_US, err) < 0 ||
	    gdt_write(&m->vm.mem, err) < 0 || sup_write(&m->vm.mem, err) < 0 ||
	    write_bootinfo(m, err) < 0)
		goto fail;

	/* The VM: KVM, memory slots, the vCPU and its registers. */
	m->vm.kvm.explain = narrate;
	if (kvm_open(&m->vm.kvm, cfg->kvm_device, err) < 0 ||
	    map_initial_ram(m, err) < 0 ||
	    kvm_create_vcpu(&m->vm.kvm, err) < 0 ||
	    cpu_setup(&m->vm.kvm, &m->vm.entry, cfg->cpuid_cache, &m->vm.cpu_info, err) < 0 ||
	    add_devices(m, err) < 0)
		goto fail;

	if (narrate) {
		narrate_memory(m, narrate);
		narrate_paging(m, narrate);
		narrate_gdt(narrate);
		narrate_cpu(m, narrate);
		narrate_devices(m, narrate);
	}
	return 0;
fail:
	machine_destroy(m);
	return -1;
}

void machine_destroy(struct machine *m)
{
	/* Unregistering the zones first makes the close much cheaper. */
	coalesce_fini(&m->fast.coalesce);
	/*
	 * Guest RAM goes before the VM: KVM then destroys a VM whose memory
	 * is already gone, which on kvm_pvm is 50-100 us faster than the
	 * other way round (make bench, startup), as it is when a process
	 * exits without closing anything.  No vCPU runs now.
	 */
	if (m->vm.mem.host)
		munmap(m->vm.mem.host, m->vm.mem.ram_size);
	m->vm.mem.host = NULL;
	kvm_close(&m->vm.kvm);
	output_close(&m->out);
}

void machine_print_unclaimed(const struct machine *m, FILE *out)
{
	const struct unclaimed_log *log = &m->obs.unclaimed;
	unsigned i;

	if (!log->total)
		return;
	fprintf(out, "kvmrun: unclaimed accesses: %llu in all\n",
		(unsigned long long)log->total);
	for (i = 0; i < log->nr; i++) {
		const struct unclaimed_entry *e = &log->entries[i];

		fprintf(out, "kvmrun:   %s %#llx: %llu read%s, %llu write%s\n",
			io_space_name(e->space), (unsigned long long)e->addr,
			(unsigned long long)e->reads, e->reads == 1 ? "" : "s",
			(unsigned long long)e->writes, e->writes == 1 ? "" : "s");
	}
	if (log->other_accesses)
		fprintf(out, "kvmrun:   %llu more to other addresses\n",
			(unsigned long long)log->other_accesses);
}
