/* SPDX-License-Identifier: MIT */
/* --gdb: the remote stub (gdb.h). */
#include "debug/gdb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cpu.h"
#include "debug/gdb_addr.h"
#include "debug/gdb_regs.h"
#include "ending.h"
#include "kvmrun/abi.h"
#include "machine.h"
#include "paging.h"
#include "ring3/supervisor.h"
#include "ring3/trap.h"

#define SIG_INT   2
#define SIG_ILL   4
#define SIG_TRAP  5
#define SIG_FPE   8
#define SIG_SEGV  11

void gdb_init(struct gdb *g)
{
	memset(g, 0, sizeof(*g));
	g->listen_fd = g->fd = -1;
}

/* ---- the sockets ---------------------------------------------------- */

int gdb_listen(struct gdb *g, const char *text, struct error *err)
{
	struct gdb_addr a;
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
		struct sockaddr_in in;
	} sa;
	socklen_t len;
	int fd, one = 1;

	if (gdb_addr_parse(text, &a, err) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	if (a.unix_socket) {
		sa.un.sun_family = AF_UNIX;
		memcpy(sa.un.sun_path, a.path, strlen(a.path) + 1);
		len = sizeof(sa.un);
		snprintf(g->where, sizeof(g->where), "%s", a.path);
	} else {
		sa.in.sin_family = AF_INET;
		sa.in.sin_port = htons(a.port);
		(void)inet_pton(AF_INET, a.host, &sa.in.sin_addr);     /* checked */
		len = sizeof(sa.in);
		snprintf(g->where, sizeof(g->where), "%s:%u", a.host, a.port);
	}
	fd = socket(sa.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return error_errno(err, errno, "--gdb: socket failed");
	if ((!a.unix_socket &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
	    bind(fd, &sa.sa, len) < 0 || listen(fd, 1) < 0) {
		int e = errno;

		close(fd);
		return error_errno(err, e, "--gdb %s: cannot listen there", text);
	}
	g->listen_fd = fd;
	g->loopback = a.loopback;
	if (a.unix_socket)
		snprintf(g->unix_path, sizeof(g->unix_path), "%s", a.path);
	return 0;
}

void gdb_close(struct gdb *g)
{
	if (g->fd >= 0)
		close(g->fd);
	if (g->listen_fd >= 0)
		close(g->listen_fd);
	if (g->unix_path[0])
		unlink(g->unix_path);
	g->fd = g->listen_fd = -1;
	g->unix_path[0] = '\0';
}

/*
 * A run-ending signal is waiting (left for the run loop to take).  The
 * signals are blocked outside KVM_RUN, so they only queue up meanwhile.
 */
static bool signal_waiting(void)
{
	sigset_t pending, ours;

	if (sigpending(&pending) < 0)
		return false;
	clock_run_signals(&ours);
	sigdelset(&ours, SIGALRM);      /* kvmrun's own tick */
	for (int sig = 1; sig < 65; sig++)
		if (sigismember(&ours, sig) == 1 && sigismember(&pending, sig) == 1)
			return true;
	return false;
}

/*
 * Write all of buf, or give up on the connection: after 10 s in which gdb
 * took nothing, or when a run-ending signal is waiting.  The socket does
 * not block, so a client that never reads cannot hold kvmrun.
 */
static bool send_all(struct gdb *g, const char *buf, size_t len)
{
	int waited_ms = 0;

	while (len) {
		ssize_t n = send(g->fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = g->fd, .events = POLLOUT };

			if (waited_ms >= 10000 || signal_waiting())
				return false;
			if (poll(&p, 1, 100) < 0 && errno != EINTR)
				return false;
			waited_ms += 100;
			continue;
		}
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
		waited_ms = 0;
	}
	return true;
}

static bool send_packet(struct gdb *g, const char *data, size_t len)
{
	char frame[2 * GDB_PACKET_MAX + 8];
	size_t n = gdb_frame(data, len, frame, sizeof(frame));

	return n && send_all(g, frame, n);
}

static bool reply(struct gdb *g, const char *text)
{
	return send_packet(g, text, strlen(text));
}

/*
 * Wait until fd is readable, a run-ending signal arrives (*sig), or
 * timeout_ms passes (-1: no limit).  Signals are blocked outside KVM_RUN,
 * so they are looked for every 100 ms.  1 readable, 0 not, -1 signal.
 */
static int wait_readable(struct gdb *g, int fd, int timeout_ms, int *sig)
{
	for (int waited = 0; timeout_ms < 0 || waited <= timeout_ms; waited += 100) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, timeout_ms >= 0 && timeout_ms < 100 ? timeout_ms : 100);

		if (r > 0)
			return 1;
		*sig = clock_take_signal(g->clk, NULL);
		if (*sig)
			return -1;
		if (timeout_ms == 0)
			return 0;
	}
	return 0;
}

static bool accept_gdb(struct machine *m)
{
	struct gdb *g = &m->gdb;
	int one = 1;

	/* KVM's debugging where it sees every ring: not on kvm_pvm.  And
	 * where kvmrun has no IDT: a guest started in real or protected
	 * mode, stopped at its breakpoints by stepping (gdb.h). */
	g->by_stepping = m->vm.mode != MODE_LONG;
	g->kvm_debug = g->by_stepping || (!m->vm.kvm.pvm && !g->via_idt);
	/* Non-blocking: a connection reset before accept must not hold the
	 * run, nor a client that stops reading (send_all). */
	g->fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (g->fd < 0)
		return false;
	if (!g->unix_path[0] &&
	    setsockopt(g->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
		close(g->fd);           /* not a TCP connection after all */
		g->fd = -1;
		return false;
	}
	gdb_rx_init(&g->rx);
	g->no_ack = false;
	return true;
}

/* ---- the guest, as gdb reads and writes it ---------------------------- */

static int get_cpu(struct machine *m, struct gdb_cpu *cpu, struct error *err)
{
	if (cpu_get(&m->vm.kvm, &cpu->regs, &cpu->sregs, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_GET_FPU, &cpu->fpu, err) < 0)
		return -1;
	return 0;
}

static int set_cpu(struct machine *m, struct gdb_cpu *cpu, struct error *err)
{
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, &cpu->regs, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_SREGS, &cpu->sregs, err) < 0 ||
	    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_FPU, &cpu->fpu, err) < 0)
		return -1;
	return 0;
}

/*
 * Host memory for n bytes at the guest's address addr, within one page:
 * virtual through the guest's page tables when paging is on, physical
 * (linear) when it is off.  NULL if unmapped or not RAM.
 */
static uint8_t *guest_bytes(struct machine *m, const struct kvm_sregs *s,
			    uint64_t addr, uint64_t n, uint64_t *gpa)
{
	uint64_t pa = addr;

	/* paging_translate walks 4-level long-mode tables only: 32-bit and
	 * PAE paging without long mode, or 5 levels, are not read at all. */
	if ((s->cr0 & X86_CR0_PG) &&
	    (!(s->efer & X86_EFER_LMA) || (s->cr4 & X86_CR4_LA57) ||
	     !paging_translate(&m->vm.mem, s, addr, &pa)))
		return NULL;
	if (gpa)
		*gpa = pa;
	return memmap_gpa(&m->vm.mem, pa, n);
}

/*
 * Would bytes at gpa land in kvmrun's own tables (page tables, GDT, IDT,
 * stubs, TSS) while the guest runs on them?  A write there (an int3 in a
 * stub, say) would break the supervisor itself: refused.
 */
static bool writes_kvmrun(const struct kvm_sregs *s, uint64_t gpa, uint64_t len)
{
	return s->idt.base == KVMRUN_IDT_ADDR && gpa < KVMRUN_RESERVED_END &&
	       gpa + len > KVMRUN_RESERVED_START;
}

/* Copy between gdb's buffer and guest memory, page by page. */
static bool access_mem(struct machine *m, uint64_t addr, uint8_t *buf, uint64_t len,
		       bool write)
{
	struct kvm_regs regs;
	struct kvm_sregs s;
	struct error err;

	if (cpu_get(&m->vm.kvm, &regs, &s, &err) < 0)
		return false;
	while (len) {
		uint64_t chunk = 4096 - (addr & 4095);
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		uint64_t gpa;

		p = guest_bytes(m, &s, addr, chunk, &gpa);
		if (!p || (write && writes_kvmrun(&s, gpa, chunk)))
			return false;
		if (write)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		addr += chunk;
		buf += chunk;
		len -= chunk;
	}
	return true;
}

/* ---- commands --------------------------------------------------------- */

/* Take breakpoint bp's int3 out of guest memory (if it is still there:
 * the guest may have written over it). */
static void unwrite_bp(struct machine *m, const struct gdb_breakpoint *bp)
{
	uint8_t *byte = m->gdb.by_stepping ? NULL : memmap_gpa(&m->vm.mem, bp->gpa, 1);

	if (byte && *byte == 0xcc)
		*byte = bp->saved;
}

/*
 * From now on, stop at breakpoints by stepping to them, not by int3 (gdb.h,
 * by_stepping): the guest has an IDT of its own, which would get the #BP.
 * Steps go to KVM too.
 */
static void stop_by_stepping(struct machine *m)
{
	struct gdb *g = &m->gdb;

	if (g->by_stepping)
		return;
	for (unsigned i = 0; i < g->nr_bp; i++)
		unwrite_bp(m, &g->bp[i]);
	g->by_stepping = true;
	g->kvm_debug = true;
}

static struct gdb_breakpoint *find_bp(struct gdb *g, uint64_t addr)
{
	for (unsigned i = 0; i < g->nr_bp; i++)
		if (g->bp[i].addr == addr)
			return &g->bp[i];
	return NULL;
}

/*
 * Z/z type,addr,kind.  0 and 1 (a "hardware" breakpoint): an int3 written
 * over the instruction, which stops the guest the same in every ring on
 * every host.  2-4, watchpoints: not yet (an empty reply, which gdb reads
 * as "not supported"; `set can-use-hw-watchpoints 0` makes it watch by
 * stepping).  Debug registers would do on hardware KVM, but the machines
 * this was built on could not show them firing; on kvm_pvm data
 * breakpoints never fire (shared/docs/PLATFORM.md).
 */
static const char *cmd_breakpoint(struct machine *m, const char *p, bool insert)
{
	struct gdb *g = &m->gdb;
	struct gdb_breakpoint *bp;
	struct kvm_regs regs;
	struct kvm_sregs s;
	struct error err;
	uint64_t type, addr, kind, gpa;
	uint8_t *byte;

	if (!gdb_hex_u64(&p, &type) || type > 4 || *p++ != ',' || !gdb_hex_u64(&p, &addr) ||
	    *p++ != ',' || !gdb_hex_u64(&p, &kind))
		return "E01";
	(void)kind;
	if (type >= 2)
		return "";
	bp = find_bp(g, addr);
	if (!insert) {
		if (bp) {
			unwrite_bp(m, bp);
			*bp = g->bp[--g->nr_bp];
		}
		return "OK";
	}
	if (bp)
		return "OK";
	if (g->nr_bp == GDB_MAX_BREAKPOINTS || cpu_get(&m->vm.kvm, &regs, &s, &err) < 0)
		return "E02";
	if (g->by_stepping) {           /* a linear address KVM steps to */
		g->bp[g->nr_bp++] = (struct gdb_breakpoint){ .addr = addr, .hw = type == 1 };
		return "OK";
	}
	byte = guest_bytes(m, &s, addr, 1, &gpa);
	if (!byte)
		return "E14";           /* EFAULT: not mapped */
	if (writes_kvmrun(&s, gpa, 1))
		return "E01";
	g->bp[g->nr_bp++] = (struct gdb_breakpoint){
		.addr = addr, .gpa = gpa, .saved = *byte, .hw = type == 1,
	};
	*byte = 0xcc;                   /* int3 */
	return "OK";
}

/*
 * Tell KVM how to stop the guest now (KVM_SET_GUEST_DEBUG): intercept
 * int3 (our breakpoints), step one instruction, give the guest back an
 * int3 of its own.  With gdb gone, nothing.
 */
static int apply_debug(struct machine *m, struct error *err)
{
	struct gdb *g = &m->gdb;
	struct kvm_guest_debug dbg;

	if (!g->kvm_debug)
		return 0;
	memset(&dbg, 0, sizeof(dbg));
	if (g->fd >= 0 && g->by_stepping) {
		/* No int3 of ours: the guest's own go to its own vectors. */
		if (g->stepping || g->nr_bp)
			dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	} else if (g->fd >= 0) {
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
		if (g->stepping)
			dbg.control |= KVM_GUESTDBG_SINGLESTEP;
		if (g->inject_bp)
			dbg.control |= KVM_GUESTDBG_INJECT_BP;
	}
	g->inject_bp = false;
	return kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg, err);
}

void gdb_guest_loads_idt(struct machine *m, struct kvm_regs *regs)
{
	if (m->gdb.fd < 0)
		return;
	stop_by_stepping(m);
	regs->rflags &= ~X86_RFLAGS_TF;
}

/*
 * Step on from where the guest is (by_stepping): that is where the next
 * step begins, which trap_hide_tf looks at after it; and asked again at
 * each step, KVM sets TF again (a mode switch can drop it: seen on nested
 * SVM, where a far jump into protected mode lost every later step).
 * Returns 0, or 1 if KVM_SET_GUEST_DEBUG failed and so ended the run.
 */
static int step_on(struct machine *m, struct run_result *res)
{
	struct kvm_regs regs;
	struct error err;

	if (ioctl(m->vm.kvm.vcpu_fd, KVM_GET_REGS, &regs) == 0)
		m->gdb.step_rip = regs.rip;
	return apply_debug(m, &err) < 0 ? ending_host(res, &err) : 0;
}

int gdb_keep_stepping(struct machine *m, struct run_result *res)
{
	struct gdb *g = &m->gdb;

	if (g->fd < 0 || !g->by_stepping || (!g->nr_bp && !g->stepping))
		return 0;
	return step_on(m, res);
}

/* m addr,len: memory in hex; an error if any of it is unmapped. */
static void cmd_read_mem(struct machine *m, const char *p)
{
	uint64_t addr, len;
	uint8_t buf[GDB_PACKET_MAX / 2];
	char hex[GDB_PACKET_MAX + 1];

	if (!gdb_hex_u64(&p, &addr) || *p++ != ',' || !gdb_hex_u64(&p, &len) || *p) {
		reply(&m->gdb, "E01");
		return;
	}
	if (len > sizeof(buf))
		len = sizeof(buf);
	if (!access_mem(m, addr, buf, len, false)) {
		reply(&m->gdb, "E14");
		return;
	}
	gdb_hex_encode(buf, len, hex);
	reply(&m->gdb, hex);
}

/* M addr,len:hex */
static const char *cmd_write_mem(struct machine *m, const char *p)
{
	uint64_t addr, len;
	uint8_t buf[GDB_PACKET_MAX / 2];

	if (!gdb_hex_u64(&p, &addr) || *p++ != ',' || !gdb_hex_u64(&p, &len) ||
	    *p++ != ':' || len > sizeof(buf) || strlen(p) != 2 * len ||
	    !gdb_hex_decode(p, buf, len))
		return "E01";
	return access_mem(m, addr, buf, len, true) ? "OK" : "E14";
}

static void cmd_read_regs(struct machine *m)
{
	struct gdb_cpu cpu;
	struct error err;
	uint8_t block[1024];
	char hex[2048 + 1];

	if (get_cpu(m, &cpu, &err) < 0) {
		reply(&m->gdb, "E01");
		return;
	}
	gdb_regs_pack(&cpu, block);
	gdb_hex_encode(block, gdb_regs_bytes(), hex);
	reply(&m->gdb, hex);
}

/* G hex (all of them) or P n=hex (one): through the same block. */
static const char *cmd_write_regs(struct machine *m, const char *p, bool one)
{
	struct gdb_cpu cpu;
	struct error err;
	uint8_t block[1024];
	uint64_t n = 0;

	if (get_cpu(m, &cpu, &err) < 0)
		return "E01";
	gdb_regs_pack(&cpu, block);
	if (one) {
		if (!gdb_hex_u64(&p, &n) || *p++ != '=' || !gdb_reg_writable((unsigned)n) ||
		    strlen(p) != 2 * gdb_reg_size((unsigned)n) ||
		    !gdb_hex_decode(p, block + gdb_reg_offset((unsigned)n),
				    gdb_reg_size((unsigned)n)))
			return "E01";
	} else if (strlen(p) != 2 * gdb_regs_bytes() ||
		   !gdb_hex_decode(p, block, gdb_regs_bytes())) {
		return "E01";
	}
	gdb_regs_unpack(block, &cpu);
	return set_cpu(m, &cpu, &err) < 0 ? "E01" : "OK";
}

/* p n: one register. */
static void cmd_read_reg(struct machine *m, const char *p)
{
	struct gdb_cpu cpu;
	struct error err;
	uint8_t block[1024];
	char hex[64];
	uint64_t n;

	if (!gdb_hex_u64(&p, &n) || n >= GDB_NR_REGS || get_cpu(m, &cpu, &err) < 0) {
		reply(&m->gdb, "E01");
		return;
	}
	gdb_regs_pack(&cpu, block);
	gdb_hex_encode(block + gdb_reg_offset((unsigned)n), gdb_reg_size((unsigned)n), hex);
	reply(&m->gdb, hex);
}

/* qXfer:features:read:target.xml:OFF,LEN */
static void cmd_xfer_features(struct gdb *g, const char *p)
{
	const char *xml = gdb_target_xml();
	uint64_t off, len, total = strlen(xml);
	char out[GDB_PACKET_MAX];

	if (strncmp(p, "target.xml:", 11) != 0) {
		reply(g, "E00");
		return;
	}
	p += 11;
	if (!gdb_hex_u64(&p, &off) || *p++ != ',' || !gdb_hex_u64(&p, &len)) {
		reply(g, "E01");
		return;
	}
	if (off >= total) {
		reply(g, "l");
		return;
	}
	if (len > sizeof(out) - 2)
		len = sizeof(out) - 2;
	if (len > total - off)
		len = total - off;
	out[0] = off + len < total ? 'm' : 'l';
	memcpy(out + 1, xml + off, len);
	send_packet(g, out, len + 1);
}

/* Text for gdb's console (qRcmd's output): an `O` packet in hex. */
static void console(struct gdb *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void console(struct gdb *g, const char *fmt, ...)
{
	char text[1024], hex[2 * sizeof(text) + 2];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(text))
		n = sizeof(text) - 1;
	hex[0] = 'O';
	gdb_hex_encode((const uint8_t *)text, (size_t)n, hex + 1);
	reply(g, hex);
}

static const char *mode_of(const struct kvm_sregs *s)
{
	if (!(s->cr0 & X86_CR0_PE))
		return "real mode (16-bit)";
	if (!(s->efer & X86_EFER_LMA))
		return s->cs.db ? "protected mode (32-bit)" : "protected mode (16-bit)";
	return s->cs.l ? "long mode (64-bit)" : "compatibility mode";
}

/* qRcmd,hex: `monitor regs|mode|exits|pt ADDR|help`. */
static void cmd_monitor(struct machine *m, const char *p)
{
	struct gdb *g = &m->gdb;
	char cmd[256];
	size_t n = strlen(p) / 2;
	struct kvm_regs regs;
	struct kvm_sregs s;
	struct error err;

	if (n >= sizeof(cmd) || !gdb_hex_decode(p, (uint8_t *)cmd, n)) {
		reply(g, "E01");
		return;
	}
	cmd[n] = '\0';
	if (cpu_get(&m->vm.kvm, &regs, &s, &err) < 0) {
		reply(g, "E01");
		return;
	}
	if (strcmp(cmd, "mode") == 0) {
		console(g, "%s, ring %u, paging %s\n", mode_of(&s), s.cs.dpl,
			(s.cr0 & X86_CR0_PG) ? "on" : "off");
	} else if (strcmp(cmd, "regs") == 0) {
		console(g, "rip %#llx rsp %#llx rflags %#llx\ncr0 %#llx cr2 %#llx cr3 %#llx "
			"cr4 %#llx efer %#llx\ncs %#x ss %#x (ring %u)\n",
			(unsigned long long)regs.rip, (unsigned long long)regs.rsp,
			(unsigned long long)regs.rflags, (unsigned long long)s.cr0,
			(unsigned long long)s.cr2, (unsigned long long)s.cr3,
			(unsigned long long)s.cr4, (unsigned long long)s.efer,
			s.cs.selector, s.ss.selector, s.cs.dpl);
	} else if (strcmp(cmd, "exits") == 0) {
		for (unsigned k = 0; k < EXIT_KINDS; k++)
			console(g, "%-12s %llu\n", stats_exit_kind_name((enum exit_kind)k),
				(unsigned long long)m->obs.stats.exits[k]);
	} else if (strncmp(cmd, "pt ", 3) == 0) {
		const char *a = cmd + 3;
		uint64_t va, pa;

		if (a[0] == '0' && a[1] == 'x')
			a += 2;
		if (!gdb_hex_u64(&a, &va)) {
			console(g, "usage: monitor pt ADDR (hex)\n");
		} else if (!(s.cr0 & X86_CR0_PG)) {
			console(g, "paging is off: %#llx is physical\n", (unsigned long long)va);
		} else if (paging_translate(&m->vm.mem, &s, va, &pa)) {
			console(g, "%#llx -> physical %#llx (CR3 %#llx)\n", (unsigned long long)va,
				(unsigned long long)pa, (unsigned long long)s.cr3);
		} else {
			console(g, "%#llx is not mapped (CR3 %#llx)\n", (unsigned long long)va,
				(unsigned long long)s.cr3);
		}
	} else if (strcmp(cmd, "debug") == 0) {
		const char *how = "kvmrun's IDT (int3 and the trap flag)";

		if (g->by_stepping)
			how = m->vm.mode != MODE_LONG ?
			      "KVM's single-step (KVM_SET_GUEST_DEBUG); breakpoints by "
			      "stepping to their address (the guest started in real or "
			      "protected mode, where kvmrun has no IDT to take an int3)" :
			      "KVM's single-step (KVM_SET_GUEST_DEBUG); breakpoints by "
			      "stepping to their address (the guest has its own IDT, which "
			      "would take an int3)";
		else if (g->kvm_debug)
			how = "KVM's own debugging (KVM_SET_GUEST_DEBUG), int3 through "
			      "kvmrun's IDT where KVM does not intercept it";
		console(g, "stops and steps: %s\nwatchpoints: none (%s); `set "
			"can-use-hw-watchpoints 0` watches by stepping\n", how,
			m->vm.kvm.pvm ? "kvm_pvm does not fire data breakpoints" :
			"debug registers are not used yet");
	} else {
		console(g, "kvmrun monitor commands: regs, mode, exits, pt ADDR, debug\n");
	}
	reply(g, "OK");
}

/* c/s [addr] and vCont: resume, optionally at addr. */
static int resume_at(struct machine *m, const char *p, enum gdb_resume how)
{
	uint64_t addr;
	struct kvm_regs regs;
	struct kvm_sregs s;
	struct error err;

	/* A register ioctl that fails here fails again, and is reported,
	 * when the stop sets TF. */
	if (*p && gdb_hex_u64(&p, &addr) && cpu_get(&m->vm.kvm, &regs, &s, &err) == 0) {
		regs.rip = gdb_rip_of_pc(addr, &s);
		(void)kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, &regs, &err);
	}
	return (int)how;
}

/*
 * One packet.  Returns -1 to go on serving, or the gdb_resume to leave
 * with.
 */
static int command(struct machine *m, const char *pkt)
{
	struct gdb *g = &m->gdb;
	const char *p = pkt + 1;

	switch (pkt[0]) {
	case '?':
		reply(g, g->last_stop);
		return -1;
	case 'g':
		cmd_read_regs(m);
		return -1;
	case 'G':
		reply(g, cmd_write_regs(m, p, false));
		return -1;
	case 'p':
		cmd_read_reg(m, p);
		return -1;
	case 'P':
		reply(g, cmd_write_regs(m, p, true));
		return -1;
	case 'm':
		cmd_read_mem(m, p);
		return -1;
	case 'M':
		reply(g, cmd_write_mem(m, p));
		return -1;
	case 'Z':
	case 'z':
		reply(g, cmd_breakpoint(m, p, pkt[0] == 'Z'));
		return -1;
	case 'c':
		return resume_at(m, p, GDB_CONTINUE);
	case 's':
		return resume_at(m, p, GDB_STEP);
	case 'k':
		return GDB_KILL;
	case 'D':
		reply(g, "OK");
		return GDB_DETACH;
	case 'H':
	case 'T':
		reply(g, "OK");         /* one thread: 1 */
		return -1;
	case 'v':
		if (strcmp(pkt, "vCont?") == 0) {
			reply(g, "vCont;c;C;s;S");
			return -1;
		}
		if (strncmp(pkt, "vCont;", 6) == 0)
			return pkt[6] == 's' || pkt[6] == 'S' ? GDB_STEP : GDB_CONTINUE;
		if (strncmp(pkt, "vKill", 5) == 0) {
			reply(g, "OK");
			return GDB_KILL;
		}
		reply(g, "");
		return -1;
	case 'q':
		if (strncmp(pkt, "qSupported", 10) == 0)
			reply(g, "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;"
			      "QStartNoAckMode+;vContSupported+");
		else if (strncmp(pkt, "qXfer:features:read:", 20) == 0)
			cmd_xfer_features(g, pkt + 20);
		else if (strcmp(pkt, "qC") == 0)
			reply(g, "QC1");
		else if (strcmp(pkt, "qfThreadInfo") == 0)
			reply(g, "m1");
		else if (strcmp(pkt, "qsThreadInfo") == 0)
			reply(g, "l");
		else if (strncmp(pkt, "qAttached", 9) == 0)
			reply(g, "1");
		else if (strncmp(pkt, "qRcmd,", 6) == 0)
			cmd_monitor(m, pkt + 6);
		else
			reply(g, "");
		return -1;
	case 'Q':
		if (strcmp(pkt, "QStartNoAckMode") == 0) {
			reply(g, "OK");
			g->no_ack = true;
			return -1;
		}
		reply(g, "");
		return -1;
	}
	reply(g, "");                   /* not supported: an empty reply */
	return -1;
}

/* The connection is gone: the guest runs on without gdb, and without
 * its breakpoints (gdb takes them out before it detaches; not if it died). */
static void hang_up(struct machine *m)
{
	struct gdb *g = &m->gdb;
	struct error err;

	for (unsigned i = 0; i < g->nr_bp; i++)
		unwrite_bp(m, &g->bp[i]);
	g->nr_bp = 0;
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	g->stepping = false;
	(void)apply_debug(m, &err);     /* a failure leaves KVM stopping at int3s
					   that are gone: nothing to stop at */
}

/*
 * Serve gdb until it resumes the guest.  Returns the resume, or -1 if a
 * run-ending signal came (*sig).  A lost connection lets the guest go on.
 */
static int serve(struct machine *m, int *sig)
{
	struct gdb *g = &m->gdb;
	char buf[4096];

	for (;;) {
		int r = wait_readable(g, g->fd, -1, sig);
		ssize_t n;

		if (r < 0)
			return -1;
		n = recv(g->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			hang_up(m);
			return GDB_CONTINUE;
		}
		for (ssize_t i = 0; i < n; i++) {
			enum gdb_event ev = gdb_rx_byte(&g->rx, (uint8_t)buf[i]);
			int how;

			if (ev == GDB_BAD_PACKET && !g->no_ack)
				send_all(g, "-", 1);
			if (ev != GDB_PACKET)
				continue;
			if (!g->no_ack)
				send_all(g, "+", 1);
			how = command(m, g->rx.data);
			if (how < 0)
				continue;
			/* Resumed: a Ctrl-C in the same read stops it again at
			 * the first tick; anything else is dropped. */
			gdb_rx_init(&g->rx);
			for (ssize_t k = i + 1; k < n; k++)
				if ((uint8_t)buf[k] == 0x03)
					g->interrupt_pending = true;
			return how;
		}
		if (g->fd < 0)
			return GDB_CONTINUE;
	}
}

/*
 * Stop: tell gdb why (the stop reply to its `c` or `s`; when it has just
 * attached it asks with `?` instead), serve it, apply the resume.  Returns
 * 0 to run on, 1 if the run ended.
 */
static int stop(struct machine *m, const char *why, bool attached_now,
		struct run_result *res)
{
	struct gdb *g = &m->gdb;
	uint64_t t0 = clock_now_ns();
	struct kvm_regs regs;
	struct kvm_sregs s;
	struct error err;
	int sig = 0, how;

	snprintf(g->last_stop, sizeof(g->last_stop), "%s", why);
	/* A guest found with its own IDT (loaded at CPL0, where kvmrun did not
	 * see it): from now on its breakpoints go by stepping. */
	if (cpu_get(&m->vm.kvm, &regs, &s, &err) == 0 && (s.efer & X86_EFER_LMA) &&
	    s.idt.base != KVMRUN_IDT_ADDR)
		stop_by_stepping(m);
	(void)console_push(&m->out.console);    /* what the guest wrote, first */
	if (!attached_now && !reply(g, why)) {
		hang_up(m);
		return 0;
	}
	how = serve(m, &sig);
	clock_extend(g->clk, clock_now_ns() - t0);  /* stopped: not the guest's time */
	if (how < 0)
		return ending_signal(res, sig);
	if (how == GDB_KILL) {
		hang_up(m);
		return ending_signal(res, SIGKILL);
	}
	if (how == GDB_DETACH)
		hang_up(m);
	g->stepping = how == GDB_STEP && g->fd >= 0;
	if (cpu_get(&m->vm.kvm, &regs, &s, &err) < 0)
		return ending_host(res, &err);
	g->step_rip = regs.rip;
	if (g->kvm_debug)               /* KVM steps it (TF, hidden but from pushf) */
		return apply_debug(m, &err) < 0 ? ending_host(res, &err) : 0;
	if (g->stepping) {
		regs.rflags |= X86_RFLAGS_TF;
		trap_keep_tf(m, &regs, &s);
	} else {
		regs.rflags &= ~X86_RFLAGS_TF;
	}
	if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, &regs, &err) < 0)
		return ending_host(res, &err);
	return 0;
}

/* Stop at gdb's breakpoint bp, with the stop reply its kind gets. */
static int stop_at_breakpoint(struct machine *m, const struct gdb_breakpoint *bp,
			      struct run_result *res)
{
	return stop(m, bp->hw ? "T05thread:01;hwbreak:;" : "T05thread:01;swbreak:;", false, res);
}

int gdb_start(struct machine *m, struct run_clock *clk, bool wait, struct run_result *res)
{
	struct gdb *g = &m->gdb;
	int sig = 0;

	uint64_t t0 = clock_now_ns();

	g->clk = clk;
	if (g->listen_fd < 0 || !wait)
		return 0;
	if (wait_readable(g, g->listen_fd, -1, &sig) < 0)
		return ending_signal(res, sig);
	clock_extend(clk, clock_now_ns() - t0);     /* waiting is not running */
	if (!accept_gdb(m))
		return 0;
	return stop(m, "T05thread:01;", true, res);
}

/* Is fd readable now?  (No waiting, and no signal taken: the run loop
 * takes those.) */
static bool readable_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

int gdb_tick(struct machine *m, struct run_result *res)
{
	struct gdb *g = &m->gdb;
	char buf[256];
	ssize_t n;

	if (g->listen_fd < 0)
		return 0;
	if (g->fd < 0) {
		if (readable_now(g->listen_fd) && accept_gdb(m))
			return stop(m, "T05thread:01;", true, res);
		return 0;
	}
	if (g->interrupt_pending) {
		g->interrupt_pending = false;
		return stop(m, "T02thread:01;", false, res);
	}
	if (!readable_now(g->fd))
		return 0;
	n = recv(g->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			hang_up(m);
		return 0;
	}
	for (ssize_t i = 0; i < n; i++)
		if (gdb_rx_byte(&g->rx, (uint8_t)buf[i]) == GDB_INTERRUPT)
			return stop(m, "T02thread:01;", false, res);
	return 0;
}

bool gdb_wants(const struct machine *m, const struct exc_frame *f)
{
	const struct gdb *g = &m->gdb;

	if (g->fd < 0)
		return false;
	/* With KVM's debugging its own step and int3 stop the guest, but a
	 * host that does not intercept int3 (QEMU's emulated SVM treats it
	 * as a software interrupt) delivers our int3 to kvmrun's IDT: take
	 * it there too. */
	if (f->vector == EXC_DB)
		return g->stepping && !g->kvm_debug;
	if (f->vector == EXC_BP)
		return find_bp((struct gdb *)g, f->rip - 1) != NULL;
	return false;
}

int gdb_trap(struct machine *m, const struct exc_frame *f, struct run_result *res)
{
	const struct gdb_breakpoint *bp = f->vector == EXC_BP ? find_bp(&m->gdb, f->rip - 1) : NULL;

	if (!bp)
		return stop(m, "T05thread:01;", false, res);
	return stop_at_breakpoint(m, bp, res);
}

int gdb_debug_exit(struct machine *m, struct run_result *res)
{
	const struct kvm_debug_exit_arch *a = &m->vm.kvm.run->debug.arch;
	struct gdb *g = &m->gdb;

	if (g->fd < 0)
		return 0;               /* gdb left: KVM no longer stops it */
	if (a->exception == EXC_BP) {
		const struct gdb_breakpoint *bp = find_bp(g, a->pc);

		if (!bp) {              /* the guest's own int3: its #BP */
			g->inject_bp = true;
			return stop(m, "T05thread:01;", false, res);
		}
		return stop_at_breakpoint(m, bp, res);
	}
	/* #DB: the step KVM took (DR6.BS).  KVM's TF shows in a pushf. */
	if (g->stepping || g->by_stepping)
		trap_hide_tf(m, g->step_rip);
	if (g->by_stepping && !g->stepping) {
		/* Running to a breakpoint: a.pc is linear, as gdb's are. */
		const struct gdb_breakpoint *bp = find_bp(g, a->pc);

		return bp ? stop_at_breakpoint(m, bp, res) : step_on(m, res);
	}
	return stop(m, "T05thread:01;", false, res);
}

int gdb_stepped_by_exit(struct machine *m, struct run_result *res)
{
	if (m->gdb.fd < 0 || !m->gdb.stepping || !m->vm.kvm.pvm)
		return 0;
	/* The exit is complete only once KVM_RUN is entered again. */
	struct error err;
	int r = kvm_complete_exit(&m->vm.kvm, &err);

	if (r < 0)
		return ending_host(res, &err);
	if (r > 0)
		return 0;       /* more of it to serve: stop after that */
	return stop(m, "T05thread:01;", false, res);
}

int gdb_crash_signal(const struct run_result *res)
{
	if (res->status != KVMRUN_STATUS_CRASH)
		return 0;
	if (res->end != RUN_END_EXCEPTION)
		return SIG_SEGV;
	switch (res->exc.vector) {
	case EXC_UD:
		return SIG_ILL;
	case EXC_DE:
	case EXC_MF:
	case EXC_XM:
		return SIG_FPE;
	case EXC_BP:
	case EXC_DB:
		return SIG_TRAP;
	}
	return SIG_SEGV;
}

void gdb_finish(struct machine *m, const struct run_result *res, int status)
{
	struct gdb *g = &m->gdb;
	char why[32];

	if (g->fd < 0)
		return;
	if (status == KVMRUN_STATUS_CRASH && res->have_regs) {
		struct error err;
		struct run_result ignored;

		/* Show gdb the crash site: the registers at the fault. */
		if (kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_REGS, (void *)&res->regs, &err) == 0 &&
		    kvm_ioctl(m->vm.kvm.vcpu_fd, KVM_SET_SREGS, (void *)&res->sregs, &err) == 0) {
			snprintf(why, sizeof(why), "T%02xthread:01;", gdb_crash_signal(res));
			memset(&ignored, 0, sizeof(ignored));
			if (stop(m, why, false, &ignored) != 0 || g->fd < 0)
				return;
		}
	}
	/* X only for an ending by a signal: an exit value of 130 is W82. */
	if (res->end == RUN_END_SIGNAL)
		snprintf(why, sizeof(why), "X%02x", res->signo & 0xff);
	else if (res->end == RUN_END_OUTPUT_CLOSED)
		snprintf(why, sizeof(why), "X%02x", SIGPIPE);
	else
		snprintf(why, sizeof(why), "W%02x", status & 0xff);
	reply(g, why);
	hang_up(m);
}
