/*
 * 04-readonly.S - lesson 4, exercise: guests/04-paging.S, but instead of
 * unmapping 0x201000 it makes that mapping read-only (the R/W bit of its
 * PTE clear) and writes through it.  CR0.WP is set (kvmrun sets it), so
 * even ring 0 faults: a #PF with error code 0x3, P (the page is present:
 * a protection violation) and W/R (a write) (Intel SDM vol. 3, 5.7).
 *
 * Run:    ./kvmrun docs/workshop/solutions/04-readonly.bin
 * Expect: the #PF line with CR2 = 0x201000 and error code 0x3.
 */
#define PTE_0x201000	(SHARED | 1)		/* present, not writable */
#define ACCESS_0x201000	movq $0, 0x201000	/* #PF: write to a read-only page */
#define MSG_0x201000	"0x201000 read-only\n"
#include "../guests/04-paging.S"
