/* SPDX-License-Identifier: MIT */
/* How a run ends: named endings and their statuses (ending.h). */
#include "ending.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>

#include "kvmrun/abi.h"

const char *ending_name(enum run_end end)
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

int ending_set(struct run_result *res, enum run_end end, int status)
{
	res->end = end;
	res->status = status;
	return 1;
}

int ending_host(struct run_result *res, const struct error *err)
{
	res->host_error = *err;
	return ending_set(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
}

int ending_signal(struct run_result *res, int sig)
{
	res->signo = sig;
	return ending_set(res, RUN_END_SIGNAL, KVMRUN_STATUS_SIGNAL + sig);
}

int ending_errno(struct run_result *res, int r, bool output_failed)
{
	if (r == -EPIPE)
		return ending_set(res, RUN_END_OUTPUT_CLOSED, KVMRUN_STATUS_SIGNAL + SIGPIPE);
	if (r == -EFBIG)                /* past the file size limit (ulimit -f) */
		return ending_signal(res, SIGXFSZ);
	if (r == -EDQUOT)
		return ending_set(res, RUN_END_MAX_OUTPUT, KVMRUN_STATUS_TIMEOUT);
	error_errno(&res->host_error, -r, output_failed ?
		  "cannot write guest output" : "a device failed");
	return ending_set(res, RUN_END_HOST_ERROR, KVMRUN_STATUS_HOST);
}

int ending_output_stop(struct run_result *res, const struct output_stop *why,
		       bool output_failed)
{
	if (why->signo)
		return ending_signal(res, why->signo);
	if (why->timed_out)
		return ending_set(res, RUN_END_TIMEOUT, KVMRUN_STATUS_TIMEOUT);
	return ending_errno(res, why->error, output_failed);
}

int ending_check_stop(struct run_result *res, const struct stop_request *stop,
		      const struct strict_hit *strict)
{
	if (stop->requested && stop->kind == STOP_EXIT) {
		res->exit_value = stop->value;
		return ending_set(res, RUN_END_EXIT_DEVICE, (int)(stop->value & 0xff));
	}
	if (stop->requested) {
		snprintf(res->why, sizeof(res->why), "%s", stop->why);
		return ending_set(res, RUN_END_GUEST_ERROR, KVMRUN_STATUS_CRASH);
	}
	if (strict->size) {
		res->strict = *strict;
		return ending_set(res, RUN_END_STRICT, KVMRUN_STATUS_CRASH);
	}
	return 0;
}

void ending_drained(struct run_result *res, const struct output_drain *d,
		    int output_error)
{
	res->drain_wait_s = d->wait_s;
	res->drain_signal = d->signo;
	res->drain_timed_out = d->timed_out;
	res->output_unwritten = d->unwritten;
	res->output_error = output_error;
	res->trace_unwritten = d->trace_unwritten;
}
