/* SPDX-License-Identifier: MIT */
#include "observe/report.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kvmrun/abi.h"
#include "observe/json.h"
#include "observe/outcome.h"
#include "paging.h"

#define REPORT_TOP      8       /* busiest ports and MMIO addresses listed */

static const char *ring_name(enum ring_mode ring)
{
	return ring == RING_0 ? "0" : ring == RING_3 ? "3" : "auto";
}

/* The image file as it was loaded; a file that was never loaded is never
 * read, and its size and digest are null. */
static void write_image(struct json *j, const struct config *cfg,
			const struct report_image *image)
{
	json_object_begin(j, "image");
	json_string(j, "path", cfg->image);
	if (image && image->sha256[0]) {
		json_u64(j, "size", image->size);
		json_string(j, "sha256", image->sha256);
	} else {
		json_null(j, "size");
		json_null(j, "sha256");
	}
	json_string(j, "format", image && image->sha256[0] ? image->format : NULL);
	json_object_end(j);
}

static void write_options(struct json *j, const struct config *cfg,
			  const struct machine *m)
{
	json_object_begin(j, "options");
	json_u64(j, "mem", cfg->mem_size);
	json_hex(j, "load", cfg->load_addr);
	if (m)
		json_hex(j, "entry", m->vm.entry.rip);
	else if (cfg->entry_set)
		json_hex(j, "entry", cfg->entry);
	else
		json_hex(j, "entry", cfg->load_addr);
	json_string(j, "ring", ring_name(cfg->ring));
	{
		/* The mode the guest started in: --mode, or a multiboot
		 * kernel's protected mode. */
		enum start_mode mode = m ? m->vm.mode : cfg->mode;

		json_string(j, "mode", mode == MODE_REAL ? "real" :
			    mode == MODE_PROTECTED ? "protected" : "long");
	}
	if (cfg->timeout_ns)
		json_double(j, "timeout_s", (double)cfg->timeout_ns / 1e9);
	else
		json_null(j, "timeout_s");
	json_bool(j, "strict", cfg->strict);
	json_bool(j, "cpuid_cache", cfg->cpuid_cache != NULL);
	json_u64(j, "max_exits", cfg->max_exits);
	json_u64(j, "max_insns", cfg->max_insns);
	json_u64(j, "max_output", cfg->max_output);
	json_array_begin(j, "set");
	for (unsigned i = 0; i < cfg->nr_sets; i++) {
		json_object_begin(j, NULL);
		json_string(j, "reg", cpu_gprs[cfg->sets[i].reg].name);
		json_hex(j, "value", cfg->sets[i].value);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void write_exception(struct json *j, const struct machine *m,
			    const struct run_result *res)
{
	const struct exc_frame *f = &res->exc;
	uint8_t code[16];
	unsigned n;
	char text[120];

	json_object_begin(j, "exception");
	json_u64(j, "vector", f->vector);
	json_string(j, "mnemonic", supervisor_exc_mnemonic(f->vector));
	json_string(j, "name", supervisor_exc_name(f->vector));
	if (f->has_error_code) {
		json_hex(j, "error_code", f->error_code);
		if (f->vector == EXC_PF)
			supervisor_describe_pf(exc_pf_error_code(f->error_code, res->sregs.cr2,
							  f->rip, res->sregs.efer & X86_EFER_NXE),
					text, sizeof(text));
		else
			supervisor_describe_selector(f->error_code, text, sizeof(text));
		json_string(j, "error", text);
	} else {
		json_null(j, "error_code");
		json_null(j, "error");
	}
	if (f->vector == EXC_PF)
		json_hex(j, "cr2", res->sregs.cr2);
	else
		json_null(j, "cr2");
	json_hex(j, "rip", f->rip);
	json_u64(j, "ring", f->cs & 3);
	n = paging_code_at(&m->vm.mem, &res->sregs, f->rip, code, sizeof(code));
	{
		char hex[2 * sizeof(code) + 1];

		for (unsigned i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", code[i]);
		hex[2 * n] = '\0';
		json_string(j, "code", hex);
	}
	json_bool(j, "stack_overflow", outcome_stack_overflow(res));
	if (res->end == RUN_END_PRIVILEGED || res->end == RUN_END_RING_MOVE)
		json_string(j, "instruction", res->insn);
	json_object_end(j);
}

static void write_end(struct json *j, const struct machine *m,
		      const struct run_result *res, int status, const char *message)
{
	/* Without a run, a status past 128 is a signal during the setup. */
	int signo = res ? (res->end == RUN_END_SIGNAL ? res->signo : 0) :
		    status > KVMRUN_STATUS_SIGNAL ? status - KVMRUN_STATUS_SIGNAL : 0;
	char name[16];

	json_object_begin(j, "end");
	json_string(j, "reason", res ? ending_name(res->end) :
		    signo ? "signal" : "setup_failed");
	json_i64(j, "status", status);
	json_string(j, "message", message);
	if (res && res->end == RUN_END_EXIT_DEVICE)
		json_hex(j, "exit_value", res->exit_value);
	else
		json_null(j, "exit_value");
	if (signo)
		json_string(j, "signal", outcome_signal_name(signo, name));
	else
		json_null(j, "signal");
	if (res && (res->end == RUN_END_EXCEPTION || res->end == RUN_END_PRIVILEGED ||
		    res->end == RUN_END_RING_MOVE))
		write_exception(j, m, res);
	else
		json_null(j, "exception");
	if (res)
		json_string(j, "kvm_exit", kvm_exit_name(res->exit_reason));
	else
		json_null(j, "kvm_exit");
	json_object_end(j);
}

static void write_segment(struct json *j, const char *name,
			  const struct kvm_segment *s)
{
	json_object_begin(j, name);
	json_hex(j, "selector", s->selector);
	json_hex(j, "base", s->base);
	json_hex(j, "limit", s->limit);
	json_u64(j, "type", s->type);
	json_u64(j, "dpl", s->dpl);
	json_bool(j, "present", s->present);
	json_bool(j, "long", s->l);
	json_bool(j, "db", s->db);
	json_bool(j, "granularity", s->g);
	json_bool(j, "unusable", s->unusable);
	json_object_end(j);
}

static void write_registers(struct json *j, const struct run_result *res)
{
	const struct kvm_sregs *s = &res->sregs;

	if (!res->have_regs) {
		json_null(j, "registers");
		return;
	}
	json_object_begin(j, "registers");
	for (unsigned i = 0; i < CPU_NR_GPRS; i++)
		json_hex(j, cpu_gprs[i].name, cpu_gpr_get(&res->regs, i));
	json_hex(j, "rip", res->regs.rip);
	json_hex(j, "rflags", res->regs.rflags);
	json_hex(j, "cr0", s->cr0);
	json_hex(j, "cr2", s->cr2);
	json_hex(j, "cr3", s->cr3);
	json_hex(j, "cr4", s->cr4);
	json_hex(j, "cr8", s->cr8);
	json_hex(j, "efer", s->efer);
	json_object_begin(j, "segments");
	write_segment(j, "cs", &s->cs);
	write_segment(j, "ss", &s->ss);
	write_segment(j, "ds", &s->ds);
	write_segment(j, "es", &s->es);
	write_segment(j, "fs", &s->fs);
	write_segment(j, "gs", &s->gs);
	write_segment(j, "tr", &s->tr);
	write_segment(j, "ldt", &s->ldt);
	json_object_end(j);
	json_object_begin(j, "gdt");
	json_hex(j, "base", s->gdt.base);
	json_hex(j, "limit", s->gdt.limit);
	json_object_end(j);
	json_object_begin(j, "idt");
	json_hex(j, "base", s->idt.base);
	json_hex(j, "limit", s->idt.limit);
	json_object_end(j);
	json_object_end(j);
}

static void write_top(struct json *j, const char *key, const struct stats *st,
		      enum io_space space)
{
	const struct addr_count *top[REPORT_TOP];
	unsigned n = stats_top(st, space, top, REPORT_TOP);

	json_array_begin(j, key);
	for (unsigned i = 0; i < n; i++) {
		json_object_begin(j, NULL);
		json_hex(j, space == IO_SPACE_PORT ? "port" : "addr", top[i]->addr);
		json_u64(j, "reads", top[i]->reads);
		json_u64(j, "writes", top[i]->writes);
		json_object_end(j);
	}
	json_array_end(j);
}

/* Tiering (ring3/tier.h): whether it was on, the moves, time per ring. */
static void write_tiering(struct json *j, const struct tier *t)
{
	json_bool(j, "tiering", t->policy.on);
	json_string(j, "tiering_off", t->policy.off_why);
	json_u64(j, "to_ring0_for_speed", t->to_ring0);
	json_u64(j, "to_ring3", t->to_ring3);
	json_string(j, "stays_in_ring0", t->pinned);
	json_object_begin(j, "time_us");
	json_u64(j, "ring0", t->ns_in[0] / 1000);
	json_u64(j, "ring3", t->ns_in[1] / 1000);
	json_object_end(j);
}

/* --repeat: the totals and each run's ending (null for a single run). */
static void write_repeat(struct json *j, const struct machine *m)
{
	const struct machine_repeat *r = &m->repeat;

	if (!r->runs) {
		json_null(j, "repeat");
		return;
	}
	json_object_begin(j, "repeat");
	json_u64(j, "runs", r->runs);
	json_double(j, "runs_per_s", (double)r->runs * 1e6 /
		    (double)(r->total_us ? r->total_us : 1));
	json_object_begin(j, "reset_us");
	json_u64(j, "median", r->reset_median_us);
	json_u64(j, "p99", r->reset_p99_us);
	json_object_end(j);
	json_object_begin(j, "dirty_pages");    /* dropped per reset */
	json_u64(j, "median", r->dirty_median);
	json_u64(j, "max", r->dirty_max);
	json_u64(j, "total", r->dirty_total);
	json_object_end(j);
	json_array_begin(j, "results");
	for (uint64_t i = 0; i < r->nr_results; i++) {
		json_object_begin(j, NULL);
		json_string(j, "reason", ending_name(r->results[i].end));
		json_i64(j, "status", r->results[i].status);
		json_u64(j, "exits", r->results[i].exits);
		json_u64(j, "time_us", r->results[i].us);
		if (r->results[i].reset)
			json_u64(j, "dirty_pages", r->results[i].dirty_pages);
		else
			json_null(j, "dirty_pages");    /* the last run: no reset */
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void write_activity(struct json *j, const struct machine *m,
			   const struct run_result *res)
{
	char name[16];
	json_object_begin(j, "ring");
	json_u64(j, "start", res->start_cpl);
	json_u64(j, "end", res->cpl);
	if (res->switched) {
		json_hex(j, "moved_to_ring0_at", res->switch_rip);
		json_string(j, "moved_for", res->switch_insn);
	} else {
		json_null(j, "moved_to_ring0_at");
		json_null(j, "moved_for");
	}
	write_tiering(j, &m->tier);
	json_object_end(j);

	json_object_begin(j, "cpuid");
	json_u64(j, "offered", m->vm.cpu_info.cpuid_offered);
	json_u64(j, "leaves", m->vm.cpu_info.cpuid_entries);
	json_string(j, "source", m->vm.cpu_info.cpuid_source == CPUID_FROM_CACHE ?
		    "cache" : "kvm");
	json_string(j, "cache_off", m->cfg->cpuid_cache ? NULL :
		    m->cfg->cpuid_cache_off ? m->cfg->cpuid_cache_off : "--no-cpuid-cache");
	json_object_end(j);

	json_object_begin(j, "exits");
	json_u64(j, "total", res->exits);
	json_object_begin(j, "by_kind");
	for (unsigned k = 0; k < EXIT_KINDS; k++)
		json_u64(j, stats_exit_kind_name((enum exit_kind)k), m->obs.stats.exits[k]);
	json_object_end(j);
	json_object_end(j);
	write_top(j, "top_ports", &m->obs.stats, IO_SPACE_PORT);
	write_top(j, "top_mmio", &m->obs.stats, IO_SPACE_MMIO);
	json_object_begin(j, "unclaimed");
	json_u64(j, "accesses", m->obs.unclaimed.total);
	json_u64(j, "addresses", m->obs.unclaimed.nr);
	json_object_end(j);
	json_object_begin(j, "output");
	json_u64(j, "bytes", m->out.console.queued);
	json_u64(j, "stdin_bytes_read", m->out.console.bytes_in);
	json_u64(j, "bulk_writes", m->dev.bulk.calls);
	/* Bytes the guest wrote that stdout never took (README: Endings and output). */
	json_u64(j, "unwritten", res->output_unwritten);
	json_u64(j, "drain_wait_s", res->drain_wait_s);
	json_bool(j, "drain_timed_out", res->drain_timed_out);
	if (res->drain_signal)
		json_string(j, "drain_signal", outcome_signal_name(res->drain_signal, name));
	else
		json_null(j, "drain_signal");
	json_object_end(j);
	if (m->cfg->trace_insns)
		json_u64(j, "instructions_traced", res->insns);
	else
		json_null(j, "instructions_traced");
	write_repeat(j, m);
}

int report_write(FILE *out, const struct config *cfg, const struct machine *m,
		 const struct report_image *image, const struct run_result *res,
		 int status, const struct report_times *t, const char *message)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_u64(&j, "format", REPORT_FORMAT);
	json_string(&j, "kvmrun", KVMRUN_VERSION);
	write_image(&j, cfg, image);
	write_options(&j, cfg, m);
	write_end(&j, m, res, status, message);
	if (res) {
		write_registers(&j, res);
		write_activity(&j, m, res);
	} else {
		/* The run never started: the same keys, empty. */
		static const char *const keys[] = {
			"registers", "ring", "cpuid", "exits", "top_ports", "top_mmio",
			"unclaimed", "output", "instructions_traced", "repeat",
		};

		for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			json_null(&j, keys[i]);
	}
	json_object_begin(&j, "timing_us");
	json_u64(&j, "setup", t->setup_us);
	json_u64(&j, "run", t->run_us);
	json_u64(&j, "total", t->total_us);
	json_object_end(&j);
	json_object_end(&j);
	if (json_finish(&j) < 0 || fflush(out) != 0)
		return -1;
	return 0;
}
