/*
 * scribble.c - prints a checksum of the state it starts in, then spoils
 * it, for --repeat: every run must start from the same state, so every run
 * prints the same first line (tests/sections/repeat.sh).
 *
 * The checksum covers 64 KiB of .bss and a word of .data, RSP and RFLAGS
 * at main(), the IDTR (sidt), and the UART's scratch and line-control
 * registers.  Then the guest writes all of those: the memory, the UART's
 * registers, an IDT of its own (lidt), and CR0.AM (both need ring 0, so
 * kvmrun moves the guest there, as a run that needs ring 0 would).
 *
 * Run:    ./kvmrun --repeat 3 tests/guests/c/scribble.elf
 * Expect: "state <16 hex digits>" three times, the same; status 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kvmrun.h>

static uint8_t area[64 * 1024];
static volatile uint32_t data_word = 0x12345678;
static uint8_t own_idt[16 * 32];

struct __attribute__((packed)) idtr {
	uint16_t limit;
	uint64_t base;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

int main(void)
{
	uint64_t h = 1469598103934665603ULL, rsp, flags, cr0;
	uint32_t word = data_word;
	struct idtr idtr, mine = { sizeof(own_idt) - 1, (uint64_t)(uintptr_t)own_idt };
	uint8_t uart[2];

	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	__asm__ volatile("pushfq; pop %0" : "=r"(flags));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	uart[0] = inb(KVMRUN_PORT_COM1 + UART_SCR);
	uart[1] = inb(KVMRUN_PORT_COM1 + UART_LCR);
	h = fnv(h, area, sizeof(area));
	h = fnv(h, &word, sizeof(word));
	h = fnv(h, &rsp, sizeof(rsp));
	h = fnv(h, &flags, sizeof(flags));
	h = fnv(h, &idtr, sizeof(idtr));
	h = fnv(h, uart, sizeof(uart));
	printf("state %016llx\n", (unsigned long long)h);
	fflush(stdout);

	memset(area, 0xa5, sizeof(area));
	data_word = 0;
	outb(0x5a, KVMRUN_PORT_COM1 + UART_SCR);
	outb(0x1b, KVMRUN_PORT_COM1 + UART_LCR);
	__asm__ volatile("lidt %0" : : "m"(mine));
	__asm__ volatile("mov %%cr0, %0; or $0x40000, %0; mov %0, %%cr0" : "=r"(cr0));
	return 0;
}
