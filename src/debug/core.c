/* SPDX-License-Identifier: MIT */
/* --core: an ELF core file of the guest (core.h). */
#include "debug/core.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/user.h>
#include <unistd.h>

#define CORE_ALIGN      4096    /* segment data starts on a page */

/*
 * A note at buf: its header, the name "CORE" with its NUL padded to 8
 * bytes, then the description padded to 4.  Returns the bytes it took.
 */
static size_t put_note(uint8_t *buf, uint32_t type, const void *desc, size_t len)
{
	Elf64_Nhdr head = { .n_namesz = 5, .n_descsz = (Elf64_Word)len, .n_type = type };
	size_t padded = (len + 3) & ~(size_t)3;

	memcpy(buf, &head, sizeof(head));
	memset(buf + sizeof(head), 0, 8 + padded);
	memcpy(buf + sizeof(head), "CORE", 5);
	memcpy(buf + sizeof(head) + 8, desc, len);
	return sizeof(head) + 8 + padded;
}

static int write_at(int fd, const void *buf, size_t len, uint64_t off, struct error *err)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error_errno(err, n < 0 ? errno : EIO, "--core: cannot write "
					   "the core file");
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static void general_registers(const struct core_state *st, struct user_regs_struct *u)
{
	const struct kvm_regs *r = st->regs;
	const struct kvm_sregs *s = st->sregs;

	memset(u, 0, sizeof(*u));
	u->r15 = r->r15; u->r14 = r->r14; u->r13 = r->r13; u->r12 = r->r12;
	u->rbp = r->rbp; u->rbx = r->rbx; u->r11 = r->r11; u->r10 = r->r10;
	u->r9 = r->r9; u->r8 = r->r8; u->rax = r->rax; u->rcx = r->rcx;
	u->rdx = r->rdx; u->rsi = r->rsi; u->rdi = r->rdi;
	u->orig_rax = ~0ULL;            /* not in a system call */
	u->rip = r->rip;
	u->eflags = r->rflags;
	u->rsp = r->rsp;
	u->cs = s->cs.selector; u->ss = s->ss.selector;
	u->ds = s->ds.selector; u->es = s->es.selector;
	u->fs = s->fs.selector; u->gs = s->gs.selector;
	u->fs_base = s->fs.base;
	u->gs_base = s->gs.base;
}

static void float_registers(const struct kvm_fpu *f, struct user_fpregs_struct *x)
{
	memset(x, 0, sizeof(*x));
	x->cwd = f->fcw;
	x->swd = f->fsw;
	x->ftw = f->ftwx;               /* FXSAVE's abridged tag, as Linux's */
	x->fop = f->last_opcode;
	x->rip = f->last_ip;
	x->rdp = f->last_dp;
	x->mxcsr = f->mxcsr;
	x->mxcr_mask = 0xffff;
	for (unsigned i = 0; i < 8; i++)
		memcpy((uint8_t *)x->st_space + 16 * i, f->fpr[i], 16);
	memcpy(x->xmm_space, f->xmm, sizeof(f->xmm));
}

/* The RAM of one slot, page by page, leaving holes for pages of zeros. */
static int write_ram(int fd, const uint8_t *ram, uint64_t size, uint64_t off,
		     struct error *err)
{
	static const uint8_t zeros[CORE_ALIGN];

	for (uint64_t p = 0; p < size; p += CORE_ALIGN) {
		uint64_t n = size - p < CORE_ALIGN ? size - p : CORE_ALIGN;

		if (memcmp(ram + p, zeros, n) != 0 &&
		    write_at(fd, ram + p, n, off + p, err) < 0)
			return -1;
	}
	return 0;
}

int core_write(int fd, const struct core_state *st, struct error *err)
{
	const struct memmap *mm = st->mem;
	struct elf_prstatus prstatus;
	struct user_fpregs_struct fpregs;
	uint8_t notes[2 * (sizeof(Elf64_Nhdr) + 8) + sizeof(prstatus) + sizeof(fpregs) + 8];
	struct user_regs_struct u;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[1 + sizeof(mm->slots) / sizeof(mm->slots[0])];
	unsigned nph = 1 + mm->nr_slots;
	uint64_t notes_off = sizeof(eh) + nph * sizeof(Elf64_Phdr), data_off, end;
	size_t notes_len;

	memset(&prstatus, 0, sizeof(prstatus));
	prstatus.pr_info.si_signo = st->signo;
	prstatus.pr_cursig = (short)st->signo;
	prstatus.pr_pid = 1;
	general_registers(st, &u);
	memcpy(&prstatus.pr_reg, &u, sizeof(u));
	prstatus.pr_fpvalid = st->fpu != NULL;
	notes_len = put_note(notes, NT_PRSTATUS, &prstatus, sizeof(prstatus));
	if (st->fpu) {
		float_registers(st->fpu, &fpregs);
		notes_len += put_note(notes + notes_len, NT_FPREGSET, &fpregs, sizeof(fpregs));
	}
	data_off = (notes_off + notes_len + CORE_ALIGN - 1) & ~(uint64_t)(CORE_ALIGN - 1);

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)nph;

	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = notes_off;
	ph[0].p_filesz = notes_len;
	ph[0].p_align = 4;
	end = data_off;
	for (unsigned i = 0; i < mm->nr_slots; i++) {
		Elf64_Phdr *p = &ph[1 + i];

		p->p_type = PT_LOAD;
		p->p_flags = PF_R | PF_W | PF_X;
		p->p_offset = end;
		p->p_vaddr = p->p_paddr = mm->slots[i].gpa;
		p->p_filesz = p->p_memsz = mm->slots[i].size;
		p->p_align = CORE_ALIGN;
		end += mm->slots[i].size;
	}

	if (write_at(fd, &eh, sizeof(eh), 0, err) < 0 ||
	    write_at(fd, ph, nph * sizeof(Elf64_Phdr), sizeof(eh), err) < 0 ||
	    write_at(fd, notes, notes_len, notes_off, err) < 0)
		return -1;
	for (unsigned i = 0; i < mm->nr_slots; i++)
		if (write_ram(fd, mm->host + mm->slots[i].host_offset, mm->slots[i].size,
			      ph[1 + i].p_offset, err) < 0)
			return -1;
	/* The file's full length: the pages never written read as zeros. */
	if (ftruncate(fd, (off_t)end) < 0)
		return error_errno(err, errno, "--core: cannot size the core file");
	return 0;
}
