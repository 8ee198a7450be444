/* SPDX-License-Identifier: MIT */
/*
 * How a device asks the run loop to end the run: it fills in a stop
 * request, and the loop looks at it after every exit (run.c).
 */
#ifndef KVMRUN_DEV_STOP_H
#define KVMRUN_DEV_STOP_H

#include <stdbool.h>
#include <stdint.h>

/* Why a device asks the run loop to end the run. */
enum stop_kind {
	STOP_EXIT,              /* the exit device: status = value & 0xff */
	STOP_GUEST_ERROR,       /* the guest misused a device: status 126 */
};

struct stop_request {
	bool requested;
	enum stop_kind kind;
	uint64_t value;         /* what the guest wrote to the exit device */
	char why[200];          /* STOP_GUEST_ERROR: one line */
};

/* Ask for the run to end because of guest misbehaviour (first ask wins). */
void stop_guest_error(struct stop_request *stop, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
