/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the parts of kvm.c that need no KVM: the API version
 * check, the exit-reason names, and the messages for a missing device or
 * one that is not KVM.
 */
#include <string.h>

#include "kvm.h"
#include "test.h"

TEST(kvm_api_version_check)
{
	struct error err = { "" };

	TEST_EQ(kvm_check_api_version(KVM_API_VERSION, &err), 0);
	TEST_EQ(kvm_check_api_version(11, &err), -1);
	TEST_CHECK(strcmp(err.msg, "unsupported KVM API version 11 (kvmrun needs "
			  "version 12)") == 0);
	TEST_EQ(kvm_check_api_version(-1, &err), -1);
}

TEST(kvm_exit_names)
{
	TEST_CHECK(strcmp(kvm_exit_name(KVM_EXIT_IO), "KVM_EXIT_IO") == 0);
	TEST_CHECK(strcmp(kvm_exit_name(KVM_EXIT_SHUTDOWN), "KVM_EXIT_SHUTDOWN") == 0);
	TEST_CHECK(strcmp(kvm_exit_name(KVM_EXIT_INTERNAL_ERROR),
			  "KVM_EXIT_INTERNAL_ERROR") == 0);
	/* Past the table, or a hole in it: never an out-of-bounds read. */
	TEST_CHECK(strcmp(kvm_exit_name(1000), "KVM_EXIT_(unknown)") == 0);
	TEST_CHECK(strcmp(kvm_exit_name(0xffffffffu), "KVM_EXIT_(unknown)") == 0);
}

TEST(kvm_open_missing_and_wrong_device)
{
	struct kvm kvm = { .explain = NULL };
	struct error err = { "" };

	TEST_EQ(kvm_open(&kvm, "/nonexistent/kvm", &err), -1);
	TEST_CHECK(strstr(err.msg, "/nonexistent/kvm not found") != NULL);
	TEST_EQ(kvm.dev_fd, -1);
	TEST_EQ(kvm_open(&kvm, "/dev/null", &err), -1);
	TEST_CHECK(strstr(err.msg, "is not a KVM device") != NULL);
	TEST_EQ(kvm.dev_fd, -1);        /* nothing left open */
	TEST_EQ(kvm.vm_fd, -1);
}

const struct test tests_kvm[] = {
	TEST_ENTRY(kvm_api_version_check),
	TEST_ENTRY(kvm_exit_names),
	TEST_ENTRY(kvm_open_missing_and_wrong_device),
	TEST_END,
};
