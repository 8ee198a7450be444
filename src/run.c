/* SPDX-License-Identifier: MIT */
/*
 * The run loop: enter the guest with KVM_RUN, hand each port-I/O and MMIO
 * exit to its bus, and turn every other way out of KVM_RUN into a named
 * ending.  Signals are blocked while kvmrun itself runs and let through
 * only inside KVM_RUN (KVM_SET_SIGNAL_MASK), so a signal that arrives at
 * any moment either interrupts the guest or makes the next KVM_RUN return
 * at once: no race, no handler, no global state.
 */
#include "run.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "kvmrun/abi.h"
#include "ring3/trap.h"

#define TICK_NS                 (50 * 1000 * 1000)      /* 50 ms */
#define NS_PER_S                1000000000ULL

struct run_clock {
	timer_t timer;          /* SIGALRM at the next tick, or the deadline */
	bool have_timer;
	bool armed;
	uint64_t deadline;      /* CLOCK_MONOTONIC ns, 0: none */
};

/*
 * Every signal whose default action would end kvmrun without a word and
 * that can be caught, so that each of them flushes the guest's output and
 * ends the run with one line and 128 + N instead.  Not SIGPIPE (ignored: a
 * closed stdout shows up as EPIPE), nor the signals a fault raises (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT): blocking those would
 * hide kvmrun's own bugs.  SIGXFSZ blocked makes a write past the file size
 * limit fail with EFBIG, which ends the run the same way.
 */
void run_signals(sigset_t *set)
{
	static const int ends[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGXFSZ,
		SIGXCPU, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT,
	};
	unsigned i;
	int sig;

	sigemptyset(set);
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		sigaddset(set, ends[i]);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(set, sig);
	sigaddset(set, SIGALRM);        /* kvmrun's own timer */
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/*
 * Arm SIGALRM for the next tick, or the deadline if that comes first.  The
 * tick flushes output the guest wrote without exiting (coalesced writes)
 * or that sits in the buffer while the guest computes.
 */
static int clock_arm(struct run_clock *c, struct error *err)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM,
	};
	uint64_t t = now_ns() + TICK_NS;
	struct itimerspec its;

	if (!c->have_timer) {
		if (timer_create(CLOCK_MONOTONIC, &sev, &c->timer) < 0)
			return err_errno(err, errno, "timer_create failed");
		c->have_timer = true;
	}
	if (c->deadline && c->deadline < t)
		t = c->deadline;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(t / NS_PER_S);
	its.it_value.tv_nsec = (long)(t % NS_PER_S);
	if (timer_settime(c->timer, TIMER_ABSTIME, &its, NULL) < 0)
		return err_errno(err, errno, "timer_settime failed");
	c->armed = true;
	return 0;
}

/*
 * Before entering the guest: make sure a tick will come if anything may
 * need flushing later (buffered output, or coalesced writes the guest can
 * add without exiting) or a deadline is set.  A guest that never prints
 * and has no time limit costs no timer at all.
 */
static int clock_need(struct run_clock *c, const struct machine *m,
		      struct error *err)
{
	if (c->armed || (!c->deadline && !console_pending(&m->console) && !m->ring))
		return 0;
	return clock_arm(c, err);
}

/* The timer itself is made when first needed (clock_arm). */
static void clock_init(struct run_clock *c, uint64_t timeout_ns)
{
	memset(c, 0, sizeof(*c));
	if (timeout_ns)
		c->deadline = now_ns() + timeout_ns;
}

static void clock_fini(struct run_clock *c)
{
	if (c->have_timer)
		timer_delete(c->timer);
	c->have_timer = false;
}

static void end_run(struct run_result *res, enum run_end end, int status)
{
	res->end = end;
	res->status = status;
}

/* kvmrun itself failed mid-run (err says how): end with status 125. */
static void host_failed(struct run_result *res, const struct error *err)
{
	res->host_error = *err;
	end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
}

static void signal_ending(struct run_result *res, int sig)
{
	res->signo = sig;
	end_run(res, RUN_END_SIGNAL, KVMRUN_STATUS_SIGNAL + sig);
}

/*
 * A run-ending signal that is pending, or 0.  SIGALRM, kvmrun's own tick,
 * is taken too (the timer is then re-armed before the guest runs again)
 * but never returned: the caller looks at the clock itself.
 */
static int take_signal(struct run_clock *clk)
{
	const struct timespec zero = { 0, 0 };
	siginfo_t info;
	sigset_t set;
	int sig;

	run_signals(&set);
	while ((sig = sigtimedwait(&set, &info, &zero)) > 0) {
		/* kvmrun's timer says SI_TIMER; kill -ALRM does not. */
		if (sig != SIGALRM || info.si_code != SI_TIMER)
			return sig;
		clk->armed = false;
	}
	return 0;
}

/*
 * Something kvmrun says on stderr in the middle of a run: kept until the
 * guest output written before it is on stdout (run_say_notes), so that a
 * log of both (2>&1) reads in the order things happened.
 */
static void note(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	if (m->cfg->quiet || m->nr_notes == MACHINE_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nr_notes++], sizeof(m->notes[0]), fmt, ap);
	va_end(ap);
}

/* The unclaimed-access hook of both buses: count, report once, --strict. */
static int on_unclaimed(struct machine *m, enum io_space space,
			const struct bus_access *acc)
{
	struct run_result *res = m->result;
	struct kvm_regs regs;
	uint64_t value = acc->write ? bus_get_value(acc) : 0;
	uint64_t overflowed = m->unclaimed.other_accesses;
	bool first = unclaimed_record(&m->unclaimed, space, acc->addr, acc->write);

	if (m->cfg->strict) {
		if (res->strict_size)
			return 0;       /* the run ends at the first one */
		res->strict_space = space;
		res->strict_addr = acc->addr;
		res->strict_size = acc->size;
		res->strict_write = acc->write;
		res->strict_value = value;
		return 0;
	}
	if (overflowed == 0 && m->unclaimed.other_accesses == 1) {
		note(m, "kvmrun: more than %d unclaimed addresses; further ones "
		     "are only counted\n", UNCLAIMED_MAX);
		return 0;
	}
	if (!first || m->cfg->quiet)
		return 0;
	if (ioctl(m->kvm.vcpu_fd, KVM_GET_REGS, &regs) < 0)
		regs.rip = 0;
	if (acc->write)
		note(m, "kvmrun: unclaimed %s write: %s %#llx, %u byte%s, value %#llx, "
		     "rip %#llx (reported once, counted at the end)\n",
		     io_space_name(space), space == IO_SPACE_PORT ? "port" : "address",
		     (unsigned long long)acc->addr, acc->size, acc->size == 1 ? "" : "s",
		     (unsigned long long)value, (unsigned long long)regs.rip);
	else
		note(m, "kvmrun: unclaimed %s read: %s %#llx, %u byte%s, rip %#llx, "
		     "returned all ones (reported once, counted at the end)\n",
		     io_space_name(space), space == IO_SPACE_PORT ? "port" : "address",
		     (unsigned long long)acc->addr, acc->size, acc->size == 1 ? "" : "s",
		     (unsigned long long)regs.rip);
	return 0;
}

static int on_unclaimed_port(void *ctx, const struct bus_access *acc)
{
	return on_unclaimed(ctx, IO_SPACE_PORT, acc);
}

static int on_unclaimed_mmio(void *ctx, const struct bus_access *acc)
{
	return on_unclaimed(ctx, IO_SPACE_MMIO, acc);
}

/* Turn a device's or the console's negative errno into an ending. */
static void device_failed(struct machine *m, struct run_result *res, int r)
{
	if (r == -EPIPE) {
		end_run(res, RUN_END_OUTPUT_CLOSED, KVMRUN_STATUS_SIGNAL + SIGPIPE);
		return;
	}
	if (r == -EFBIG) {              /* past the file size limit (ulimit -f) */
		signal_ending(res, SIGXFSZ);
		return;
	}
	if (r == -EDQUOT) {
		end_run(res, RUN_END_MAX_OUTPUT, KVMRUN_STATUS_TIMEOUT);
		return;
	}
	err_errno(&res->host_error, -r, m->console.out_error ?
		  "cannot write guest output" : "a device failed");
	end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
}

/*
 * The queues a run writes to: the guest's stdout, and, when they go
 * elsewhere, kvmrun's stderr lines and the trace (machine.c, open_log).
 * Returns how many, at most 3, each once.
 */
static unsigned output_queues(struct machine *m, struct console **q)
{
	struct console *all[3] = { &m->console, m->log_con, m->trace_con };
	unsigned n = 0, i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < n && all[i] && q[j] != all[i]; j++)
			;
		if (all[i] && j == n)
			q[n++] = all[i];
	}
	return n;
}

/* A queue other than stdout failed: the trace, or stderr, which nobody
 * can then be told about. */
static void side_queue_failed(struct machine *m, struct console *con, int r)
{
	if (con == m->trace_con && !m->tracer.error)
		m->tracer.error = -r;
}

/* Wait for any of the queues to take more: at most until the deadline,
 * 50 ms at a time (a regular file never needs waiting for). */
static void wait_writable(struct console **q, unsigned n, uint64_t until)
{
	struct pollfd pfd[3];
	uint64_t now = now_ns(), ms = 50;
	unsigned i, k = 0;

	for (i = 0; i < n; i++)
		if (console_pending(q[i]) && console_poll_fd(q[i]) >= 0)
			pfd[k++] = (struct pollfd){ .fd = console_poll_fd(q[i]), .events = POLLOUT };
	if (!k)
		return;
	if (until && until > now && (until - now) / 1000000 < ms)
		ms = (until - now) / 1000000 + 1;
	(void)poll(pfd, k, (int)ms);    /* EINTR or a timeout: look again */
}

/*
 * Push every queue until none is busy, waiting for slow readers as long
 * as it takes, but never past the time limit or a run-ending signal.
 * Returns 0, or 1 if the run has ended (res says why).
 */
static int await_output(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct console *q[3];
	unsigned n = output_queues(m, q), i;

	for (;;) {
		bool busy = false;
		int sig;

		for (i = 0; i < n; i++) {
			int r = console_push(q[i]);

			if (r < 0 && r != -EAGAIN && q[i] == &m->console) {
				device_failed(m, res, r);
				return 1;
			}
			if (r < 0 && r != -EAGAIN)
				side_queue_failed(m, q[i], r);
			else if (console_busy(q[i]))
				busy = true;
		}
		if (!busy)
			return 0;
		if ((sig = take_signal(clk)) != 0) {
			signal_ending(res, sig);
			return 1;
		}
		if (clk->deadline && now_ns() >= clk->deadline) {
			end_run(res, RUN_END_TIMEOUT, KVMRUN_STATUS_TIMEOUT);
			return 1;
		}
		wait_writable(q, n, clk->deadline);
	}
}

/*
 * Before the guest runs again, or a device is handed more: room in every
 * queue for what one exit writes, and a bulk write queued by reference
 * written out and finished.  Returns 1 if the run ended meanwhile.
 */
static int make_room(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct console *q[3];
	unsigned n = output_queues(m, q), i;

	for (i = 0; i < n; i++)
		if (console_busy(q[i]) && await_output(m, clk, res))
			return 1;
	bulk_write_finish(&m->bulk);
	return 0;
}

/*
 * With stdout and stderr one file (2>&1), kvmrun's lines share the guest's
 * queue, in order; one starts a line of its own when the guest is in the
 * middle of one.
 */
void run_start_log_line(struct machine *m)
{
	if (m->log_is_stdout && m->console.last_in >= 0 && m->console.last_in != '\n')
		fputc('\n', m->log);
}

/* The notes kept since the last exit, queued on stderr. */
static void say_notes(struct machine *m)
{
	unsigned i;

	if (!m->nr_notes)
		return;
	run_start_log_line(m);
	for (i = 0; i < m->nr_notes; i++)
		fputs(m->notes[i], m->log);
	m->nr_notes = 0;
}

/* Before a trace line that shares the guest's queue. */
static void trace_line(struct machine *m)
{
	if (m->tracer.out == m->log)
		run_start_log_line(m);
}

/* The guest's RIP for the trace (a register ioctl: only when tracing). */
static bool trace_rip(struct machine *m, uint64_t *rip)
{
	struct kvm_regs regs;

	if (ioctl(m->kvm.vcpu_fd, KVM_GET_REGS, &regs) < 0)
		return false;
	*rip = regs.rip;
	return true;
}

static const char *device_at(const struct bus *bus, uint64_t addr)
{
	const struct bus_device *d = bus_find(bus, addr);

	return d ? d->name : NULL;
}

static void count_exit(struct machine *m, enum exit_kind kind, const char *note_text)
{
	m->stats.exits[kind]++;
	if (m->tracer.out && m->tracer.exits) {
		struct trace_exit e = { .kind = kind, .note = note_text };

		e.have_rip = trace_rip(m, &e.rip);
		trace_exit(&m->tracer, &e);
	}
}

static int check_stop(struct machine *m, struct run_result *res);

/*
 * KVM_EXIT_IO: each element of a string instruction in turn, to the port
 * bus.  Between elements the console must have room again, and what a
 * device had to say is said, so output and notes keep their order.
 * Returns 1 when the run has ended.
 */
static int handle_io(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct kvm_run *run = m->kvm.run;
	uint64_t bytes = (uint64_t)run->io.size * run->io.count;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t i;

	if (run->io.data_offset > m->kvm.run_size ||
	    bytes > m->kvm.run_size - run->io.data_offset) {
		err_set(&res->host_error, "KVM_EXIT_IO data lies outside kvm_run");
		end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
		return 1;
	}
	struct trace_exit e = {
		.kind = out ? EXIT_IO_OUT : EXIT_IO_IN, .addr = run->io.port,
		.size = run->io.size, .count = run->io.count, .data = data,
		.device = device_at(&m->pio, run->io.port),
	};

	m->stats.exits[e.kind]++;
	res->last_io_size = run->io.size;
	if (m->tracing_insns)
		trap_io_step(m);
	if (out && run->io.size == 1 && machine_is_console_port(run->io.port))
		machine_console_exit(m);
	for (i = 0; i < run->io.count; i++) {
		int r;

		if (make_room(m, clk, res))
			return 1;
		r = bus_dispatch(&m->pio, run->io.port, out,
				 data + (uint64_t)i * run->io.size, run->io.size);
		stats_access(&m->stats, IO_SPACE_PORT, run->io.port, out);
		if (r < 0) {
			device_failed(m, res, r);
			return 1;
		}
		say_notes(m);
	}
	/* Logged after the devices ran, so that an in shows what it read. */
	if (m->tracer.out && m->tracer.exits) {
		trace_line(m);
		e.have_rip = trace_rip(m, &e.rip);
		trace_exit(&m->tracer, &e);
	}
	return 0;
}

/*
 * An MMIO exit at an address that is RAM: the guest's first touch of a
 * chunk KVM does not have yet.  Give KVM the chunk, and perform this one
 * access on the RAM itself; from now on the chunk needs no exits.
 */
static int first_touch(struct machine *m, struct run_result *res)
{
	struct kvm_run *run = m->kvm.run;
	uint8_t *p = memmap_gpa(&m->mem, run->mmio.phys_addr, run->mmio.len);

	if (machine_map_ram(m, run->mmio.phys_addr, run->mmio.len,
			    &res->host_error) < 0) {
		end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
		return 1;
	}
	if (run->mmio.is_write)
		memcpy(p, run->mmio.data, run->mmio.len);
	else
		memcpy(run->mmio.data, p, run->mmio.len);
	return 0;
}

/* KVM_EXIT_MMIO: to the MMIO bus.  Returns 1 when the run has ended. */
static int handle_mmio(struct machine *m, struct run_result *res)
{
	struct kvm_run *run = m->kvm.run;
	int r;

	if (run->mmio.len == 0 || run->mmio.len > sizeof(run->mmio.data)) {
		err_set(&res->host_error, "KVM_EXIT_MMIO of %u bytes at %#llx",
			run->mmio.len, (unsigned long long)run->mmio.phys_addr);
		end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
		return 1;
	}
	if (memmap_is_ram(&m->mem, run->mmio.phys_addr, run->mmio.len)) {
		count_exit(m, EXIT_FIRST_TOUCH, "(RAM given to KVM on first touch)");
		return first_touch(m, res);
	}
	if (m->tracing_insns)
		trap_io_step(m);
	r = bus_dispatch(&m->mmio, run->mmio.phys_addr, run->mmio.is_write,
			 run->mmio.data, run->mmio.len);
	stats_access(&m->stats, IO_SPACE_MMIO, run->mmio.phys_addr, run->mmio.is_write);
	m->stats.exits[run->mmio.is_write ? EXIT_MMIO_WRITE : EXIT_MMIO_READ]++;
	if (r < 0) {
		device_failed(m, res, r);
		return 1;
	}
	say_notes(m);
	if (m->tracer.out && m->tracer.exits) {
		struct trace_exit e = {
			.kind = run->mmio.is_write ? EXIT_MMIO_WRITE : EXIT_MMIO_READ,
			.addr = run->mmio.phys_addr, .size = run->mmio.len, .count = 1,
			.data = run->mmio.data,
			.device = device_at(&m->mmio, run->mmio.phys_addr),
		};

		trace_line(m);
		e.have_rip = trace_rip(m, &e.rip);
		trace_exit(&m->tracer, &e);
	}
	return 0;
}

/*
 * KVM_RUN was interrupted: collect the pending signals.  Returns 1 if the
 * run must end (res says why), 0 to go on.
 */
static int handle_signals(struct machine *m, struct run_clock *clk,
			  struct run_result *res)
{
	int sig = take_signal(clk), r;

	if (sig) {
		signal_ending(res, sig);
		return 1;
	}
	if (clk->deadline && now_ns() >= clk->deadline) {
		end_run(res, RUN_END_TIMEOUT, KVMRUN_STATUS_TIMEOUT);
		return 1;
	}
	/* The tick: move output along, without waiting for stdout. */
	r = console_push(&m->console);
	if (r < 0 && r != -EAGAIN) {
		device_failed(m, res, r);
		return 1;
	}
	return 0;
}

/* Let the run-ending signals through while the vCPU runs, and only then. */
static int set_vcpu_sigmask(struct machine *m, struct error *err)
{
	/* KVM_SET_SIGNAL_MASK takes the kernel's sigset: 64 bits. */
	union {
		struct kvm_signal_mask head;
		uint8_t bytes[sizeof(struct kvm_signal_mask) + 8];
	} mask;
	uint8_t *bits = mask.bytes + sizeof(struct kvm_signal_mask);
	sigset_t cur, ours;
	int sig;

	if (pthread_sigmask(SIG_BLOCK, NULL, &cur) != 0)
		return err_set(err, "pthread_sigmask failed");
	run_signals(&ours);
	memset(&mask, 0, sizeof(mask));
	mask.head.len = 8;
	/* Block during KVM_RUN what is blocked now, except our signals. */
	for (sig = 1; sig <= 64; sig++)
		if (sigismember(&cur, sig) == 1 && sigismember(&ours, sig) != 1)
			bits[(sig - 1) / 8] |= (uint8_t)(1u << ((sig - 1) % 8));
	if (kvm_ioctl(m->kvm.vcpu_fd, KVM_SET_SIGNAL_MASK, &mask, err) < 0)
		return -1;
	kvm_explain(&m->kvm, "KVM_SET_SIGNAL_MASK: the signals that end a run "
		    "(SIGINT, SIGTERM, SIGHUP, ...) and SIGALRM may interrupt the "
		    "guest, and only while it runs");
	kvm_explain(&m->kvm, "KVM_RUN, again after every exit kvmrun serves");
	return 0;
}

/*
 * KVM could not emulate an instruction.  If that may be because RAM it
 * touches is not KVM's yet (memmap.h: chunks are handed over on first
 * touch), hand it over and report true, so the instruction is retried:
 * the code's own chunk if that is missing, else, once, every chunk left,
 * since the data an instruction KVM cannot emulate (an AVX store, say)
 * was going to touch cannot be told from its bytes.
 */
static bool map_ram_for_emulation(struct machine *m)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct error err;
	uint64_t pa;
	unsigned idx;

	if (cpu_get(&m->kvm, &regs, &sregs, &err) < 0)
		return false;
	if (machine_translate(m, &sregs, regs.rip, &pa) &&
	    memmap_chunk_of(&m->mem, pa, &idx) && !memmap_chunk_is_mapped(&m->mem, idx))
		return machine_map_ram(m, pa, 1, &err) == 0;
	if (m->all_ram_mapped || m->chunks_mapped == m->mem.nr_chunks)
		return false;
	m->all_ram_mapped = true;
	return machine_map_all_ram(m, &err) == 0;
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
	struct kvm_coalesced_mmio_ring *ring = m->ring;

	if (!ring)
		return 0;
	while (ring->first != ring->last) {
		struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[ring->first % m->ring_max];
		uint8_t data[8];
		unsigned len = e->len <= sizeof(data) ? e->len : sizeof(data);
		int r;

		memcpy(data, e->data, sizeof(data));
		__atomic_store_n(&ring->first, (ring->first + 1) % m->ring_max,
				 __ATOMIC_RELEASE);
		m->stats.exits[EXIT_COALESCED]++;
		stats_access(&m->stats, e->pio ? IO_SPACE_PORT : IO_SPACE_MMIO,
			     e->phys_addr, true);
		if (m->tracer.out && m->tracer.exits) {
			struct trace_exit t = {
				.kind = EXIT_IO_OUT, .coalesced = true,
				.addr = e->phys_addr, .size = len ? len : 1, .count = 1,
				.data = data, .device = device_at(&m->pio, e->phys_addr),
			};

			trace_line(m);
			trace_exit(&m->tracer, &t);
		}
		if (make_room(m, clk, res))
			return 1;
		r = bus_dispatch(e->pio ? &m->pio : &m->mmio, e->phys_addr, true,
				 data, len ? len : 1);
		if (r < 0) {
			device_failed(m, res, r);
			return 1;
		}
		say_notes(m);
		if (check_stop(m, res))
			return 1;
	}
	return 0;
}

/* Serve one exit.  Returns 1 when the run has ended, 0 to go on. */
static int handle_exit(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	struct kvm_run *run = m->kvm.run;

	res->exit_reason = run->exit_reason;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (handle_io(m, clk, res))
			return 1;
		break;
	case KVM_EXIT_MMIO:
		if (handle_mmio(m, res))
			return 1;
		break;
	case KVM_EXIT_HLT: {
		struct error err;
		int r;

		if (m->tracing_insns)
			trace_line(m);

		if (!m->tracing_insns)  /* single steps are traced as insns */
			count_exit(m, EXIT_HLT, NULL);
		r = trap_hlt(m, res, &err);

		if (r < 0) {
			res->host_error = err;
			end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
			return 1;
		}
		if (r > 0)
			return 1;
		break;
	}
	case KVM_EXIT_SHUTDOWN:
		count_exit(m, EXIT_OTHER, "KVM_EXIT_SHUTDOWN");
		end_run(res, RUN_END_SHUTDOWN, KVMRUN_STATUS_CRASH);
		return 1;
	case KVM_EXIT_FAIL_ENTRY:
		count_exit(m, EXIT_OTHER, "KVM_EXIT_FAIL_ENTRY");
		res->hw_reason = run->fail_entry.hardware_entry_failure_reason;
		end_run(res, RUN_END_FAIL_ENTRY, KVMRUN_STATUS_CRASH);
		return 1;
	case KVM_EXIT_INTERNAL_ERROR:
		if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
		    map_ram_for_emulation(m)) {
			count_exit(m, EXIT_FIRST_TOUCH, "(RAM given to KVM on first touch)");
			break;          /* retry now that KVM has the code's RAM */
		}
		count_exit(m, EXIT_OTHER, "KVM_EXIT_INTERNAL_ERROR");
		res->suberror = run->internal.suberror;
		end_run(res, RUN_END_INTERNAL_ERROR, KVMRUN_STATUS_CRASH);
		return 1;
	case KVM_EXIT_INTR:
		count_exit(m, EXIT_INTR, NULL);
		break;
	default:
		count_exit(m, EXIT_OTHER, kvm_exit_name(run->exit_reason));
		end_run(res, RUN_END_UNHANDLED_EXIT, KVMRUN_STATUS_CRASH);
		return 1;
	}
	if (check_stop(m, res))
		return 1;
	/* Exits the guest asked for only: kvmrun's own timer interruptions
	 * and RAM handed to KVM on first touch (at most one per chunk) do
	 * not count, so the limit does not depend on how RAM is chunked. */
	if (m->cfg->max_exits &&
	    res->exits - m->stats.exits[EXIT_INTR] - m->stats.exits[EXIT_FIRST_TOUCH] >=
	    m->cfg->max_exits) {
		end_run(res, RUN_END_MAX_EXITS, KVMRUN_STATUS_TIMEOUT);
		return 1;
	}
	return 0;
}

/* After any exit: did a device or --strict end the run? */
static int check_stop(struct machine *m, struct run_result *res)
{
	if (m->stop.requested && m->stop.kind == STOP_EXIT) {
		res->exit_value = m->stop.value;
		end_run(res, RUN_END_EXIT_DEVICE, (int)(m->stop.value & 0xff));
		return 1;
	}
	if (m->stop.requested) {
		snprintf(res->why, sizeof(res->why), "%s", m->stop.why);
		end_run(res, RUN_END_GUEST_ERROR, KVMRUN_STATUS_CRASH);
		return 1;
	}
	if (res->strict_size) {
		end_run(res, RUN_END_STRICT, KVMRUN_STATUS_CRASH);
		return 1;
	}
	return 0;
}

/*
 * Push every queue until it is empty, waiting for slow readers until
 * `until`: a signal cuts that to a second from then, a second signal
 * (counting those in *signals already) ends it at once.  Records, in res
 * if given, the signal and whether the wait ran out.
 */
static void drain_queues(struct machine *m, struct run_clock *clk, uint64_t until,
			 unsigned *signals, struct run_result *res)
{
	struct console *q[3];
	unsigned n = output_queues(m, q), i;

	fflush(m->log);         /* their last partial lines, into the queues */
	if (m->trace_file)
		fflush(m->trace_file);
	for (;;) {
		bool pending = false;
		int sig;

		for (i = 0; i < n; i++) {
			int r = console_push(q[i]);

			if (r == -EAGAIN)
				pending = true;
			else if (r < 0 && q[i] != &m->console)
				side_queue_failed(m, q[i], r);
		}
		if (!pending)
			return;
		if ((sig = take_signal(clk)) != 0) {
			if (res)
				res->drain_signal = sig;
			if (++*signals >= 2)
				return;
			if (until > now_ns() + NS_PER_S)
				until = now_ns() + NS_PER_S;
		}
		if (now_ns() >= until) {
			if (res)
				res->drain_timed_out = true;
			return;
		}
		wait_writable(q, n, until);
	}
}

/*
 * After the run: give stdout (and stderr and the trace) what is still
 * queued.  A reader that is slow gets RUN_DRAIN_NS after a guest's own
 * ending, one second after a time limit or a signal; a signal while
 * waiting cuts the wait to one second, a second signal ends it at once.
 * What stdout did not take is counted in res and reported, never dropped
 * in silence; the ending stays the guest's.
 */
static void drain_output(struct machine *m, struct run_clock *clk, struct run_result *res)
{
	bool hurried = res->end == RUN_END_TIMEOUT || res->end == RUN_END_SIGNAL;
	unsigned signals = res->end == RUN_END_SIGNAL;

	res->drain_wait_s = hurried ? 1 : RUN_DRAIN_NS / NS_PER_S;
	drain_queues(m, clk, now_ns() + (hurried ? NS_PER_S : RUN_DRAIN_NS), &signals, res);
	res->output_unwritten = console_pending(&m->console);
	res->output_error = m->console.out_error;
	if (m->trace_con == &m->tracecon)       /* a --trace-file of its own */
		res->trace_unwritten = console_pending(m->trace_con);
}

void run_flush_log(struct machine *m, const struct run_result *res)
{
	struct run_clock clk;
	unsigned signals = res->drain_signal != 0;

	clock_init(&clk, 0);
	drain_queues(m, &clk, now_ns() + (uint64_t)(res->drain_wait_s ? res->drain_wait_s : 1) *
		     NS_PER_S, &signals, NULL);
}

void run_machine(struct machine *m, struct run_result *res, struct error *err)
{
	struct run_clock clk = { .have_timer = false };
	int done = 0;

	memset(res, 0, sizeof(*res));
	res->end = RUN_END_HLT;
	res->start_cpl = m->cpl;
	m->result = res;
	m->pio.unclaimed = on_unclaimed_port;
	m->pio.unclaimed_ctx = m;
	m->mmio.unclaimed = on_unclaimed_mmio;
	m->mmio.unclaimed_ctx = m;
	clock_init(&clk, m->cfg->timeout_ns);
	/* kvmrun's own failures from here on end the run like any other
	 * ending, so that output is flushed and the run reported. */
	if (set_vcpu_sigmask(m, err) < 0) {
		host_failed(res, err);
		done = 1;
	}

	while (!done) {
		/* Room for what the next exit writes; on a terminal, output
		 * shows as it comes. */
		if (make_room(m, &clk, res))
			break;
		if (m->console.out_tty && console_pending(&m->console)) {
			int f = console_push(&m->console);

			if (f < 0 && f != -EAGAIN) {
				device_failed(m, res, f);
				break;
			}
		}
		if (clock_need(&clk, m, err) < 0) {
			host_failed(res, err);
			break;
		}
		int k = ioctl(m->kvm.vcpu_fd, KVM_RUN, 0);
		int e = errno;

		res->exits++;
		if (drain_coalesced(m, &clk, res))
			break;
		if (k < 0) {
			if (e != EINTR && e != EAGAIN) {
				err_errno(&res->host_error, e, "KVM_RUN failed");
				end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
				break;
			}
			res->exit_reason = KVM_EXIT_INTR;
			count_exit(m, EXIT_INTR, "(KVM_RUN interrupted by a signal)");
			done = handle_signals(m, &clk, res);
			continue;
		}
		done = handle_exit(m, &clk, res);
		if (!done && m->tracer.error) {
			err_errno(&res->host_error, m->tracer.error, "--trace-file %s: "
				  "cannot write the trace", m->cfg->trace_file ?
				  m->cfg->trace_file : "(stderr)");
			end_run(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
			done = 1;
		}
	}
	say_notes(m);           /* the ones kept when the run ended */
	drain_output(m, &clk, res);
	bulk_write_finish(&m->bulk);    /* if its bytes all went out */
	res->cpl = m->cpl;
	if (!res->have_regs)    /* trap_hlt may have set them from a frame */
		res->have_regs = cpu_get(&m->kvm, &res->regs, &res->sregs, err) == 0;
	clock_fini(&clk);
	m->result = NULL;
}

const char *run_end_name(enum run_end end)
{
	static const char *const names[] = {
		[RUN_END_HLT] = "hlt",
		[RUN_END_EXIT_DEVICE] = "exit_device",
		[RUN_END_TIMEOUT] = "timeout",
		[RUN_END_SIGNAL] = "signal",
		[RUN_END_OUTPUT_CLOSED] = "output_closed",
		[RUN_END_HOST_ERROR] = "host_error",
		[RUN_END_SHUTDOWN] = "triple_fault",
		[RUN_END_INTERNAL_ERROR] = "kvm_internal_error",
		[RUN_END_FAIL_ENTRY] = "entry_failure",
		[RUN_END_STRICT] = "strict_unclaimed_access",
		[RUN_END_UNHANDLED_EXIT] = "unhandled_exit",
		[RUN_END_EXCEPTION] = "exception",
		[RUN_END_PRIVILEGED] = "privileged_instruction",
		[RUN_END_GUEST_ERROR] = "guest_error",
		[RUN_END_MAX_EXITS] = "max_exits",
		[RUN_END_MAX_INSNS] = "max_insns",
		[RUN_END_MAX_OUTPUT] = "max_output",
		[RUN_END_RING_MOVE] = "ring_move_failed",
	};

	return (unsigned)end < sizeof(names) / sizeof(names[0]) && names[end]
	       ? names[end] : "?";
}
