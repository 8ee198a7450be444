/*
 * tierphases.c - phases of computing alternate with bursts of exits of
 * every kind, for tiering (src/ring3/tier.h): whichever ring kvmrun runs
 * each phase in, the output and the status must be the same.
 *
 * Each of 10 phases computes (a 64-bit generator, 20,000 steps), then
 * prints a line on the debug console one `out` per byte, reads a byte of
 * stdin through the UART (polling it: `in` exits), stores the sum in the
 * test device's scratch register and reads it back (MMIO), and writes a
 * line through stdout, which leaves by one bulk-write call (fflush).  The
 * exit status is the last sum's low 7 bits.
 *
 * Run:    printf 'abcdefghij' | ./kvmrun tests/guests/c/tierphases.elf
 * Expect: 10 pairs of lines "phase N SUM" / "read C, checked", status =
 *         the last SUM & 0x7f; the same under --ring 0, --no-tiering and
 *         --tier-any-host with any --tier-every.
 */
#include <stdint.h>
#include <stdio.h>

#include <kvmrun.h>

#define PHASES  10
#define STEPS   20000

static uint64_t compute(uint64_t x, unsigned steps)
{
	for (unsigned i = 0; i < steps; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		x ^= x >> 29;
	}
	return x;
}

int main(void)
{
	uint64_t sum = 1;
	char line[64];

	for (unsigned p = 0; p < PHASES; p++) {
		int n, c;

		sum = compute(sum, STEPS);
		n = snprintf(line, sizeof(line), "phase %u %016llx\n", p,
			     (unsigned long long)sum);
		for (int i = 0; i < n; i++)
			outb((uint8_t)line[i], KVMRUN_PORT_DEBUGCON);
		c = getchar();
		mmio_write64(KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_SCRATCH, sum);
		if (mmio_read64(KVMRUN_TESTDEV_BASE + KVMRUN_TESTDEV_SCRATCH) != sum) {
			printf("phase %u: the scratch register lost the sum\n", p);
			return 1;
		}
		printf("read %d, checked\n", c);
		fflush(stdout);
	}
	return (int)(sum & 0x7f);
}
