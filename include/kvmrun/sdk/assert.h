/* SPDX-License-Identifier: MIT */
/*
 * assert.h - assert() for kvmrun C guests: a failed assertion prints
 * "file:line: function: Assertion `expr' failed." and ends the run with
 * status 134 (KVMRUN_ABORT_STATUS).  With NDEBUG it does nothing.
 */
#undef assert
#ifdef NDEBUG
#define assert(e)	((void)0)
#else
#define assert(e)	((e) ? (void)0 : \
			 __kvmrun_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef KVMRUN_SDK_ASSERT_H
#define KVMRUN_SDK_ASSERT_H
void __kvmrun_assert_fail(const char *expr, const char *file, int line,
			  const char *func) __attribute__((noreturn));
#define static_assert _Static_assert
#endif /* KVMRUN_SDK_ASSERT_H */
