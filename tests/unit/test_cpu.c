/* SPDX-License-Identifier: MIT */
/* Unit tests for cpu.c: the general registers by name and offset. */
#include <string.h>
#include <linux/kvm.h>

#include "cpu.h"
#include "test.h"

/* Each name reaches the field of that name, and no other. */
TEST(cpu_gprs_reach_their_own_fields)
{
	struct kvm_regs regs;
	const __u64 *fields[CPU_NR_GPRS] = {
		&regs.rax, &regs.rbx, &regs.rcx, &regs.rdx, &regs.rsi, &regs.rdi,
		&regs.rsp, &regs.rbp, &regs.r8, &regs.r9, &regs.r10, &regs.r11,
		&regs.r12, &regs.r13, &regs.r14, &regs.r15,
	};
	static const char *const names[CPU_NR_GPRS] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};

	for (unsigned i = 0; i < CPU_NR_GPRS; i++) {
		memset(&regs, 0, sizeof(regs));
		cpu_gpr_set(&regs, i, 0x1111111111111111ULL * (i + 1));
		TEST_STREQ(cpu_gprs[i].name, names[i]);
		TEST_EQ(*fields[i], 0x1111111111111111ULL * (i + 1));
		TEST_EQ(cpu_gpr_get(&regs, i), 0x1111111111111111ULL * (i + 1));
		TEST_EQ(regs.rip, 0);
		TEST_EQ(regs.rflags, 0);
	}
}

const struct test tests_cpu[] = {
	TEST_ENTRY(cpu_gprs_reach_their_own_fields),
	TEST_END,
};
