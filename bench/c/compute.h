/* SPDX-License-Identifier: MIT */
/* The C compute benchmark (compute.c): a checksum of the work. */
#ifndef KVMRUN_BENCH_COMPUTE_H
#define KVMRUN_BENCH_COMPUTE_H

#include <stdint.h>

uint64_t bench_compute_c(uint8_t *buf, uint32_t size);

#endif
