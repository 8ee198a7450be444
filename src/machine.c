/* SPDX-License-Identifier: MIT */
/*
 * Building and tearing down a machine.  The order of machine_create is the
 * order a learner should read: guest memory and what kvmrun puts in it
 * first (none of it needs KVM), then the VM, its memory slots, the vCPU
 * and its registers, then the devices.
 */
#include "machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdt.h"
#include "kvmrun/abi.h"
#include "load/multiboot.h"
#include "observe/narrate.h"
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
		return error_errno(err, errno, "cannot map %llu bytes of guest RAM",
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
		 * written at once: one call beats a fault per page (Linux
		 * 5.14 and later; docs/internals.md, "Memory slots"). */
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
	case MEM_KIND_INPUT: return KVMRUN_MEM_INPUT;
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
		return error_set(err, "boot info: too many memory regions");
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
		return error_set(err, "boot info is outside RAM");
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
	    snapport_register(&m->dev.pio, &m->dev.snapport, err) < 0 ||
	    testdev_register(&m->dev.mmio, &m->dev.testdev, err) < 0)
		return -1;
	return 0;
}

/* Every --dump-mem range must be RAM: say so before the run, not after. */
static int check_dumps(const struct machine *m, struct error *err)
{
	unsigned i;

	for (i = 0; i < m->cfg->nr_dumps; i++) {
		const struct mem_dump *d = &m->cfg->dumps[i];

		if (!memmap_is_ram(&m->vm.mem, d->addr, d->len))
			return error_set(err, "--dump-mem %s is not inside guest RAM "
				       "(RAM ends at %#llx)", d->arg ? d->arg : "?",
				       (unsigned long long)memmap_ram_end(&m->vm.mem));
	}
	return 0;
}

/* In real mode, SS:SP = 0000:7c00: the stack grows down below where a
 * boot sector goes, as BIOSes leave it. */
#define REAL_MODE_SP            0x7c00

/*
 * The start mode: --mode, or 32-bit protected mode for a multiboot kernel.
 * What it allows: an entry it can reach, an image it can run.
 */
static int check_mode(struct machine *m, struct error *err)
{
	const struct config *cfg = m->cfg;
	uint64_t entry = cfg->entry_set ? cfg->entry : m->vm.image.entry;
	bool multiboot = strcmp(m->vm.image.format, "multiboot") == 0;

	m->vm.mode = multiboot ? MODE_PROTECTED : cfg->mode;
	if (multiboot && cfg->mode_set && cfg->mode != MODE_PROTECTED)
		return error_set(err, "image %s is a multiboot kernel, which starts in "
				 "protected mode (--mode %s does not apply)", cfg->image,
				 cfg->mode == MODE_REAL ? "real" : "long");
	if (!multiboot && cfg->mode != MODE_LONG && strcmp(m->vm.image.format, "flat") != 0)
		return error_set(err, "--mode %s is for flat images: image %s is an ELF64 "
				 "executable, which starts in long mode",
				 cfg->mode == MODE_REAL ? "real" : "protected", cfg->image);
	if (multiboot && cfg->ring == RING_3)
		return error_set(err, "--ring 3 needs long mode: image %s is a multiboot "
				 "kernel, which starts in protected mode at ring 0", cfg->image);
	if (multiboot && cfg->trace_insns)
		return error_set(err, "--trace insns needs long mode: image %s is a "
				 "multiboot kernel, which starts in protected mode", cfg->image);
	if (m->vm.mode == MODE_REAL && m->vm.image.addr + m->vm.image.size > 0x100000)
		return error_set(err, "image %s ends at %#llx, above 1 MiB, beyond real "
				 "mode's reach (--mode real)", cfg->image,
				 (unsigned long long)(m->vm.image.addr + m->vm.image.size));
	if (m->vm.mode == MODE_REAL && entry >= 0x100000)
		return error_set(err, "entry address %#llx is above 1 MiB, beyond real "
				 "mode's reach (--mode real: --load or -e below 0x100000)",
				 (unsigned long long)entry);
	if (m->vm.mode == MODE_PROTECTED && entry >= 0x100000000ULL)
		return error_set(err, "entry address %#llx is above 4 GiB, beyond 32-bit "
				 "protected mode's reach", (unsigned long long)entry);
	return 0;
}

/*
 * kvmrun's tables for the start mode: long mode gets the page tables, the
 * GDT, the supervisor's IDT and stubs and the boot information; protected
 * mode a 32-bit GDT and the boot information; real mode nothing.
 */
static int write_tables(struct machine *m, struct error *err)
{
	switch (m->vm.mode) {
	case MODE_LONG:
		/* Ring 3 needs user-accessible pages; --ring 0 keeps them
		 * supervisor. */
		return paging_build(&m->vm.mem, m->cfg->ring == RING_0 ? 0 : PTE_US, err) < 0 ||
		       gdt_write(&m->vm.mem, err) < 0 ||
		       supervisor_write(&m->vm.mem, err) < 0 ||
		       write_bootinfo(m, err) < 0 ? -1 : 0;
	case MODE_PROTECTED:
		/* A multiboot kernel gets its information structure instead
		 * of kvmrun's boot info (the loader wrote it). */
		return gdt_write_protected(&m->vm.mem, err) < 0 ||
		       (!m->vm.image.multiboot_info && write_bootinfo(m, err) < 0) ? -1 : 0;
	case MODE_REAL:
		break;
	}
	return 0;
}

int machine_create(struct machine *m, const struct config *cfg,
		   const struct machine_io *io, struct error *err)
{
	FILE *narrate = NULL, *ioctls_out = NULL;
	char *ioctls = NULL;            /* -v: the setup's ioctl lines */
	size_t ioctls_len = 0;

	memset(m, 0, sizeof(*m));
	m->cfg = cfg;
	gdb_init(&m->gdb);
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
		error_set(err, "out of memory for the console buffers");
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
	/* Real mode has no use for kvmrun's tables: all low RAM is the
	 * guest's, so a boot sector can go to 0x7c00. */
	if (cfg->mode == MODE_REAL)
		memmap_clear_regions(&m->vm.mem);
	struct load_request req = {
		.format = cfg->format, .load = cfg->load_addr, .load_set = cfg->load_set,
		.append = cfg->append, .modules = cfg->modules, .nr_modules = cfg->nr_modules,
		.hash = cfg->report != NULL,
	};
	if (io->image_data ?
	    loader_bytes(&m->vm.mem, io->image_data, io->image_size, "(standard input)",
			 &req, &m->vm.image, err) < 0 :
	    loader_file(&m->vm.mem, cfg->image, &req, &m->vm.image, err) < 0)
		goto fail;
	if (check_mode(m, err) < 0)
		goto fail;
	m->vm.cpl = cfg->ring == RING_0 || m->vm.mode != MODE_LONG ? 0 : 3;
	m->vm.entry = (struct cpu_entry){
		.mode = m->vm.mode,
		.rip = cfg->entry_set ? cfg->entry : m->vm.image.entry,
		.rsp = m->vm.mode == MODE_REAL ? REAL_MODE_SP : KVMRUN_STACK_TOP,
		.rdi = m->vm.mode == MODE_REAL || m->vm.image.multiboot_info ? 0 :
		       KVMRUN_BOOTINFO_ADDR,
		/* Multiboot: EAX says who booted it, EBX where its information is. */
		.rax = m->vm.image.multiboot_info ? MULTIBOOT_BOOTLOADER_MAGIC : 0,
		.rbx = m->vm.image.multiboot_info,
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
		error_set(err, "entry address %#llx is outside guest RAM (RAM ends at %#llx)",
			(unsigned long long)m->vm.entry.rip,
			(unsigned long long)memmap_ram_end(&m->vm.mem));
		goto fail;
	}
	/* --input: room for the largest input at the top of low RAM, which
	 * the boot info marks as not free. */
	if (cfg->input_max) {
		uint64_t size = (cfg->input_max + 4095) & ~4095ULL;
		uint64_t low = m->vm.mem.slots[0].size;

		if (size >= low || memmap_add(&m->vm.mem, low - size, size, MEM_KIND_INPUT,
					      "input", err) < 0) {
			if (size >= low)
				error_set(err, "--input: the largest input (%llu bytes) does not fit "
					  "in guest RAM (--mem)", (unsigned long long)cfg->input_max);
			goto fail;
		}
		m->vm.input_gpa = low - size;
	}
	if (write_tables(m, err) < 0)
		goto fail;

	/*
	 * The VM: KVM, memory slots, the vCPU and its registers.  With -v,
	 * the ioctls' lines are collected, to be told with what each one set
	 * up (narrate.h); straight out if there is no memory for that.
	 */
	if (narrate)
		ioctls_out = open_memstream(&ioctls, &ioctls_len);
	m->vm.kvm.explain = ioctls_out ? ioctls_out : narrate;
	if (kvm_open(&m->vm.kvm, cfg->kvm_device, err) < 0 ||
	    map_initial_ram(m, err) < 0 ||
	    kvm_create_vcpu(&m->vm.kvm, err) < 0 ||
	    cpu_setup(&m->vm.kvm, &m->vm.entry, cfg->cpuid_cache, &m->vm.cpu_info, err) < 0 ||
	    add_devices(m, err) < 0)
		goto fail;
	/* The TSC's frequency, for the guest's clock: known only now. */
	if (m->vm.entry.rdi) {
		struct kvmrun_bootinfo *bi = memmap_gpa(&m->vm.mem, KVMRUN_BOOTINFO_ADDR,
							sizeof(*bi));

		bi->tsc_khz = kvm_tsc_khz(&m->vm.kvm);
	}
	tier_init(m);                   /* ring3: tiering's policy */
	m->gdb.via_idt = cfg->gdb_via_idt;
	if (cfg->gdb && gdb_listen(&m->gdb, cfg->gdb, err) < 0)
		goto fail;

	m->vm.kvm.explain = narrate;    /* at run time: as they happen */
	/* (A memory stream's buffer holds what was written, even if the
	 * close finds no memory for more.) */
	if (ioctls_out)
		fclose(ioctls_out);
	if (narrate)
		narrate_setup(m, narrate, ioctls);      /* -v */
	free(ioctls);
	return 0;
fail:
	/* What was done before the failure, as it was done. */
	if (ioctls_out)
		fclose(ioctls_out);
	if (ioctls)
		fputs(ioctls, narrate);
	free(ioctls);
	m->vm.kvm.explain = NULL;
	machine_destroy(m);
	return -1;
}

void machine_destroy(struct machine *m)
{
	gdb_close(&m->gdb);
	/* Unregistering the zones first makes the close much cheaper. */
	coalesce_fini(&m->fast.coalesce);
	/*
	 * Guest RAM goes before the VM: KVM then destroys a VM whose memory
	 * is already gone, which is faster than the other way round
	 * (docs/internals.md, "Memory slots"), as it is when a process exits
	 * without closing anything.  No vCPU runs now.
	 */
	if (m->vm.mem.host)
		munmap(m->vm.mem.host, m->vm.mem.ram_size);
	m->vm.mem.host = NULL;
	kvm_close(&m->vm.kvm);
	output_close(&m->out);
}
