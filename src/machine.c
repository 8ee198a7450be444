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

/* Hand RAM chunk idx to KVM as memory slot idx, once. */
static int map_chunk(struct machine *m, unsigned idx, struct error *err)
{
	struct mem_slot c;

	if (memmap_chunk_is_mapped(&m->mem, idx))
		return 0;
	c = memmap_chunk(&m->mem, idx);
	if (kvm_set_memory(&m->kvm, idx, c.gpa, c.size, m->mem.host + c.host_offset,
			   err) < 0)
		return -1;
	memmap_chunk_set_mapped(&m->mem, idx);
	m->chunks_mapped++;
	return 0;
}

int machine_map_ram(struct machine *m, uint64_t gpa, uint64_t len,
		    struct error *err)
{
	unsigned first, last, i;

	if (len == 0 || !memmap_chunk_of(&m->mem, gpa, &first) ||
	    !memmap_chunk_of(&m->mem, gpa + len - 1, &last))
		return err_set(err, "%#llx is not guest RAM", (unsigned long long)gpa);
	for (i = first; i <= last; i++)
		if (map_chunk(m, i, err) < 0)
			return -1;
	return 0;
}

/*
 * Give KVM the chunks of RAM that hold what kvmrun placed there (tables,
 * stack, image); the rest follows when the guest first touches it.
 */
static int map_initial_ram(struct machine *m, struct error *err)
{
	int slots = kvm_check_extension(&m->kvm, KVM_CAP_NR_MEMSLOTS);
	unsigned i;

	/* A few slots stay free, as KVM reserves some for itself. */
	if (memmap_set_chunks(&m->mem, slots > 16 ? (unsigned)slots - 8 : 8, err) < 0)
		return -1;
	for (i = 0; i < m->mem.nr_regions; i++)
		if (machine_map_ram(m, m->mem.regions[i].gpa, m->mem.regions[i].size,
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

	bi = memmap_gpa(&m->mem, KVMRUN_BOOTINFO_ADDR, sizeof(*bi));
	if (!bi)
		return err_set(err, "boot info is outside RAM");
	memset(bi, 0, sizeof(*bi));
	bi->magic = KVMRUN_BOOTINFO_MAGIC;
	bi->version = KVMRUN_BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->ram_size = m->mem.ram_size;
	bi->image_addr = m->image.addr;
	bi->image_size = m->image.size;
	bi->entry = m->entry.rip;
	bi->stack_top = m->entry.rsp;

	/* A map of all RAM without overlaps: regions, and usable gaps. */
	sorted_regions(&m->mem, sorted);
	for (s = 0; s < m->mem.nr_slots; s++) {
		const struct mem_slot *slot = &m->mem.slots[s];
		uint64_t at = slot->gpa, end = slot->gpa + slot->size;

		for (i = 0; i < m->mem.nr_regions; i++) {
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
	bus_init(&m->pio, "port");
	bus_init(&m->mmio, "MMIO");
	if (uart_register(&m->pio, &m->uart, &m->console, err) < 0 ||
	    debugcon_register(&m->pio, &m->console, err) < 0 ||
	    exitdev_register(&m->pio, &m->stop, err) < 0 ||
	    post_register(&m->pio, &m->post, err) < 0 ||
	    bulk_write_register(&m->pio, &m->bulk, &m->console, &m->mem,
				&m->stop, err) < 0 ||
	    testdev_register(&m->mmio, &m->testdev, err) < 0)
		return -1;
	return 0;
}

/* The ports whose byte writes are coalesced once the guest prints a lot. */
static const uint16_t console_ports[] = {
	KVMRUN_PORT_COM1 + UART_THR, KVMRUN_PORT_DEBUGCON,
};

/*
 * Console bytes written one `out` at a time cost a full exit each (8 us at
 * CPL0, 25 us at CPL3 on kvm_pvm).  Coalesced PIO lets KVM queue writes to
 * the transmit ports in a ring instead; run.c drains it before serving any
 * other exit, so the devices see every write, in order.
 *
 * But a coalesced zone makes tearing the VM down slower (measured on
 * kvm_pvm: 13 ms to close the VM with a zone, 0.4 ms without; 5 ms to
 * unregister it first).  So kvmrun rents before it buys: the first
 * MACHINE_COALESCE_AFTER console bytes exit one by one, which costs about
 * what the zone would, and only a guest that keeps printing gets the zone.
 * Without the capability, writes simply keep exiting.
 */
void machine_console_exit(struct machine *m)
{
	struct error ignored;
	unsigned i;

	if (m->coalesce_tried || ++m->console_exits < MACHINE_COALESCE_AFTER)
		return;
	m->coalesce_tried = true;       /* once, whether KVM can or not */
	for (i = 0; i < sizeof(console_ports) / sizeof(console_ports[0]); i++) {
		struct kvm_coalesced_mmio_ring *ring =
			kvm_coalesce_pio(&m->kvm, console_ports[i], 1, &ignored);

		if (!ring)
			break;
		m->ring = ring;
		m->ring_max = kvm_coalesced_max();
		m->coalesced_ports = i + 1;
	}
}

bool machine_is_console_port(uint64_t port)
{
	unsigned i;

	for (i = 0; i < sizeof(console_ports) / sizeof(console_ports[0]); i++)
		if (port == console_ports[i])
			return true;
	return false;
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
		memmap_gpa(&m->mem, KVMRUN_BOOTINFO_ADDR, sizeof(*bi));
	uint64_t v;
	const char *unit = size_unit(m->mem.ram_size, &v);
	unsigned i;

	fprintf(out, "kvmrun: guest RAM: %llu %s, mapped lazily: host pages are "
		"allocated when the guest first touches them\n",
		(unsigned long long)v, unit);
	for (i = 0; i < m->mem.nr_slots; i++)
		fprintf(out, "kvmrun:   RAM at guest-physical %#llx-%#llx\n",
			(unsigned long long)m->mem.slots[i].gpa,
			(unsigned long long)(m->mem.slots[i].gpa + m->mem.slots[i].size - 1));
	v = m->mem.chunk_size;
	unit = size_unit(v, &v);
	fprintf(out, "kvmrun:   given to KVM as memory slots when first needed: "
		"%s chunks of %s%llu %s; %u of %u now (those holding what kvmrun "
		"placed)\n", m->mem.boot_chunk ? "the first 2 MiB, then" : "in",
		m->mem.boot_chunk ? "" : "up to ", (unsigned long long)v, unit,
		m->chunks_mapped, m->mem.nr_chunks);
	fprintf(out, "kvmrun: memory map (also in the boot info block at %#x):\n",
		KVMRUN_BOOTINFO_ADDR);
	for (i = 0; bi && i < bi->mem_count; i++) {
		const struct kvmrun_mem_region *r = &bi->mem[i];
		const char *name = "";
		unsigned j;

		for (j = 0; j < m->mem.nr_regions; j++)
			if (m->mem.regions[j].gpa == r->addr && r->type != KVMRUN_MEM_USABLE)
				name = m->mem.regions[j].name;
		if (r->type == KVMRUN_MEM_USABLE)
			name = r->addr == 0 ? "null page (left alone)" : "free RAM";
		fprintf(out, "kvmrun:   0x%012llx-0x%012llx  %-8s  %s\n",
			(unsigned long long)r->addr,
			(unsigned long long)(r->addr + r->size - 1),
			bootinfo_type_name(r->type), name);
	}
	fprintf(out, "kvmrun:   0x%012llx-0x%012llx  %-8s  accesses exit to the MMIO bus\n",
		(unsigned long long)KVMRUN_MMIO_WINDOW, 0xffffffffULL, "MMIO");
	if (memmap_ram_end(&m->mem) < KVMRUN_MMIO_WINDOW)
		fprintf(out, "kvmrun:   (and everything from the end of RAM at %#llx "
			"up to it)\n", (unsigned long long)memmap_ram_end(&m->mem));
}

static void narrate_paging(const struct machine *m, FILE *out)
{
	struct pt_walk w;
	char flags[64];
	unsigned i;

	fprintf(out, "kvmrun: page tables: CR3 = %#x -> PML4 -> PDPT at %#x -> "
		"%u page directories of 512 x 2 MiB pages (identity map of %llu GiB)\n",
		KVMRUN_PML4_ADDR, KVMRUN_PDPT_ADDR, m->mem.nr_pds,
		(unsigned long long)m->mem.nr_pds);
	fprintf(out, "kvmrun:   but the first 2 MiB through a page table at %#x, in "
		"4 KiB pages, so that the guard page %#x-%#x below the stack can "
		"be left out: running off the stack faults there\n", KVMRUN_PT_ADDR,
		KVMRUN_STACK_GUARD, KVMRUN_STACK_GUARD + 0xfff);
	if (pt_walk(&m->mem, KVMRUN_PML4_ADDR, m->entry.rip, &w) < 0)
		return;
	fprintf(out, "kvmrun: how the CPU translates the entry address %#llx:\n",
		(unsigned long long)m->entry.rip);
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
	const struct cpu_entry *e = &m->entry;

	fprintf(out, "kvmrun: CPUID: %u leaves from KVM_GET_SUPPORTED_CPUID "
		"given to the vCPU, which has %u after KVM's adjustments\n",
		m->cpu_info.cpuid_offered, m->cpu_info.cpuid_entries);
	if (m->cfg->cpuid_cache)
		fprintf(out, "kvmrun:   CPUID cache %s: %s (it spares "
			"KVM_GET_SUPPORTED_CPUID, which on a nested host traps to "
			"the outer hypervisor for every leaf)\n",
			m->cfg->cpuid_cache, m->cpu_info.cpuid_cache_note);
	else
		fprintf(out, "kvmrun:   the CPUID cache is off (--no-cpuid-cache, or "
			"KVMRUN_CACHE_DIR set empty, or no HOME)\n");
	fprintf(out, "kvmrun: mode: 64-bit long mode; CR0 = PE MP ET NE WP PG, "
		"CR4 = PAE OSFXSR OSXMMEXCPT%s, EFER = LME LMA%s\n",
		m->cpu_info.xsave ? " OSXSAVE" : "", m->cpu_info.nx ? " NXE" : "");
	if (m->cpu_info.xsave)
		fprintf(out, "kvmrun: XCR0 = %#llx (x87 SSE%s)\n",
			(unsigned long long)m->cpu_info.xcr0,
			(m->cpu_info.xcr0 & X86_XCR0_AVX) ? " AVX" : "");
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
	const struct bus *buses[] = { &m->pio, &m->mmio };
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
		MACHINE_COALESCE_AFTER, KVMRUN_PORT_COM1, KVMRUN_PORT_DEBUGCON);
}

/* Every --dump-mem range must be RAM: say so before the run, not after. */
static int check_dumps(const struct machine *m, struct error *err)
{
	unsigned i;

	for (i = 0; i < m->cfg->nr_dumps; i++) {
		const struct mem_dump *d = &m->cfg->dumps[i];

		if (!memmap_is_ram(&m->mem, d->addr, d->len))
			return err_set(err, "--dump-mem %s is not inside guest RAM "
				       "(RAM ends at %#llx)", d->arg ? d->arg : "?",
				       (unsigned long long)memmap_ram_end(&m->mem));
	}
	return 0;
}

/* Do descriptors a and b write to the same file (stdout 2>&1 stderr)? */
static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return a >= 0 && b >= 0 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * What kvmrun says on stderr, and the trace, go through consoles of their
 * own, like the guest's output: queued, never blocking (console.h).  When
 * stderr is where stdout goes (2>&1, or one terminal), they share the
 * guest's queue, so a log of both keeps the order things happened in.
 */
static int open_log(struct machine *m, const struct machine_io *io)
{
	m->log_is_stdout = same_file(1, fileno(io->log));
	if (m->log_is_stdout) {
		m->log_con = &m->console;
	} else {
		if (console_init(&m->errcon, fileno(io->log), -1) < 0)
			return -1;
		m->log_con = &m->errcon;
	}
	if (!(m->log = console_fopen(m->log_con)))
		return -1;
	if (!io->trace)
		return 0;
	if (io->trace == io->log) {
		m->tracer.out = m->log;
		m->trace_con = m->log_con;
		return 0;
	}
	if (console_init(&m->tracecon, fileno(io->trace), -1) < 0)
		return -1;
	m->trace_con = &m->tracecon;
	m->tracer.out = m->trace_file = console_fopen(m->trace_con);
	return m->trace_file ? 0 : -1;
}

int machine_create(struct machine *m, const struct config *cfg,
		   const struct machine_io *io, struct error *err)
{
	FILE *narrate;

	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	m->tracer = (struct tracer){
		.format = cfg->trace_format,
		.exits = cfg->trace_exits, .insns = cfg->trace_insns,
	};
	m->kvm.dev_fd = m->kvm.vm_fd = m->kvm.vcpu_fd = -1;
	unclaimed_init(&m->unclaimed);
	stats_init(&m->stats);
	if (console_init(&m->console, 1, io->image_data ? -1 : 0) < 0 ||
	    open_log(m, io) < 0) {
		err_set(err, "out of memory for the console buffers");
		goto fail;
	}
	narrate = io->narrate ? m->log : NULL;
	m->console.max_out = cfg->max_output;
	if (io->stdout_closed)          /* as a write to a closed pipe would */
		m->console.out_error = EPIPE;

	/* Guest memory and its contents: pure, no KVM yet. */
	if (memmap_init(&m->mem, cfg->mem_size, err) < 0 ||
	    map_ram(&m->mem, err) < 0)
		goto fail;
	if (io->image_data ?
	    loader_flat_bytes(&m->mem, io->image_data, io->image_size, "(standard input)",
			      cfg->load_addr, cfg->format, &m->image, err) < 0 :
	    loader_flat(&m->mem, cfg->image, cfg->load_addr, cfg->format, &m->image,
			err) < 0)
		goto fail;
	if (cfg->report) {
		/* The report names the bytes the guest was given, hashed now:
		 * the file may change, and the guest may write over them. */
		struct sha256 h;
		uint8_t digest[32];

		sha256_init(&h);
		sha256_update(&h, memmap_gpa(&m->mem, m->image.addr, m->image.size),
			      (size_t)m->image.size);
		sha256_final(&h, digest);
		sha256_hex(digest, m->image_sha256);
	}
	m->cpl = cfg->ring == RING_0 ? 0 : 3;
	m->entry = (struct cpu_entry){
		.rip = cfg->entry_set ? cfg->entry : m->image.entry,
		.rsp = KVMRUN_STACK_TOP,
		.rdi = KVMRUN_BOOTINFO_ADDR,
		.cpl = m->cpl,
		.rflags = cfg->trace_insns ? X86_RFLAGS_TF : 0,
		.sets = cfg->sets,
		.nr_sets = cfg->nr_sets,
	};
	m->tracing_insns = cfg->trace_insns;
	m->insn_rip = m->entry.rip;
	m->insn_cpl = m->cpl;
	m->insn_cs = m->cpl ? *gdt_user_code_segment() : *gdt_code_segment();
	if (check_dumps(m, err) < 0)
		goto fail;
	if (!memmap_is_ram(&m->mem, m->entry.rip, 1)) {
		err_set(err, "entry address %#llx is outside guest RAM (RAM ends at %#llx)",
			(unsigned long long)m->entry.rip,
			(unsigned long long)memmap_ram_end(&m->mem));
		goto fail;
	}
	/* Ring 3 needs user-accessible pages; --ring 0 keeps them supervisor. */
	if (pt_build(&m->mem, cfg->ring == RING_0 ? 0 : PTE_US, err) < 0 ||
	    gdt_write(&m->mem, err) < 0 || sup_write(&m->mem, err) < 0 ||
	    write_bootinfo(m, err) < 0)
		goto fail;

	/* The VM: KVM, memory slots, the vCPU and its registers. */
	m->kvm.explain = narrate;
	if (kvm_open(&m->kvm, cfg->kvm_device, err) < 0 ||
	    map_initial_ram(m, err) < 0 ||
	    kvm_create_vcpu(&m->kvm, err) < 0 ||
	    cpu_setup(&m->kvm, &m->entry, cfg->cpuid_cache, &m->cpu_info, err) < 0 ||
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
	struct error ignored;

	/* Unregistering the zones first makes the close much cheaper. */
	while (m->coalesced_ports > 0)
		kvm_uncoalesce_pio(&m->kvm, console_ports[--m->coalesced_ports], 1,
				   &ignored);
	m->ring = NULL;
	/*
	 * Guest RAM goes before the VM: KVM then destroys a VM whose memory
	 * is already gone, which on kvm_pvm is 50-100 us faster than the
	 * other way round (make bench, startup), as it is when a process
	 * exits without closing anything.  No vCPU runs now.
	 */
	if (m->mem.host)
		munmap(m->mem.host, m->mem.ram_size);
	m->mem.host = NULL;
	kvm_close(&m->kvm);
	if (m->trace_file)
		fclose(m->trace_file);
	m->trace_file = NULL;
	if (m->log) {
		/* What is left for stderr (a setup that failed, said with -v):
		 * a last push, never a wait. */
		fflush(m->log);
		(void)console_push(m->log_con);
		fclose(m->log);
	}
	m->log = NULL;
	console_fini(&m->tracecon);
	console_fini(&m->errcon);
	console_fini(&m->console);
}

void machine_print_unclaimed(const struct machine *m, FILE *out)
{
	const struct unclaimed_log *log = &m->unclaimed;
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

bool machine_translate(const struct machine *m, const struct kvm_sregs *sregs,
		       uint64_t va, uint64_t *pa)
{
	struct pt_walk w;

	if (!(sregs->cr0 & X86_CR0_PG)) {
		*pa = va;
		return true;
	}
	if (pt_walk(&m->mem, sregs->cr3, va, &w) < 0 || !w.present)
		return false;
	*pa = w.pa;
	return true;
}

void *machine_guest_ptr(const struct machine *m, const struct kvm_sregs *sregs,
			uint64_t va, uint64_t len)
{
	uint64_t pa, last;

	/* Both ends in RAM and contiguous: enough for the small, aligned
	 * things kvmrun reads this way (frames, descriptors, flags). */
	if (len == 0 || !machine_translate(m, sregs, va, &pa) ||
	    !machine_translate(m, sregs, va + len - 1, &last) || last != pa + len - 1)
		return NULL;
	return memmap_gpa(&m->mem, pa, len);
}

unsigned machine_code_at(const struct machine *m, const struct kvm_sregs *sregs,
			 uint64_t rip, uint8_t *buf, unsigned len)
{
	/* Outside 64-bit code, RIP is an offset into CS, which has a base
	 * (SDM Vol. 3A, 3.4.3), and linear addresses are 32 bits. */
	bool flat = (sregs->efer & X86_EFER_LMA) && sregs->cs.l;
	uint64_t at = flat ? rip : (sregs->cs.base + rip) & 0xffffffff;
	unsigned n;

	for (n = 0; n < len; n++) {
		const uint8_t *p = machine_guest_ptr(m, sregs, flat ? at + n :
						     (at + n) & 0xffffffff, 1);

		if (!p)
			break;
		buf[n] = *p;
	}
	return n;
}

int machine_map_all_ram(struct machine *m, struct error *err)
{
	unsigned i;

	for (i = 0; i < m->mem.nr_chunks; i++)
		if (map_chunk(m, i, err) < 0)
			return -1;
	return 0;
}
