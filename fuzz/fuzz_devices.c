/* SPDX-License-Identifier: MIT */
/*
 * The port and MMIO buses with every real device on them, driven by a
 * fuzzed sequence of accesses, against a model written from bus.h, the
 * README's device table and include/kvmrun/abi.h.
 *
 * Input: a 6-byte header, then operations.
 *   byte 0     flags: bit 0 stdin (the UART's input) is a memfd holding the
 *              next bytes, else there is none (-1); bit 1 stdout is a bad
 *              fd (writes fail: only "no crash, errno returned" is checked);
 *              bit 2 the unclaimed hook fails for one address; bit 3 the
 *              console has an output limit (max_out)
 *   byte 1     length of the stdin data that follows the header
 *   bytes 2-3  low bits of the address the unclaimed hook fails for
 *   bytes 4-5  the output limit, in bytes (bit 3)
 * Each operation starts with an op byte:
 *   bits 0-1   0 port, 1 MMIO, 2 poke guest RAM (as the guest would),
 *              3 a whole bulk-write call (struct in RAM, then outl 0xf0)
 *   bit 2      write
 *   bits 3-5   size: 1, 2, 4, 8, 1, 2, 4, or a size from 0 to 15
 *   bits 6-7   address: near a device, raw 16 bits, raw 64 bits
 * followed by address bytes and (for writes) 8 data bytes.
 *
 * Checked for every access: the return value (0; -EINVAL exactly for a
 * size outside 1-8; the hook's -EIO when it failed; -EDQUOT when output
 * passes the console's limit, which still writes what fits; -EBADF and
 * friends only with a bad stdout); a read fills the whole buffer, with exactly the
 * bytes the model predicts (all ones where nothing answers); every device
 * handler and the hook see a read buffer already filled with ones; the
 * unclaimed hook is called exactly as often as the model says, and its
 * counts (unclaimed_record) add up; the exit device's and the bulk-write
 * device's stop requests match the model; at the end, stdout (a memfd)
 * holds exactly the bytes the model says the guest wrote, in order.
 * Each access's buffer is a heap block of exactly its size, and guest RAM
 * ends where its allocation ends, so ASan reports any overrun.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bus.h"
#include "dev/bulk_write.h"
#include "dev/console.h"
#include "dev/debugcon.h"
#include "dev/exitdev.h"
#include "dev/post.h"
#include "dev/stop.h"
#include "dev/testdev.h"
#include "dev/uart.h"
#include "fuzz_common.h"
#include "kvmrun/abi.h"
#include "memmap.h"
#include "observe/unclaimed.h"

#define RAM_SIZE        MEMMAP_MIN_RAM
#define MAX_OPS         512
#define OUT_CAP         (32u << 20)     /* stop once the model wrote this much */

/* ---- the system under test ---------------------------------------------- */

static struct fuzz_ram ram;
static int in_fd = -1, out_fd = -1;

static struct bus pio, mmio;
static struct console con;
static struct uart uart;
static struct post_port post;
static struct stop_request stop;
static struct bulk_write bw;
static struct testdev td;
static struct memmap mm;
static struct unclaimed_log ulog;

/* What the handlers and the hook saw during one dispatch. */
static struct {
	uint8_t *buf;           /* the dispatch's data buffer */
	unsigned size;
	uint8_t covered[BUS_MAX_ACCESS];        /* bytes a handler or hook got */
	unsigned hook_calls;
	bool hook_failed;
	bool fail_enabled;
	uint64_t fail_addr;
	enum io_space space;
} probe;

static void probe_cover(const struct bus_access *acc, const char *who)
{
	unsigned i;

	FUZZ_CHECK(acc->size >= 1 && acc->size <= BUS_MAX_ACCESS,
		   "%s got an access of %u bytes", who, acc->size);
	FUZZ_CHECK(acc->data >= probe.buf &&
		   acc->data + acc->size <= probe.buf + probe.size,
		   "%s got a buffer outside the dispatched one", who);
	for (i = 0; i < acc->size; i++) {
		if (!acc->write)
			FUZZ_CHECK(acc->data[i] == 0xff, "%s got a read buffer "
				   "not filled with ones (byte %u is %#x)", who, i,
				   acc->data[i]);
		probe.covered[acc->data - probe.buf + i] = 1;
	}
}

/* Every device handler is wrapped: the real one is called by index. */
static bus_handler_fn real_handler[2][BUS_MAX_DEVICES];
static const char *handler_name[2][BUS_MAX_DEVICES];

#define SHIM(b, i) \
	static int shim_##b##_##i(void *dev, struct bus_access *acc) \
	{ \
		probe_cover(acc, handler_name[b][i]); \
		return real_handler[b][i](dev, acc); \
	}
SHIM(0, 0) SHIM(0, 1) SHIM(0, 2) SHIM(0, 3) SHIM(0, 4) SHIM(0, 5)
SHIM(1, 0) SHIM(1, 1)
static const bus_handler_fn shims[2][6] = {
	{ shim_0_0, shim_0_1, shim_0_2, shim_0_3, shim_0_4, shim_0_5 },
	{ shim_1_0, shim_1_1 },
};

static void wrap_handlers(struct bus *bus, unsigned b, unsigned max)
{
	unsigned i;

	FUZZ_CHECK(bus->nr_devices <= max, "%u devices on %s", bus->nr_devices,
		   bus->name);
	for (i = 0; i < bus->nr_devices; i++) {
		real_handler[b][i] = bus->devices[i].handler;
		handler_name[b][i] = bus->devices[i].name;
		bus->devices[i].handler = shims[b][i];
	}
}

static int hook(void *ctx, const struct bus_access *acc)
{
	enum io_space space = (enum io_space)(uintptr_t)ctx;

	FUZZ_CHECK(space == probe.space, "the %s hook was called for a %s access",
		   unclaimed_space_name(space), unclaimed_space_name(probe.space));
	probe_cover(acc, "the unclaimed hook");
	FUZZ_CHECK(bus_find(space == IO_SPACE_PORT ? &pio : &mmio, acc->addr) == NULL,
		   "the unclaimed hook got claimed address %#llx",
		   (unsigned long long)acc->addr);
	probe.hook_calls++;
	unclaimed_record(&ulog, space, acc->addr, acc->write);
	if (probe.fail_enabled && acc->addr == probe.fail_addr) {
		probe.hook_failed = true;
		return -EIO;
	}
	return 0;
}

/* ---- the model ------------------------------------------------------------ */

enum mdev { M_NONE, M_UART, M_DEBUGCON, M_EXIT, M_POST, M_WRITE, M_TESTDEV };

static struct {
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;      /* the UART */
	const uint8_t *in;                              /* its stdin */
	size_t in_len, in_pos;
	uint8_t post;
	uint64_t scratch[KVMRUN_TESTDEV_NSCRATCH];
	bool stop;
	enum stop_kind stop_kind;
	uint64_t stop_value;
	uint64_t bw_calls, bw_bytes;
	uint8_t *out;                                   /* what stdout should hold */
	size_t out_len, out_cap;
	bool out_bad;                                   /* stdout writes fail */
	uint64_t max_out, queued;                       /* console.h */
	unsigned hook_calls;
} M;

/* Guest output: 0, or -EDQUOT past the limit (what fits still goes out). */
static int model_out(const void *p, size_t len)
{
	int over = 0;

	if (M.max_out && len > M.max_out - M.queued) {
		len = (size_t)(M.max_out - M.queued);
		over = -EDQUOT;
	}
	M.queued += len;
	if (M.out_bad || len == 0)
		return over;
	if (M.out_len + len > M.out_cap) {
		size_t cap = M.out_cap ? M.out_cap : 4096;

		while (cap < M.out_len + len)
			cap *= 2;
		M.out = realloc(M.out, cap);
		if (!M.out)
			abort();
		M.out_cap = cap;
	}
	memcpy(M.out + M.out_len, p, len);
	M.out_len += len;
	return over;
}

static enum mdev model_port(uint64_t port, uint64_t *base)
{
	if (port >= KVMRUN_PORT_COM1 && port < KVMRUN_PORT_COM1 + KVMRUN_PORT_COM1_LEN) {
		*base = KVMRUN_PORT_COM1;
		return M_UART;
	}
	*base = port;
	switch (port) {
	case KVMRUN_PORT_DEBUGCON: return M_DEBUGCON;
	case KVMRUN_PORT_EXIT: return M_EXIT;
	case KVMRUN_PORT_POST: return M_POST;
	case KVMRUN_PORT_WRITE: return M_WRITE;
	}
	return M_NONE;
}

static enum mdev model_find(bool is_mmio, uint64_t addr, uint64_t *base)
{
	if (!is_mmio)
		return model_port(addr, base);
	if (addr >= KVMRUN_TESTDEV_BASE &&
	    addr - KVMRUN_TESTDEV_BASE < KVMRUN_TESTDEV_SIZE) {
		*base = KVMRUN_TESTDEV_BASE;
		return M_TESTDEV;
	}
	return M_NONE;
}

/* README: the UART, the debug console and the POST port are 8-bit. */
static bool byte_wide(enum mdev d)
{
	return d == M_UART || d == M_DEBUGCON || d == M_POST;
}

static uint64_t le_value(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void model_stop(enum stop_kind kind, uint64_t value)
{
	if (M.stop)
		return;
	M.stop = true;
	M.stop_kind = kind;
	M.stop_value = value;
}

static bool model_in_ready(void)  { return M.in_pos < M.in_len; }

static uint8_t model_uart_read(unsigned reg)
{
	bool dlab = M.lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR:
		if (dlab)
			return M.dll;
		return model_in_ready() ? M.in[M.in_pos++] : 0;
	case UART_IER: return dlab ? M.dlm : M.ier;
	case UART_IIR: return 0x01 | ((M.fcr & 1) ? 0xc0 : 0);  /* no interrupt */
	case UART_LCR: return M.lcr;
	case UART_MCR: return M.mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT | (model_in_ready() ? UART_LSR_DR : 0);
	case UART_MSR:
		return UART_MSR_CTS | UART_MSR_DSR | (model_in_ready() ? UART_MSR_DCD : 0);
	default: return M.scr;
	}
}

static int model_uart_write(unsigned reg, uint8_t v)
{
	bool dlab = M.lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			M.dll = v;
		else
			return model_out(&v, 1);
		break;
	case UART_IER:
		if (dlab)
			M.dlm = v;
		else
			M.ier = v & 0x0f;       /* a 16550 has four IER bits */
		break;
	case UART_FCR: M.fcr = v; break;
	case UART_LCR: M.lcr = v; break;
	case UART_MCR: M.mcr = v & 0x1f; break; /* and five MCR bits */
	case UART_SCR: M.scr = v; break;
	}
	return 0;
}

/*
 * The bulk-write call, from the README and struct kvmrun_write.  Returns
 * the console's error; done is checked after the dispatch (it is written
 * into RAM) when this succeeds.
 */
static int model_bulk_write(uint64_t desc)
{
	uint64_t addr, len;
	int r;

	if (desc > RAM_SIZE || RAM_SIZE - desc < sizeof(struct kvmrun_write)) {
		model_stop(STOP_GUEST_ERROR, 0);
		return 0;
	}
	memcpy(&addr, ram.host + desc + offsetof(struct kvmrun_write, addr), 8);
	memcpy(&len, ram.host + desc + offsetof(struct kvmrun_write, len), 8);
	if (len && (addr >= RAM_SIZE || len > RAM_SIZE - addr)) {
		model_stop(STOP_GUEST_ERROR, 0);
		return 0;
	}
	M.bw_calls++;
	if (!len)
		return 0;
	r = model_out(ram.host + addr, len);
	if (r == 0)
		M.bw_bytes += len;
	return r;
}

/*
 * One access to one device (or none), as the bus hands it over.  Returns
 * what the handler or the hook returns: 0, -EIO (the hook failing) or
 * -EDQUOT (the output limit).
 */
static int model_one(bool is_mmio, uint64_t addr, bool write, uint8_t *data,
		      unsigned size, uint8_t *expect, uint64_t *bulk_desc)
{
	uint64_t base, off;
	enum mdev d = model_find(is_mmio, addr, &base);
	unsigned i;

	off = addr - base;
	if (!write)
		memset(expect, 0xff, size);
	switch (d) {
	case M_NONE:
		M.hook_calls++;
		return probe.fail_enabled && addr == probe.fail_addr ? -EIO : 0;
	case M_UART:
		if (write)
			return model_uart_write((unsigned)off, data[0]);
		else
			expect[0] = model_uart_read((unsigned)off);
		break;
	case M_DEBUGCON:
		if (write)
			return model_out(data, 1);
		else
			expect[0] = KVMRUN_PORT_DEBUGCON;
		break;
	case M_EXIT:
		if (write)
			model_stop(STOP_EXIT, le_value(data, size));
		break;
	case M_POST:
		if (write)
			M.post = data[0];
		else
			expect[0] = M.post;
		break;
	case M_WRITE:
		if (!write)
			break;
		if (size != 4) {
			model_stop(STOP_GUEST_ERROR, 0);
			break;
		}
		*bulk_desc = le_value(data, 4);
		return model_bulk_write(*bulk_desc);
	case M_TESTDEV:
		for (i = 0; i < size; i++) {
			uint64_t o = off + i;
			uint8_t *reg = (uint8_t *)M.scratch;

			if (o < KVMRUN_TESTDEV_SCRATCH) {
				if (!write)
					expect[i] = (uint8_t)(KVMRUN_TESTDEV_MAGIC >> (8 * o));
			} else if (o < KVMRUN_TESTDEV_SCRATCH + 8 * KVMRUN_TESTDEV_NSCRATCH) {
				if (write)
					reg[o - KVMRUN_TESTDEV_SCRATCH] = data[i];
				else
					expect[i] = reg[o - KVMRUN_TESTDEV_SCRATCH];
			}
		}
		break;
	}
	return 0;
}

/*
 * A whole dispatch.  bus.h: an access is split into byte accesses when it
 * is wider than a byte and its first byte belongs to an 8-bit device, or
 * belongs to no device while a later byte belongs to an 8-bit device.
 * Like the bus, a split access stops at the first byte that fails.
 * Returns what bus_dispatch should.
 */
static int model_dispatch(bool is_mmio, uint64_t addr, bool write,
			   uint8_t *data, unsigned size, uint8_t *expect,
			   uint64_t *bulk_desc)
{
	uint64_t base;
	enum mdev first = model_find(is_mmio, addr, &base);
	bool split = false;
	unsigned i;
	int r;

	if (size > 1) {
		if (first != M_NONE)
			split = byte_wide(first);
		else
			for (i = 1; i < size; i++)
				if (byte_wide(model_find(is_mmio, addr + i, &base)))
					split = true;
	}
	if (!split)
		return model_one(is_mmio, addr, write, data, size, expect, bulk_desc);
	for (i = 0; i < size; i++)
		if ((r = model_one(is_mmio, addr + i, write, data + i, 1, expect + i,
				   bulk_desc)) < 0)
			return r;
	return 0;
}

/* ---- driving it ------------------------------------------------------------ */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_ram_alloc(&ram, RAM_SIZE);
	in_fd = memfd_create("fuzz-stdin", MFD_CLOEXEC);
	out_fd = memfd_create("fuzz-stdout", MFD_CLOEXEC);
	if (in_fd < 0 || out_fd < 0) {
		perror("memfd_create");
		abort();
	}
	return 0;
}

static void setup(bool have_input, const uint8_t *input, size_t input_len,
		  bool bad_out, uint64_t max_out)
{
	struct error err;

	if (ftruncate(in_fd, 0) < 0 || ftruncate(out_fd, 0) < 0 ||
	    lseek(in_fd, 0, SEEK_SET) < 0 || lseek(out_fd, 0, SEEK_SET) < 0 ||
	    (input_len && pwrite(in_fd, input, input_len, 0) != (ssize_t)input_len)) {
		perror("memfd");
		abort();
	}
	if (console_init(&con, bad_out ? 1000000 : out_fd, have_input ? in_fd : -1) < 0)
		abort();
	con.max_out = max_out;
	FUZZ_CHECK(fuzz_ram_map(&ram, &mm, RAM_SIZE, &err) == 0, "%s", err.msg);
	memset(ram.host, 0, RAM_SIZE);
	unclaimed_init(&ulog);

	bus_init(&pio, "port");
	bus_init(&mmio, "MMIO");
	pio.unclaimed = hook;
	pio.unclaimed_ctx = (void *)(uintptr_t)IO_SPACE_PORT;
	mmio.unclaimed = hook;
	mmio.unclaimed_ctx = (void *)(uintptr_t)IO_SPACE_MMIO;
	FUZZ_CHECK(uart_register(&pio, &uart, &con, &err) == 0, "%s", err.msg);
	FUZZ_CHECK(debugcon_register(&pio, &con, &err) == 0, "%s", err.msg);
	FUZZ_CHECK(exitdev_register(&pio, &stop, &err) == 0, "%s", err.msg);
	FUZZ_CHECK(post_register(&pio, &post, &err) == 0, "%s", err.msg);
	FUZZ_CHECK(bulk_write_register(&pio, &bw, &con, &mm, &stop, &err) == 0,
		   "%s", err.msg);
	FUZZ_CHECK(testdev_register(&mmio, &td, &err) == 0, "%s", err.msg);
	/* Registering anything overlapping must fail. */
	FUZZ_CHECK(bus_register(&pio, KVMRUN_PORT_COM1 + 7, 2, "overlap", NULL,
				NULL, 0, &err) < 0, "an overlapping range was accepted");
	wrap_handlers(&pio, 0, 6);
	wrap_handlers(&mmio, 1, 2);

	memset(&M, 0, sizeof(M));
	M.in = have_input ? input : NULL;
	M.in_len = have_input ? input_len : 0;
	M.out_bad = bad_out;
	M.max_out = max_out;
}

/* Free everything an input allocated (or libFuzzer suspects a leak). */
static void teardown(void)
{
	free(M.out);
	M.out = NULL;
	console_fini(&con);
	fuzz_ram_unmap(&ram, &mm);
}

static uint64_t pick_addr(struct fuzz_in *in, bool is_mmio, unsigned mode)
{
	static const uint64_t ports[] = {
		KVMRUN_PORT_COM1, KVMRUN_PORT_DEBUGCON, KVMRUN_PORT_EXIT,
		KVMRUN_PORT_POST, KVMRUN_PORT_WRITE, KVMRUN_PORT_COM1 + 4,
		0x0, 0xfff8,
	};
	static const uint64_t mmios[] = {
		KVMRUN_TESTDEV_BASE, KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_SCRATCH,
		KVMRUN_TESTDEV_BASE + 0x40, KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_SIZE,
		KVMRUN_MMIO_WINDOW, 0xfffffffc, RAM_SIZE, UINT64_MAX - 7,
	};
	uint8_t b;

	switch (mode) {
	case 0:
	case 1:                 /* a device's address plus a small delta */
		b = fuzz_u8(in);
		return (is_mmio ? mmios : ports)[b & 7] + (uint64_t)((int8_t)b >> 3);
	case 2:
		return fuzz_u16(in) | (is_mmio ? KVMRUN_TESTDEV_BASE : 0);
	default:
		return fuzz_u64(in);
	}
}

static unsigned pick_size(unsigned code, struct fuzz_in *in)
{
	static const unsigned sizes[7] = { 1, 2, 4, 8, 1, 2, 4 };

	return code < 7 ? sizes[code] : fuzz_u8(in) & 15;
}

/*
 * What the run loop does before the guest runs again (console.h): push
 * output until the console has room for another exit's writes and holds
 * no write by reference into guest RAM, which the guest could change.
 */
static void make_room(void)
{
	while (console_busy(&con) && console_push(&con) == -EAGAIN)
		;
	bulk_write_finish(&bw);
}

/* After a failed stdout write the model cannot know how far the access
 * got: take over the devices' state. */
static void resync(void)
{
	M.ier = uart.ier; M.lcr = uart.lcr; M.mcr = uart.mcr; M.scr = uart.scr;
	M.fcr = uart.fcr; M.dll = uart.dll; M.dlm = uart.dlm;
	M.post = post.last;
	memcpy(M.scratch, td.scratch, sizeof(M.scratch));
	M.stop = stop.requested;
	M.stop_kind = stop.kind;
	M.stop_value = stop.value;
	M.bw_calls = bw.calls;
	M.bw_bytes = bw.bytes;
	M.queued = con.queued;
}

static void one_access(struct fuzz_in *in, uint8_t op)
{
	bool is_mmio = (op & 3) == 1, write = op & 4;
	unsigned size = pick_size((op >> 3) & 7, in);
	uint64_t addr = pick_addr(in, is_mmio, op >> 6);
	uint8_t val[16] = { 0 }, expect[BUS_MAX_ACCESS];
	uint64_t bulk_desc = UINT64_MAX, v;
	unsigned hook_before = M.hook_calls, i;
	uint8_t *buf;
	bool bad = size == 0 || size > BUS_MAX_ACCESS;
	int want = 0;
	const char *what = is_mmio ? (write ? "MMIO write" : "MMIO read")
				   : (write ? "port write" : "port read");
	int r;

	v = fuzz_u64(in);
	memcpy(val, &v, sizeof(v));
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	buf += size ? 0 : 1;                            /* size 0: nothing to touch */
	for (i = 0; i < size; i++)
		buf[i] = write ? val[i] : (uint8_t)(0x5a + i);  /* data, or a canary */

	memset(&probe.covered, 0, sizeof(probe.covered));
	probe.buf = buf;
	probe.size = size;
	probe.hook_calls = 0;
	probe.hook_failed = false;
	probe.space = is_mmio ? IO_SPACE_MMIO : IO_SPACE_PORT;

	if (!bad)
		want = model_dispatch(is_mmio, addr, write, val, size, expect, &bulk_desc);
	r = bus_dispatch(is_mmio ? &mmio : &pio, addr, write, buf, size);

	if (bad) {
		FUZZ_CHECK(r == -EINVAL, "size %u: returned %d, want -EINVAL", size, r);
		FUZZ_CHECK(probe.hook_calls == 0, "size %u reached the hook", size);
		for (i = 0; i < size; i++)
			FUZZ_CHECK(buf[i] == (write ? val[i] : (uint8_t)(0x5a + i)),
				   "size %u: the buffer was touched", size);
		goto out;
	}
	FUZZ_CHECK(r <= 0 && r > -4096, "%s returned %d: not 0 or -errno", what, r);
	if (M.out_bad && r < 0 && r != want) {
		/* stdout failed somewhere inside: only "no crash" counts. */
		M.hook_calls = hook_before + probe.hook_calls;
		resync();
		goto out;
	}
	FUZZ_CHECK(r == want, "%s of %u at %#llx returned %d, want %d",
		   what, size, (unsigned long long)addr, r, want);
	FUZZ_CHECK(probe.hook_failed == (want == -EIO), "hook failure not as modelled");
	FUZZ_CHECK(con.queued == M.queued || M.out_bad, "console queued %llu bytes, "
		   "model %llu", (unsigned long long)con.queued,
		   (unsigned long long)M.queued);
	FUZZ_CHECK(probe.hook_calls == M.hook_calls - hook_before,
		   "%s of %u at %#llx: %u unclaimed calls, want %u", what, size,
		   (unsigned long long)addr, probe.hook_calls, M.hook_calls - hook_before);
	if (r < 0)
		goto out;               /* the rest of a split access was not done */
	for (i = 0; i < size; i++)
		FUZZ_CHECK(probe.covered[i], "byte %u of a %u-byte %s at %#llx reached "
			   "no device and no hook", i, size, what, (unsigned long long)addr);
	for (i = 0; i < size; i++) {
		if (write)
			FUZZ_CHECK(buf[i] == val[i], "a %s changed its data", what);
		else
			FUZZ_CHECK(buf[i] == expect[i], "%s of %u at %#llx: byte %u is "
				   "%#x, want %#x", what, size, (unsigned long long)addr, i,
				   buf[i], expect[i]);
	}
	/* done is set once the bytes are out: never, when stdout fails (the
	 * run loop then ends the run). */
	if (bulk_desc != UINT64_MAX && !M.stop && r == 0 && !M.out_bad) {
		make_room();
		uint64_t done, len;

		memcpy(&len, ram.host + bulk_desc + offsetof(struct kvmrun_write, len), 8);
		memcpy(&done, ram.host + bulk_desc + offsetof(struct kvmrun_write, done), 8);
		FUZZ_CHECK(done == len, "bulk write: done %llu, len %llu",
			   (unsigned long long)done, (unsigned long long)len);
	}
out:
	free(buf - (size ? 0 : 1));
}

/* Write guest RAM directly, as guest code would. */
static void poke(struct fuzz_in *in, uint8_t op)
{
	uint32_t addr = fuzz_u32(in) % RAM_SIZE;
	uint64_t v = fuzz_u64(in);
	size_t n = RAM_SIZE - addr < 8 ? RAM_SIZE - addr : 8;

	(void)op;
	memcpy(ram.host + addr, &v, n);
}

/* A bulk-write call: struct kvmrun_write at desc, then outl desc to 0xf0. */
static void bulk_call(struct fuzz_in *in, uint8_t op)
{
	uint64_t desc = op & 0x80 ? fuzz_u32(in) : (uint64_t)fuzz_u16(in) << 4;
	uint64_t addr = fuzz_u32(in) % (RAM_SIZE + 64);
	uint64_t len = op & 0x40 ? fuzz_u64(in) : fuzz_u16(in);
	struct kvmrun_write w = { .addr = addr, .len = len, .done = 0xdeadbeef };
	uint8_t msg[10];
	struct fuzz_in sub = { msg, sizeof(msg) };

	if (desc < RAM_SIZE && RAM_SIZE - desc >= sizeof(w))
		memcpy(ram.host + desc, &w, sizeof(w));
	/* A port write (0) of 4 bytes (size code 2) to a raw 16-bit port
	 * (address mode 2): the port, then 8 data bytes. */
	msg[0] = (uint8_t)KVMRUN_PORT_WRITE;
	msg[1] = (uint8_t)(KVMRUN_PORT_WRITE >> 8);
	memcpy(msg + 2, &desc, 8);
	one_access(&sub, (uint8_t)(0 | 4 | 2 << 3 | 2 << 6));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t flags = fuzz_u8(&in);
	size_t input_len = fuzz_u8(&in);
	uint16_t fail_lo = fuzz_u16(&in);
	uint16_t max_out = fuzz_u16(&in);
	const uint8_t *input = in.p;
	unsigned ops = 0;

	if (input_len > in.n)
		input_len = in.n;
	in.p += input_len;
	in.n -= input_len;
	setup(flags & 1, input, input_len, flags & 2, flags & 8 ? max_out : 0);
	probe.fail_enabled = flags & 4;
	probe.fail_addr = fail_lo < 0x100 ? KVMRUN_TESTDEV_BASE - 1 - fail_lo : fail_lo;

	while (in.n && ops++ < MAX_OPS && M.out_len < OUT_CAP) {
		uint8_t op = fuzz_u8(&in);

		make_room();
		switch (op & 3) {
		case 0:
		case 1: one_access(&in, op); break;
		case 2: poke(&in, op); break;
		default: bulk_call(&in, op); break;
		}
		/* The stop request is the model's. */
		FUZZ_CHECK(stop.requested == M.stop, "stop requested: %d, model %d",
			   stop.requested, M.stop);
		if (M.stop) {
			FUZZ_CHECK(stop.kind == M.stop_kind, "stop kind %d, model %d",
				   (int)stop.kind, (int)M.stop_kind);
			if (M.stop_kind == STOP_EXIT)
				FUZZ_CHECK(stop.value == M.stop_value, "exit value %#llx, "
					   "model %#llx", (unsigned long long)stop.value,
					   (unsigned long long)M.stop_value);
			else
				FUZZ_CHECK(memchr(stop.why, 0, sizeof(stop.why)) && stop.why[0],
					   "guest error without a reason");
		}
		FUZZ_CHECK(bw.calls == M.bw_calls && bw.bytes == M.bw_bytes,
			   "bulk write: %llu calls %llu bytes, model %llu %llu",
			   (unsigned long long)bw.calls, (unsigned long long)bw.bytes,
			   (unsigned long long)M.bw_calls, (unsigned long long)M.bw_bytes);
		FUZZ_CHECK(memcmp(td.scratch, M.scratch, sizeof(M.scratch)) == 0,
			   "test device scratch registers differ from the model");
		FUZZ_CHECK(post.last == M.post, "POST code %#x, model %#x", post.last, M.post);
	}

	/* The unclaimed log adds up. */
	{
		uint64_t sum = ulog.other_accesses;
		unsigned i;

		for (i = 0; i < ulog.nr; i++)
			sum += ulog.entries[i].reads + ulog.entries[i].writes;
		FUZZ_CHECK(ulog.total == sum && ulog.total == M.hook_calls,
			   "unclaimed log: total %llu, entries sum %llu, hook calls %u",
			   (unsigned long long)ulog.total, (unsigned long long)sum,
			   M.hook_calls);
	}

	/* stdout holds exactly what the guest wrote, in order. */
	if (!M.out_bad) {
		off_t len;
		uint8_t *got;

		int r;

		while ((r = console_push(&con)) == -EAGAIN)
			;
		FUZZ_CHECK(r == 0, "console_push failed: %d", r);
		len = lseek(out_fd, 0, SEEK_END);
		FUZZ_CHECK(len >= 0 && (size_t)len == M.out_len,
			   "stdout has %lld bytes, model %zu", (long long)len, M.out_len);
		FUZZ_CHECK(con.bytes_out == M.out_len, "bytes_out %llu, model %zu",
			   (unsigned long long)con.bytes_out, M.out_len);
		got = malloc(M.out_len ? M.out_len : 1);
		if (!got)
			abort();
		FUZZ_CHECK(pread(out_fd, got, M.out_len, 0) == (ssize_t)M.out_len,
			   "short read of stdout");
		if (M.out_len && memcmp(got, M.out, M.out_len)) {
			size_t i;

			for (i = 0; got[i] == M.out[i]; i++)
				;
			FUZZ_CHECK(0, "stdout differs from the model at byte %zu: "
				   "%#x, want %#x", i, got[i], M.out[i]);
		}
		free(got);
	}
	teardown();
	return 0;
}
