/*
 * 03-jump08.S - lesson 3, exercise 2: guests/03-modes.S with one change,
 * the last far jump goes to selector 0x08 (32-bit code, L=0) instead of
 * 0x18.  The CPU stays in compatibility mode and runs the 64-bit code as
 * 32-bit code: "lea msg_long(%rip), %rsi" decodes as "dec %eax" and a lea
 * of an absolute address, so ESI points at zeros and nothing is printed.
 *
 * Run:    ./kvmrun --mode real docs/workshop/solutions/03-jump08.bin
 * Expect: "real mode", "protected mode", status 0.
 */
#define LONG_MODE_CS	0x08		/* the exercise: L=0, compatibility mode */
#include "../guests/03-modes.S"
