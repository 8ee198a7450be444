/*
 * switch-cr3.S - switch.S around `mov %cr3, %rax` instead of `cli`.
 *
 * Demonstrates: the same move from ring 3 to ring 0 as switch.S (read it
 * for the details), at an instruction that also produces a result: after
 * kvmrun re-executes `mov %cr3, %rax` in ring 0, RAX must hold CR3
 * (KVMRUN_PML4_ADDR, 0x1000) and every other register its old value.
 *
 * Run:    ./kvmrun guests/switch-cr3.bin
 * Expect: "switch-cr3 ok" and status 0 (with --ring 3: kvmrun names
 *         "mov from cr" and exits with status 126).
 */
#define SWITCH_CR3 1
#include "switch.S"
