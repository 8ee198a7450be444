/* Unit tests: the gdb stub's framing, registers and addresses (src/debug/). */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <unistd.h>

#include "debug/core.h"
#include "debug/gdb_addr.h"
#include "debug/gdb_packet.h"
#include "cpu.h"
#include "debug/gdb_regs.h"
#include "guest_ram.h"
#include "test.h"

/* Feed text; the events it produced, as letters: P packet, B bad, I
 * interrupt, A ack, N nack. */
static void feed(struct gdb_rx *rx, const char *text, size_t len, char *events)
{
	static const char letter[] = { [GDB_PACKET] = 'P', [GDB_BAD_PACKET] = 'B',
		[GDB_INTERRUPT] = 'I', [GDB_ACK] = 'A', [GDB_NACK] = 'N' };
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		enum gdb_event ev = gdb_rx_byte(rx, (uint8_t)text[i]);

		if (ev != GDB_NONE)
			events[n++] = letter[ev];
	}
	events[n] = '\0';
}

TEST(gdb_packets_framed_and_checked)
{
	struct gdb_rx rx;
	char ev[32];

	gdb_rx_init(&rx);
	feed(&rx, "+$g#67", 6, ev);
	TEST_STREQ(ev, "AP");
	TEST_STREQ(rx.data, "g");
	feed(&rx, "$g#68", 5, ev);                     /* wrong checksum */
	TEST_STREQ(ev, "B");
	feed(&rx, "\x03-$?#3f", 7, ev);
	TEST_STREQ(ev, "INP");
	TEST_STREQ(rx.data, "?");
	feed(&rx, "$m10,4#zz", 9, ev);                 /* not hex */
	TEST_STREQ(ev, "B");
	feed(&rx, "$qSupported#3", 13, ev);            /* truncated: nothing yet */
	TEST_STREQ(ev, "");
	feed(&rx, "7", 1, ev);
	TEST_STREQ(ev, "P");
	TEST_STREQ(rx.data, "qSupported");
	feed(&rx, "$qSupp$g#67", 11, ev);              /* cut short, then whole */
	TEST_STREQ(ev, "P");
	TEST_STREQ(rx.data, "g");
	feed(&rx, "$qSupported#$g#67", 17, ev);        /* cut in its checksum */
	TEST_STREQ(ev, "P");
	TEST_STREQ(rx.data, "g");
}

TEST(gdb_escapes_and_repeats)
{
	struct gdb_rx rx;
	char framed[64], ev[8];
	size_t n = gdb_frame("a$b#c}d*e", 9, framed, sizeof(framed));

	unsigned dollars = 0;

	TEST_CHECK(n > 0);
	for (size_t i = 0; i < n; i++)
		dollars += framed[i] == '$';
	TEST_EQ(dollars, 1);                    /* the one in the data is escaped */
	gdb_rx_init(&rx);
	feed(&rx, framed, n, ev);
	TEST_STREQ(ev, "P");
	TEST_STREQ(rx.data, "a$b#c}d*e");
	/* "0* " is '0' and then 3 more (' ' is 32: 32 - 29). */
	feed(&rx, "$0* #7a", 7, ev);
	TEST_STREQ(ev, "P");
	TEST_STREQ(rx.data, "0000");
	feed(&rx, "$*!#4b", 6, ev);                    /* nothing to repeat */
	TEST_STREQ(ev, "B");
	TEST_EQ(gdb_frame("abc", 3, framed, 6), 0);    /* no room */
}

TEST(gdb_oversize_packet_refused)
{
	struct gdb_rx *rx = malloc(sizeof(*rx));
	char ev[8];
	uint8_t sum = 0;

	TEST_CHECK(rx != NULL);
	if (!rx)
		return;
	gdb_rx_init(rx);
	gdb_rx_byte(rx, '$');
	for (size_t i = 0; i < GDB_PACKET_MAX + 10; i++) {
		gdb_rx_byte(rx, 'x');
		sum = (uint8_t)(sum + 'x');
	}
	{
		char tail[4];
		static const char hex[] = "0123456789abcdef";

		tail[0] = '#';
		tail[1] = hex[sum >> 4];
		tail[2] = hex[sum & 15];
		feed(rx, tail, 3, ev);
	}
	TEST_STREQ(ev, "B");
	TEST_CHECK(rx->len <= GDB_PACKET_MAX);
	feed(rx, "$k#6b", 5, ev);                      /* and it recovers */
	TEST_STREQ(ev, "P");
	free(rx);
}

TEST(gdb_hex_numbers)
{
	const char *p = "1f,ab:";
	uint64_t v;
	uint8_t b[2];
	char out[8];

	TEST_CHECK(gdb_hex_u64(&p, &v));
	TEST_EQ(v, 0x1f);
	TEST_EQ(*p, ',');
	p = "";
	TEST_CHECK(!gdb_hex_u64(&p, &v));
	p = "12345678123456781";                       /* 17 digits */
	TEST_CHECK(!gdb_hex_u64(&p, &v));
	TEST_CHECK(gdb_hex_decode("0aFf", b, 2));
	TEST_EQ(b[0], 0x0a);
	TEST_EQ(b[1], 0xff);
	TEST_CHECK(!gdb_hex_decode("0g", b, 1));
	gdb_hex_encode(b, 2, out);
	TEST_STREQ(out, "0aff");
}

/* gdb's amd64 layout: 16 GPRs, rip, eflags, 6 selectors, 8 x87, 8 control
 * words, 16 xmm, mxcsr, then fs_base, gs_base, cr0-cr8, efer. */
TEST(gdb_register_layout)
{
	struct gdb_cpu cpu, back;
	uint8_t block[1024];

	TEST_EQ(gdb_reg_size(0), 8);
	TEST_EQ(gdb_reg_size(GDB_REG_EFLAGS), 4);
	TEST_EQ(gdb_reg_size(GDB_REG_ST0), 10);
	TEST_EQ(gdb_reg_size(GDB_REG_XMM0), 16);
	TEST_EQ(gdb_reg_size(GDB_NR_REGS), 0);
	TEST_EQ(gdb_reg_offset(GDB_REG_RIP), 128);
	TEST_EQ(gdb_reg_offset(GDB_REG_ST0), 128 + 8 + 4 + 24);
	TEST_EQ(gdb_regs_bytes(), 600);
	memset(&cpu, 0, sizeof(cpu));
	cpu.regs.rbp = 0x1111;                  /* gdb's 6th: rbp, not rsp */
	cpu.regs.rsp = 0x2222;
	cpu.regs.r12 = 0x12121212;
	cpu.regs.rip = 0x10000;
	cpu.regs.rflags = 0x246;
	cpu.sregs.cs.selector = 0x33;
	cpu.sregs.fs.base = 0xfeed;
	cpu.sregs.cr3 = 0x1000;
	cpu.fpu.xmm[3][0] = 0x5a;
	cpu.fpu.ftwx = 0x01;                    /* st0 valid, the rest empty */
	gdb_regs_pack(&cpu, block);
	TEST_EQ(block[gdb_reg_offset(6)], 0x11);
	TEST_EQ(block[gdb_reg_offset(7)], 0x22);
	TEST_EQ(block[gdb_reg_offset(12)], 0x12);
	TEST_EQ(block[gdb_reg_offset(GDB_REG_CS)], 0x33);
	TEST_EQ(block[gdb_reg_offset(GDB_REG_XMM0 + 3)], 0x5a);
	TEST_EQ(block[gdb_reg_offset(GDB_REG_FS_BASE) + 1], 0xfe);
	TEST_EQ(block[gdb_reg_offset(GDB_REG_CR0 + 2) + 1], 0x10);
	TEST_EQ(block[gdb_reg_offset(GDB_REG_ST0 + 10)], 0xfc);   /* ftag */
	memset(&back, 0, sizeof(back));
	gdb_regs_unpack(block, &back);
	TEST_EQ(back.regs.rbp, 0x1111);
	TEST_EQ(back.regs.rsp, 0x2222);
	TEST_EQ(back.regs.r12, 0x12121212);
	TEST_EQ(back.regs.rflags, 0x246);
	TEST_EQ(back.sregs.fs.base, 0xfeed);
	TEST_EQ(back.fpu.xmm[3][0], 0x5a);
	TEST_CONTAINS(gdb_target_xml(), "org.gnu.gdb.i386.core");
	TEST_CONTAINS(gdb_target_xml(), "<reg name=\"efer\"");
}

/* gdb's pc: CS base + RIP outside 64-bit code, RIP in it. */
TEST(gdb_pc_is_linear)
{
	struct kvm_regs regs = { .rip = 0x5 };
	struct kvm_sregs real = { .cs = { .base = 0x10000, .selector = 0x1000 } };
	struct kvm_sregs longm = {
		.efer = X86_EFER_LMA, .cs = { .base = 0x10000, .l = 1 },
	};

	TEST_EQ(gdb_pc(&regs, &real), 0x10005);
	TEST_EQ(gdb_rip_of_pc(0x10007, &real), 0x7);
	regs.rip = 0xffffffff80001000ULL;
	TEST_EQ(gdb_pc(&regs, &longm), 0xffffffff80001000ULL);
	TEST_EQ(gdb_rip_of_pc(0x10007, &longm), 0x10007);
}

TEST(gdb_addresses)
{
	struct gdb_addr a;
	struct error err;

	TEST_EQ(gdb_addr_parse(":1234", &a, &err), 0);
	TEST_STREQ(a.host, "127.0.0.1");
	TEST_EQ(a.port, 1234);
	TEST_CHECK(a.loopback);
	TEST_EQ(gdb_addr_parse("localhost:9", &a, &err), 0);
	TEST_STREQ(a.host, "127.0.0.1");
	TEST_EQ(gdb_addr_parse("0.0.0.0:1234", &a, &err), 0);
	TEST_CHECK(!a.loopback);
	TEST_EQ(gdb_addr_parse("unix:/tmp/s", &a, &err), 0);
	TEST_CHECK(a.unix_socket);
	TEST_STREQ(a.path, "/tmp/s");
	TEST_EQ(gdb_addr_parse("1234", &a, &err), -1);
	TEST_CONTAINS(err.msg, "[HOST]:PORT or unix:PATH");
	TEST_EQ(gdb_addr_parse(":0", &a, &err), -1);
	TEST_EQ(gdb_addr_parse(":65536", &a, &err), -1);
	TEST_EQ(gdb_addr_parse("example.com:1", &a, &err), -1);
	TEST_CONTAINS(err.msg, "IPv4");
	TEST_EQ(gdb_addr_parse("unix:", &a, &err), -1);
}

/* A core of 2 MiB of RAM with one page written: header, notes, sparse. */
TEST(core_file_layout)
{
	struct memmap mm;
	struct kvm_regs regs = { .rip = 0x10042, .rsp = 0xfff0, .r12 = 12 };
	struct kvm_sregs sregs = { .cs = { .selector = 0x33 } };
	struct kvm_fpu fpu = { .mxcsr = 0x1f80 };
	struct core_state st = { .regs = &regs, .sregs = &sregs, .fpu = &fpu,
				 .mem = &mm, .signo = 8 };
	char path[] = "/tmp/kvmrun-core-XXXXXX";
	struct error err;
	struct stat sb;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	Elf64_Nhdr nh;
	struct elf_prstatus pr;
	struct user_regs_struct u;
	uint8_t page[16];
	int fd = mkstemp(path);

	TEST_CHECK(fd >= 0);
	if (fd < 0 || guest_ram_init(&mm, 2 << 20) < 0)
		return;
	memset(memmap_gpa(&mm, 0x10000, 16), 0xab, 16);
	TEST_EQ(core_write(fd, &st, &err), 0);
	TEST_EQ(pread(fd, &eh, sizeof(eh), 0), (ssize_t)sizeof(eh));
	TEST_EQ(memcmp(eh.e_ident, ELFMAG, SELFMAG), 0);
	TEST_EQ(eh.e_type, ET_CORE);
	TEST_EQ(eh.e_machine, EM_X86_64);
	TEST_EQ(eh.e_phnum, 1 + mm.nr_slots);
	TEST_EQ(pread(fd, ph, 2 * sizeof(Elf64_Phdr), (off_t)eh.e_phoff),
		(ssize_t)(2 * sizeof(Elf64_Phdr)));
	TEST_EQ(ph[0].p_type, PT_NOTE);
	TEST_EQ(ph[1].p_type, PT_LOAD);
	TEST_EQ(ph[1].p_vaddr, 0);
	TEST_EQ(ph[1].p_filesz, 2 << 20);
	TEST_EQ(ph[1].p_offset % 4096, 0);
	/* NT_PRSTATUS first: "CORE", the signal, the registers. */
	TEST_EQ(pread(fd, &nh, sizeof(nh), (off_t)ph[0].p_offset), (ssize_t)sizeof(nh));
	TEST_EQ(nh.n_type, NT_PRSTATUS);
	TEST_EQ(nh.n_namesz, 5);
	TEST_EQ(nh.n_descsz, sizeof(pr));
	TEST_EQ(pread(fd, &pr, sizeof(pr), (off_t)(ph[0].p_offset + sizeof(nh) + 8)),
		(ssize_t)sizeof(pr));
	TEST_EQ(pr.pr_cursig, 8);
	memcpy(&u, &pr.pr_reg, sizeof(u));
	TEST_EQ(u.rip, 0x10042);
	TEST_EQ(u.rsp, 0xfff0);
	TEST_EQ(u.r12, 12);
	TEST_EQ(u.cs, 0x33);
	/* RAM where it says; the file as long as RAM, mostly holes. */
	TEST_EQ(pread(fd, page, 16, (off_t)(ph[1].p_offset + 0x10000)), 16);
	TEST_EQ(page[0], 0xab);
	TEST_EQ(page[15], 0xab);
	TEST_EQ(fstat(fd, &sb), 0);
	TEST_EQ((uint64_t)sb.st_size, ph[1].p_offset + (2 << 20));
	TEST_CHECK((uint64_t)sb.st_blocks * 512 < (1 << 20));
	close(fd);
	unlink(path);
	guest_ram_free(&mm);
}

const struct test tests_gdb[] = {
	TEST_ENTRY(core_file_layout),
	TEST_ENTRY(gdb_packets_framed_and_checked),
	TEST_ENTRY(gdb_escapes_and_repeats),
	TEST_ENTRY(gdb_oversize_packet_refused),
	TEST_ENTRY(gdb_hex_numbers),
	TEST_ENTRY(gdb_register_layout),
	TEST_ENTRY(gdb_pc_is_linear),
	TEST_ENTRY(gdb_addresses),
	TEST_END,
};
