/* SPDX-License-Identifier: MIT */
#include "bus.h"

#include <errno.h>
#include <string.h>

void bus_init(struct bus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
}

int bus_register(struct bus *bus, uint64_t base, uint64_t len,
		 const char *name, bus_handler_fn handler, void *dev,
		 unsigned flags, struct error *err)
{
	unsigned i, pos;

	if (len == 0)
		return error_set(err, "%s device %s: empty range", bus->name, name);
	if (base + len - 1 < base)
		return error_set(err, "%s device %s: range wraps around", bus->name, name);
	if (bus->nr_devices == BUS_MAX_DEVICES)
		return error_set(err, "%s bus full: cannot add %s", bus->name, name);
	for (i = 0; i < bus->nr_devices; i++) {
		const struct bus_device *d = &bus->devices[i];

		if (base <= d->base + d->len - 1 && d->base <= base + len - 1)
			return error_set(err, "%s device %s at %#llx-%#llx overlaps %s",
				       bus->name, name, (unsigned long long)base,
				       (unsigned long long)(base + len - 1), d->name);
	}
	for (pos = 0; pos < bus->nr_devices && bus->devices[pos].base < base; pos++)
		;
	memmove(&bus->devices[pos + 1], &bus->devices[pos],
		(bus->nr_devices - pos) * sizeof(bus->devices[0]));
	bus->devices[pos] = (struct bus_device){
		.base = base, .len = len, .name = name, .handler = handler,
		.dev = dev, .flags = flags,
	};
	bus->nr_devices++;
	return 0;
}

const struct bus_device *bus_find(const struct bus *bus, uint64_t addr)
{
	unsigned lo = 0, hi = bus->nr_devices;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct bus_device *d = &bus->devices[mid];

		if (addr < d->base)
			hi = mid;
		else if (addr - d->base >= d->len)
			lo = mid + 1;
		else
			return d;
	}
	return NULL;
}

/*
 * An access is split into bytes when any byte of it lands on an 8-bit
 * device, unless its first byte belongs to a device that takes wide
 * accesses: ISA hardware sees an 8-bit device only through byte cycles.
 */
static bool needs_split(const struct bus *bus, const struct bus_device *first,
			uint64_t addr, unsigned size)
{
	unsigned i;

	if (size == 1 || (first && !(first->flags & BUS_BYTE_WIDE)))
		return false;
	if (first)
		return true;
	for (i = 1; i < size; i++) {
		const struct bus_device *d = bus_find(bus, addr + i);

		if (d && (d->flags & BUS_BYTE_WIDE))
			return true;
	}
	return false;
}

int bus_dispatch(struct bus *bus, uint64_t addr, bool write, uint8_t *data,
		 unsigned size)
{
	const struct bus_device *d = bus_find(bus, addr);
	struct bus_access acc = {
		.addr = addr, .size = size, .write = write, .data = data,
	};
	unsigned i;
	int r;

	if (size == 0 || size > BUS_MAX_ACCESS)
		return -EINVAL; /* KVM never reports such an access */
	if (needs_split(bus, d, addr, size)) {
		for (i = 0; i < size; i++) {
			r = bus_dispatch(bus, addr + i, write, data + i, 1);
			if (r < 0)
				return r;
		}
		return 0;
	}
	if (!write)
		memset(data, 0xff, size);
	if (!d)
		return bus->unclaimed ? bus->unclaimed(bus->unclaimed_ctx, &acc) : 0;
	acc.offset = addr - d->base;
	return d->handler(d->dev, &acc);
}

uint64_t bus_get_value(const struct bus_access *acc)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < acc->size && i < 8; i++)
		v |= (uint64_t)acc->data[i] << (8 * i);
	return v;
}

void bus_set_value(struct bus_access *acc, uint64_t value)
{
	unsigned i;

	for (i = 0; i < acc->size && i < 8; i++)
		acc->data[i] = (uint8_t)(value >> (8 * i));
}
