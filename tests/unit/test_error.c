/* SPDX-License-Identifier: MIT */
/* Unit tests for error.c: the one-line error messages. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "test.h"

TEST(error_set_formats_and_returns_minus_one)
{
	struct error err;

	TEST_EQ(error_set(&err, "device %s at %#x", "COM1", 0x3f8), -1);
	TEST_STREQ(err.msg, "device COM1 at 0x3f8");
}

TEST(error_set_null_is_allowed)
{
	TEST_EQ(error_set(NULL, "ignored %d", 1), -1);
	TEST_EQ(error_errno(NULL, ENOENT, "ignored"), -1);
}

TEST(error_set_truncates_long_messages)
{
	static char long_text[2 * ERROR_MSG_MAX];
	struct error err;

	memset(long_text, 'x', sizeof(long_text) - 1);
	TEST_EQ(error_set(&err, "%s", long_text), -1);
	TEST_EQ(strlen(err.msg), ERROR_MSG_MAX - 1);
}

TEST(error_errno_appends_strerror)
{
	struct error err;
	char want[ERROR_MSG_MAX];

	snprintf(want, sizeof(want), "cannot open %s: %s", "img", strerror(ENOENT));
	TEST_EQ(error_errno(&err, ENOENT, "cannot open %s", "img"), -1);
	TEST_STREQ(err.msg, want);
}

const struct test tests_error[] = {
	TEST_ENTRY(error_set_formats_and_returns_minus_one),
	TEST_ENTRY(error_set_null_is_allowed),
	TEST_ENTRY(error_set_truncates_long_messages),
	TEST_ENTRY(error_errno_appends_strerror),
	TEST_END,
};
