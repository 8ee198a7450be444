/* SPDX-License-Identifier: MIT */
/*
 * The run loop: enter the guest with KVM_RUN, hand each port-I/O and MMIO
 * exit to its bus, and turn every other way out of KVM_RUN into a named
 * ending (KVM API document, "KVM_RUN" and "struct kvm_run").
 *
 * What is optional enters the loop at named points, one call each: the
 * observers (observe_*: counters, --trace), the ring-3 supervisor (trap_*,
 * and tier_*: which ring is faster for what the guest does now),
 * coalesced console writes (coalesce_*) and RAM given to KVM on first
 * touch (lazy_ram_*).  Output never blocks the loop: before each exit it
 * makes room in the output queues (output.h), waiting for a slow reader
 * only as long as the deadline and signals allow (clock.h).
 */
#include "run.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "clock.h"
#include "kvmrun/abi.h"
#include "observe/observe.h"
#include "debug/gdb.h"
#include "ring3/tier.h"
#include "ring3/trap.h"
#include "speedups/snapshot.h"

/*
 * Before the guest runs again, or a device is handed more: room in every
 * output queue for what one exit writes, and a bulk write queued by
 * reference written out and finished.  Returns 1 if the run ended.
 */
static int make_room(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct output_stop why;

	if (output_make_room(&m->out, clk, &why))
		return ending_output_stop(res, &why, m->out.console.out_error);
	bulk_write_finish(&m->dev.bulk);
	return 0;
}

/* Write what stdout takes now, without waiting; 1 if writing failed and
 * so ended the run. */
static int push_stdout(struct machine *m, struct run_result *res)
{
	int r = console_push(&m->out.console);

	return r < 0 && r != -EAGAIN ? ending_errno(res, r, m->out.console.out_error) : 0;
}

/* After any exit: did a device or --strict end the run? */
static int check_stop(struct machine *m, struct run_result *res)
{
	return ending_check_stop(res, &m->dev.stop, &m->obs.strict);
}

/* One access handed to a bus; what the device had to say is said next. */
static int dispatch(struct machine *m, struct run_result *res, struct bus *bus,
		    uint64_t addr, bool write, uint8_t *data, unsigned size)
{
	int r = bus_dispatch(bus, addr, write, data, size);

	if (r < 0)
		return ending_errno(res, r, m->out.console.out_error);
	output_say_notes(&m->out);
	return 0;
}

/*
 * KVM_EXIT_IO: each element of a string instruction in turn, to the port
 * bus, with room in the output queues before each.  Returns 1 when the
 * run has ended.
 */
static int handle_io(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct kvm_run *run = m->vm.kvm.run;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	struct error err;
	uint8_t *data = kvm_io_data(&m->vm.kvm, &err);
	uint32_t i;

	if (!data)
		return ending_host(res, &err);
	m->obs.stats.exits[out ? EXIT_IO_OUT : EXIT_IO_IN]++;
	res->last_io_size = run->io.size;
	trap_io_step(m);                        /* ring3: --trace insns */
	if (out)                                /* speedups */
		coalesce_port_exit(&m->fast.coalesce, run->io.port, run->io.size);
	for (i = 0; i < run->io.count; i++) {
		if (make_room(m, clk, res))
			return 1;
		stats_access(&m->obs.stats, IO_SPACE_PORT, run->io.port, out);
		if (dispatch(m, res, &m->dev.pio, run->io.port, out,
			     data + (uint64_t)i * run->io.size, run->io.size))
			return 1;
	}
	observe_io_served(m, data);             /* --trace exits */
	return 0;
}

/* KVM_EXIT_MMIO: to the MMIO bus.  Returns 1 when the run has ended. */
static int handle_mmio(struct machine *m, struct run_result *res)
{
	struct kvm_run *run = m->vm.kvm.run;
	struct error err;

	if (kvm_mmio_check(&m->vm.kvm, &err) < 0)
		return ending_host(res, &err);
	if (memmap_is_ram(&m->vm.mem, run->mmio.phys_addr, run->mmio.len)) {
		/* speedups: RAM that KVM does not have yet */
		observe_exit(m, EXIT_FIRST_TOUCH, "(RAM given to KVM on first touch)");
		return lazy_ram_first_touch(&m->fast.ram, run, &err) < 0 ?
		       ending_host(res, &err) : 0;
	}
	trap_io_step(m);                        /* ring3: --trace insns */
	stats_access(&m->obs.stats, IO_SPACE_MMIO, run->mmio.phys_addr, run->mmio.is_write);
	m->obs.stats.exits[run->mmio.is_write ? EXIT_MMIO_WRITE : EXIT_MMIO_READ]++;
	if (dispatch(m, res, &m->dev.mmio, run->mmio.phys_addr, run->mmio.is_write,
		     run->mmio.data, run->mmio.len))
		return 1;
	observe_mmio_served(m);                 /* --trace exits */
	return 0;
}

/*
 * KVM_EXIT_HLT.  First of all, the guest halted: the run is over.  Only
 * when RIP is in one of the ring-3 supervisor's stubs (supervisor.h) did
 * the guest not halt itself: an exception, a hlt at CPL3 or an instruction
 * that needs ring 0 came there, and trap.c says what it means.
 */
static int handle_hlt(struct machine *m, struct run_result *res)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct exc_frame frame;
	struct error err;
	int r;

	if (m->step.on)
		output_start_trace_line(&m->out);
	else                    /* single steps are traced as insns */
		observe_exit(m, EXIT_HLT, NULL);
	if (cpu_get(&m->vm.kvm, &regs, &sregs, &err) < 0)
		return ending_host(res, &err);
	if (!trap_in_stub(m, &regs, &sregs, &frame)) {
		trap_halted(m, &sregs);                 /* ring3: --trace insns */
		res->have_regs = true;
		res->regs = regs;
		res->sregs = sregs;
		return ending_set(res, RUN_END_HLT, 0);
	}
	r = trap_stub(m, res, &frame, &regs, &sregs, &err);
	return r < 0 ? ending_host(res, &err) : r;
}

/*
 * Hand the port writes KVM queued in the coalesced ring (instead of
 * exiting) to the bus, oldest first.  Called before anything else after
 * every KVM_RUN, so output keeps the order the guest wrote it in.
 * Returns 1 if the run has ended (a device failed or asked to stop).
 */
static int drain_coalesced(struct machine *m, struct run_clock *clk,
			   struct run_result *res)
{
	struct coalesced_write w;

	while (coalesce_next(&m->fast.coalesce, &w)) {
		m->obs.stats.exits[EXIT_COALESCED]++;
		stats_access(&m->obs.stats, w.pio ? IO_SPACE_PORT : IO_SPACE_MMIO, w.addr, true);
		observe_coalesced(m, &w);               /* --trace exits */
		if (make_room(m, clk, res) ||
		    dispatch(m, res, w.pio ? &m->dev.pio : &m->dev.mmio, w.addr, true,
			     w.data, w.len) ||
		    check_stop(m, res))
			return 1;
	}
	return 0;
}

/*
 * KVM_RUN was interrupted by a signal: end the run, or go on (0).  An
 * interruption that was only kvmrun's own tick is counted but not traced:
 * it is not the guest's doing, and how many come depends on the host's
 * speed.  Every other one is traced, as is a tick that ends the run.
 */
static int handle_signals(struct machine *m, struct run_clock *clk,
			  struct run_result *res)
{
	bool ticked;
	int sig = clock_take_signal(clk, &ticked), ended;

	if (sig || clock_expired(clk)) {
		observe_exit(m, EXIT_INTR, "(KVM_RUN interrupted by a signal)");
		return sig ? ending_signal(res, sig) :
		       ending_set(res, RUN_END_TIMEOUT, KVMRUN_STATUS_TIMEOUT);
	}
	/* The tick: move output along, without waiting for stdout. */
	ended = push_stdout(m, res);
	if (ticked && !ended) {
		m->obs.stats.exits[EXIT_INTR]++;
		return 0;
	}
	observe_exit(m, EXIT_INTR, "(KVM_RUN interrupted by a signal)");
	return ended;
}

/*
 * The guest wrote the snapshot port: under --repeat, the first time, the
 * snapshot moves here, past the `out` (the exit is completed first), so
 * that every later run starts from this point.  Returns 1 if that failed
 * and so ended the run.
 */
static int snapshot_point(struct machine *m, struct run_result *res)
{
	struct snapshot fresh;
	struct error err = { "" };

	m->dev.snapport.requested = false;
	if (!m->repeat.snap || m->repeat.moved_by_guest)
		return 0;
	/* At CPL0 only for speed (tiering): the snapshot must have the guest
	 * in the ring a fresh run has it in. */
	if (tier_back_to_ring3(m, &err) < 0)
		return ending_host(res, &err);
	if (snapshot_take(m, &fresh, &err) < 0) {
		snapshot_fini(&fresh);
		return ending_host(res, &err);
	}
	snapshot_fini(m->repeat.snap);
	*m->repeat.snap = fresh;
	m->repeat.moved_by_guest = true;
	/* The first run finds its --sets line here too, as later ones will. */
	if (m->repeat.run_sets && cpu_set_gprs(&m->vm.kvm, m->repeat.run_sets,
					       m->repeat.nr_run_sets, &err) < 0)
		return ending_host(res, &err);
	if (m->cfg->verbose)
		output_note(&m->out, "kvmrun: snapshot taken where the guest asked (port "
			    "0xf8): later runs start here\n");
	return 0;
}

/* Serve one exit.  Returns 1 when the run has ended, 0 to go on. */
static int handle_exit(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct kvm_run *run = m->vm.kvm.run;
	struct error err;

	res->exit_reason = run->exit_reason;
	if (run->exit_reason != KVM_EXIT_SHUTDOWN)     /* AMD: reset state then */
		observe_system_state(m);        /* -v */
	if (run->exit_reason != KVM_EXIT_DEBUG && gdb_keep_stepping(m, res))
		return 1;                       /* --gdb, stepping to breakpoints */
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (handle_io(m, clk, res))
			return 1;
		break;
	case KVM_EXIT_MMIO:
		if (handle_mmio(m, res))
			return 1;
		break;
	case KVM_EXIT_HLT:
		if (handle_hlt(m, res))
			return 1;
		break;
	case KVM_EXIT_SHUTDOWN:         /* a triple fault */
		observe_exit(m, EXIT_OTHER, "KVM_EXIT_SHUTDOWN");
		return ending_set(res, RUN_END_SHUTDOWN, KVMRUN_STATUS_CRASH);
	case KVM_EXIT_FAIL_ENTRY:
		observe_exit(m, EXIT_OTHER, "KVM_EXIT_FAIL_ENTRY");
		res->hw_reason = run->fail_entry.hardware_entry_failure_reason;
		return ending_set(res, RUN_END_FAIL_ENTRY, KVMRUN_STATUS_CRASH);
	case KVM_EXIT_INTERNAL_ERROR:
		if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
		    lazy_ram_for_emulation(&m->fast.ram)) {
			observe_exit(m, EXIT_FIRST_TOUCH, "(RAM given to KVM on first touch)");
			break;          /* retry now that KVM has the code's RAM */
		}
		observe_exit(m, EXIT_OTHER, "KVM_EXIT_INTERNAL_ERROR");
		res->suberror = run->internal.suberror;
		return ending_set(res, RUN_END_INTERNAL_ERROR, KVMRUN_STATUS_CRASH);
	case KVM_EXIT_INTR:
		observe_exit(m, EXIT_INTR, NULL);
		break;
	case KVM_EXIT_DEBUG:            /* --gdb, or --trace insns by KVM */
		observe_exit(m, EXIT_OTHER, "KVM_EXIT_DEBUG");
		if (m->step.by_kvm ? trap_kvm_stepped(m, res) : gdb_debug_exit(m, res))
			return 1;
		break;
	default:
		observe_exit(m, EXIT_OTHER, kvm_exit_name(run->exit_reason));
		return ending_set(res, RUN_END_UNHANDLED_EXIT, KVMRUN_STATUS_CRASH);
	}
	if (check_stop(m, res))
		return 1;
	/* Exits the guest asked for only: kvmrun's own timer interruptions
	 * and RAM handed to KVM on first touch (at most one per chunk) do
	 * not count, so the limit does not depend on how RAM is chunked. */
	if (m->cfg->max_exits &&
	    res->exits - (m->obs.stats.exits[EXIT_INTR] + m->obs.stats.exits[EXIT_FIRST_TOUCH] -
			  res->uncounted_before) >= m->cfg->max_exits)
		return ending_set(res, RUN_END_MAX_EXITS, KVMRUN_STATUS_TIMEOUT);
	if (m->obs.tracer.error) {
		error_errno(&res->host_error, m->obs.tracer.error, "--trace-file %s: "
			  "cannot write the trace", m->cfg->trace_file ?
			  m->cfg->trace_file : "(stderr)");
		return ending_set(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
	}
	/* --repeat: the guest's snapshot point (dev/snapport.h). */
	if (m->dev.snapport.requested && snapshot_point(m, res))
		return 1;
	/* --gdb: on kvm_pvm a step that exited ends at the exit. */
	if ((run->exit_reason == KVM_EXIT_IO || run->exit_reason == KVM_EXIT_MMIO) &&
	    gdb_stepped_by_exit(m, res))
		return 1;
	/* ring3: tiering looks at exits the guest made for its devices. */
	if ((run->exit_reason == KVM_EXIT_IO ||
	     (run->exit_reason == KVM_EXIT_MMIO &&
	      !memmap_is_ram(&m->vm.mem, run->mmio.phys_addr, run->mmio.len))) &&
	    tier_after_exit(m, &err) < 0)
		return ending_host(res, &err);
	return 0;
}

void run_machine(struct machine *m, struct run_result *res, struct error *err)
{
	struct run_clock clk;
	struct output_drain drained;
	int done = 0;

	memset(res, 0, sizeof(*res));
	memset(&m->obs.strict, 0, sizeof(m->obs.strict));      /* --repeat: per run */
	observe_watch_start(m);                 /* -v: the system registers as set */
	res->end = RUN_END_HLT;
	res->start_cpl = m->vm.cpl;
	res->uncounted_before = m->obs.stats.exits[EXIT_INTR] +
				m->obs.stats.exits[EXIT_FIRST_TOUCH];
	tier_start(&m->tier);
	observe_unclaimed(m);
	clock_init(&clk, m->cfg->timeout_ns);
	/* kvmrun's own failures from here on end the run like any other
	 * ending, so that output is flushed and the run reported. */
	if (clock_vcpu_sigmask(&m->vm.kvm, err) < 0)
		done = ending_host(res, err);
	if (!done)                      /* --gdb: it may hold the guest */
		done = gdb_start(m, &clk, !m->cfg->gdb_no_wait, res);

	while (!done) {
		/* Room for what the next exit writes; on a terminal, output
		 * shows as it comes. */
		if (make_room(m, &clk, res))
			break;
		if (m->out.console.out_tty && console_pending(&m->out.console) &&
		    push_stdout(m, res))
			break;
		/* A tick when output may wait, coalesced writes among it. */
		if (clock_need(&clk, console_pending(&m->out.console) ||
			       m->fast.coalesce.ring,
			       m->gdb.listen_fd >= 0 ? GDB_POLL_NS : tier_tick_ns(m), err) < 0 &&
		    ending_host(res, err))
			break;

		int k = 0, e = 0;

		/* ring3: a tier move that found another exit waiting (tier.h)
		 * has it in kvm_run already: serve it, do not enter. */
		if (m->tier.exit_pending) {
			m->tier.exit_pending = false;
		} else {
			tier_entering(&m->tier);
			k = ioctl(m->vm.kvm.vcpu_fd, KVM_RUN, 0);
			e = errno;
			tier_exited(&m->tier);
		}

		res->exits++;
		if (drain_coalesced(m, &clk, res))      /* speedups */
			break;
		tier_drained(&m->tier, m->obs.stats.exits[EXIT_COALESCED]);
		if (k < 0 && e != EINTR && e != EAGAIN) {
			error_errno(&res->host_error, e, "KVM_RUN failed");
			ending_set(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
			break;
		}
		if (k < 0) {
			res->exit_reason = KVM_EXIT_INTR;
			done = handle_signals(m, &clk, res);
			if (!done && tier_after_tick(m, err) < 0)
				done = ending_host(res, err);
			if (!done)              /* --gdb: Ctrl-C, or gdb attaching */
				done = gdb_tick(m, res);
			continue;
		}
		done = handle_exit(m, &clk, res);
	}
	output_say_notes(&m->out);      /* the ones kept when the run ended */
	output_finish(&m->out, &clk, res->end == RUN_END_TIMEOUT || res->end == RUN_END_SIGNAL,
		      res->end == RUN_END_SIGNAL, &drained);
	ending_drained(res, &drained, m->out.console.out_error);
	bulk_write_finish(&m->dev.bulk);        /* if its bytes all went out */
	tier_end(m);
	res->cpl = m->vm.cpl;
	res->insns = m->step.insns;
	if (!res->have_regs)    /* trap_stub may have set them from a frame */
		res->have_regs = cpu_get(&m->vm.kvm, &res->regs, &res->sregs, err) == 0;
	gdb_finish(m, res, res->status);        /* a crash stops in gdb first */
	clock_fini(&clk);
}
