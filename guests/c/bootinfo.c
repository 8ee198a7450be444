/*
 * bootinfo.c - print the boot information block and the memory map.
 *
 * Shows: kvmrun_main(), which crt0 calls instead of main() with the block
 * kvmrun passed in RDI (struct kvmrun_bootinfo, include/kvmrun/abi.h), and
 * what the heap will use: the usable regions above the image's _end.
 *
 * Run:    ./kvmrun --mem 16M guests/c/bootinfo.elf
 * Expect: magic "KVMR", version, RAM size, image, entry and stack, then
 *         one line per region (reserved, stack, image, usable ...), the TSC
 *         frequency the clock assumes; status 0.  Try other --mem sizes.
 */
#include <stdio.h>
#include <kvmrun/sdk/kvmrun.h>

static const char *region_type(uint32_t type)
{
	switch (type) {
	case KVMRUN_MEM_USABLE:   return "usable";
	case KVMRUN_MEM_RESERVED: return "reserved";
	case KVMRUN_MEM_IMAGE:    return "image";
	case KVMRUN_MEM_STACK:    return "stack";
	default:                  return "?";
	}
}

int kvmrun_main(const struct kvmrun_bootinfo *bi)
{
	uint32_t i;

	printf("boot info at %p: magic %#x \"%.4s\", version %u, %u bytes\n",
	       (const void *)bi, bi->magic, (const char *)&bi->magic,
	       bi->version, bi->size);
	printf("  RAM        %#llx (%llu MiB)\n", (unsigned long long)bi->ram_size,
	       (unsigned long long)bi->ram_size >> 20);
	printf("  image      %#llx, %llu bytes\n", (unsigned long long)bi->image_addr,
	       (unsigned long long)bi->image_size);
	printf("  entry      %#llx\n", (unsigned long long)bi->entry);
	printf("  stack top  %#llx\n", (unsigned long long)bi->stack_top);
	printf("  %u memory regions:\n", bi->mem_count);
	for (i = 0; i < bi->mem_count && i < KVMRUN_BOOTINFO_MAX_MEM; i++) {
		const struct kvmrun_mem_region *r = &bi->mem[i];

		printf("    %#14llx - %#14llx  %-8s %10llu KiB\n",
		       (unsigned long long)r->addr,
		       (unsigned long long)(r->addr + r->size - 1),
		       region_type(r->type), (unsigned long long)r->size >> 10);
	}
	printf("  TSC        %llu kHz (%s)\n", (unsigned long long)kvmrun_tsc_khz(),
	       bi->version >= 2 ? "from the block" : "the SDK's fallback");
	return 0;
}
