/* SPDX-License-Identifier: MIT */
/*
 * Strict number parsing for the command line, in the spirit of OpenBSD's
 * strtonum(3): the whole string must be a number, in range, or it is
 * rejected with a reason.  Pure functions, unit-tested.
 */
#ifndef KVMRUN_PARSE_H
#define KVMRUN_PARSE_H

#include <stdint.h>

/*
 * Parse decimal or 0x-prefixed hexadecimal into *out, accepting only
 * min <= value <= max.  Returns 0, or -1 with *why set to a short reason
 * ("is not a number", "is too large", ...).
 */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      const char **why);

/*
 * Like parse_u64, with an optional binary suffix K, M, G or T (any case,
 * optionally followed by "iB" or "B"): "64M", "0x100000", "1G".
 */
int parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	       const char **why);

/*
 * Parse a non-negative decimal duration with an optional fraction and an
 * optional unit, as timeout(1) writes them, plus ms: "2", "0.25", "1.5s",
 * "500ms", "2m", "1h", "1d" (no unit: seconds), into nanoseconds.  Accepts
 * at most max_s seconds and rejects zero.
 */
int parse_seconds(const char *s, uint64_t max_s, uint64_t *ns,
		  const char **why);

#endif
