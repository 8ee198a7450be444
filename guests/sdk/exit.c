/* SPDX-License-Identifier: MIT */
/*
 * exit.c - the ways a C guest ends: exit(), abort(), a failed assert(), a
 * smashed stack, a missing main().
 *
 * The run ends with an `out` of the status byte to kvmrun's exit device
 * (port 0xf4), never with `hlt`: hlt needs ring 0, and moving there would
 * make kvmrun emulate the rest of the guest on hosts such as kvm_pvm.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <kvmrun/sdk/kvmrun.h>

#include "sdk.h"

#define ATEXIT_MAX	32
#define STACK_SMASH_STATUS	127

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void _Exit(int status)
{
	outb((uint8_t)status, KVMRUN_PORT_EXIT);
	for (;;)			/* not reached: the out ended the run */
		__asm__ volatile("pause");
}

void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	fflush(stdout);
	_Exit(status);
}

void __kvmrun_die(int status, const char *msg)
{
	fputs(msg, stderr);
	_Exit(status);
}

void abort(void)
{
	__kvmrun_die(KVMRUN_ABORT_STATUS, "abort() called\n");
}

void __kvmrun_assert_fail(const char *expr, const char *file, int line,
			  const char *func)
{
	fprintf(stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line,
		func, expr);
	_Exit(KVMRUN_ABORT_STATUS);
}

/*
 * -fstack-protector with -mstack-protector-guard=global: each protected
 * function compares this canary on return.  crt0.S stores a value from the
 * TSC here before any C code runs; the 0 low byte stops string overruns.
 */
uintptr_t __stack_chk_guard = 0x2f8a6c0e5d3b1900ULL;

void __stack_chk_fail(void)
{
	__kvmrun_die(STACK_SMASH_STATUS, "*** stack smashing detected ***: terminated\n");
}

/* crt0.S calls this when the guest defines neither main nor kvmrun_main. */
void __kvmrun_no_main(void)
{
	__kvmrun_die(EXIT_FAILURE, "crt0: the guest defines neither main() nor kvmrun_main()\n");
}
