/* SPDX-License-Identifier: MIT */
/* A device's request to end the run (stop.h). */
#include "dev/stop.h"

#include <stdarg.h>
#include <stdio.h>

void stop_guest_error(struct stop_request *stop, const char *fmt, ...)
{
	va_list ap;

	if (stop->requested)
		return;
	stop->requested = true;
	stop->kind = STOP_GUEST_ERROR;
	va_start(ap, fmt);
	vsnprintf(stop->why, sizeof(stop->why), fmt, ap);
	va_end(ap);
}
