/* SPDX-License-Identifier: MIT */
/*
 * What the run loop tells the observers about each exit: the counters
 * (stats.h), the --trace exits log (trace.h) and the unclaimed-access
 * notes (unclaimed.h).  Each is one call at a named point of the loop; an
 * observer reads the machine but changes nothing the guest sees.
 */
#ifndef KVMRUN_OBSERVE_OBSERVE_H
#define KVMRUN_OBSERVE_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "observe/trace.h"

/* An exit of this kind: counted, and logged with the guest's RIP when
 * tracing exits (note: what the log says about it, or NULL). */
void observe_exit(struct machine *m, enum exit_kind kind, const char *note);

/* With --trace exits, log the port-I/O exit (its data) or MMIO exit the
 * devices have just served, so that an `in` shows what it read. */
void observe_io_served(struct machine *m, const uint8_t *data);
void observe_mmio_served(struct machine *m);

/* With --trace exits, log a write KVM coalesced (it has no RIP). */
void observe_coalesced(struct machine *m, const struct coalesced_write *w);

/*
 * A ring move (tiering, ring3/tier.h), in words: a note on stderr with -v
 * when narrate (and, when last_told, that further ones are only counted),
 * a note in the trace with --trace exits.
 */
void observe_ring_move(struct machine *m, const char *text, bool narrate,
		       bool last_told);

/*
 * -v: what the guest changed in its system registers since the last exit
 * (its own lidt, lgdt, ltr, mov cr3, a mode switch), told at the exit
 * after it: KVM shows them to kvmrun only then.  observe_watch_start
 * takes the state kvmrun set up; observe_system_state, called at each
 * exit, compares.  Each costs a KVM_GET_SREGS, so only with -v.
 */
void observe_watch_start(struct machine *m);
void observe_system_state(struct machine *m);

/*
 * Install the unclaimed-access hook on both buses: count each access no
 * device claims, note the first at each address once on stderr, and
 * with --strict remember the first (m->obs.strict) so the run ends.
 */
void observe_unclaimed(struct machine *m);

#endif
