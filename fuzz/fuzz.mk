# Fuzzing (included by the Makefile): libFuzzer harnesses for the host-side
# parsers and device handlers.  See fuzz/README.md.
#
#   make fuzz                 build every harness, fuzz each for FUZZ_SECONDS
#                             (default 60), then re-run fuzz/regressions/,
#                             then run FUZZ_GUESTS (5000) random guests from
#                             a new seed (FUZZ_SEED), each in two ring modes
#   make fuzz-regress         build, then run the committed seeds and
#                             regressions once each (no fuzzing; for CI)
#   make fuzz-build           just build build/fuzz/fuzz_<name>
#   make fuzz FUZZ_HARNESSES="parse cli" FUZZ_SECONDS=10
#
# Everything lives under build/fuzz/; the main build's objects are never
# touched.  The compiler is clang whatever CC is: libFuzzer is clang's.

FUZZ_CC        ?= clang
FUZZ_SECONDS   ?= 60
FUZZ_HARNESSES ?= parse cli loader devices insn pagewalk cpuidcache elf multiboot gdbpacket
FUZZ_FLAGS     ?=
# Random guests after the harnesses (make check runs 300).
FUZZ_GUESTS    ?= 5000
FUZZ_SEED      ?= $(shell date +%s)
FUZZ_OUT       := build/fuzz
FUZZ_OBJ       := $(FUZZ_OUT)/obj
FUZZ_CFLAGS    := -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
                  -Iinclude -Isrc -Ifuzz \
                  -fsanitize=fuzzer,address,undefined \
                  -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP

# The src/ modules each harness links (compiled with the same flags).
FUZZ_SRCS_parse    := parse
FUZZ_SRCS_cli      := cli parse memmap error cpu kvm gdt ring3/supervisor debug/gdb_addr \
                      speedups/cpuid_cache
FUZZ_SRCS_loader   := loader imagefmt load/source load/elf load/multiboot memmap error \
                      observe/sha256
FUZZ_SRCS_devices  := bus dev/console observe/unclaimed memmap error dev/uart \
                      dev/debugcon dev/exitdev dev/stop dev/post dev/bulk_write \
                      dev/testdev
FUZZ_SRCS_insn     := ring3/insn
FUZZ_SRCS_pagewalk := paging memmap error
FUZZ_SRCS_cpuidcache := speedups/cpuid_cache error
FUZZ_SRCS_elf      := load/elf load/source memmap error
FUZZ_SRCS_multiboot := load/multiboot load/elf load/source imagefmt memmap error
FUZZ_SRCS_gdbpacket := debug/gdb_packet

FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FUZZ_OUT)/fuzz_%)

.PHONY: fuzz fuzz-regress fuzz-build fuzz-toolchain

fuzz: fuzz-build ./kvmrun
	FUZZ_OUT=$(FUZZ_OUT) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_FLAGS="$(FUZZ_FLAGS)" \
		fuzz/run.sh fuzz $(FUZZ_HARNESSES)
	@echo "== random guests: $(FUZZ_GUESTS) images of random bytes, seed $(FUZZ_SEED)"
	KVMRUN=./kvmrun tests/random-guests.sh $(FUZZ_GUESTS) $(FUZZ_SEED)

fuzz-regress: fuzz-build
	FUZZ_OUT=$(FUZZ_OUT) fuzz/run.sh regress $(FUZZ_HARNESSES)

fuzz-build: $(FUZZ_BINS)

# clang and libFuzzer: a test link decides; install only what is missing.
fuzz-toolchain:
	@FUZZ_CC=$(FUZZ_CC) FUZZ_OUT=$(FUZZ_OUT) fuzz/toolchain.sh

$(FUZZ_OBJ) $(FUZZ_OBJ)/src:
	mkdir -p $@

$(FUZZ_OBJ)/src/%.o: src/%.c | fuzz-toolchain $(FUZZ_OBJ)/src
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OBJ)/fuzz_%.o: fuzz/fuzz_%.c | fuzz-toolchain $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# One rule per harness: its own object plus the modules it needs.
define FUZZ_LINK
$(FUZZ_OUT)/fuzz_$(1): $(FUZZ_OBJ)/fuzz_$(1).o $(FUZZ_SRCS_$(1):%=$(FUZZ_OBJ)/src/%.o)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $$^
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call FUZZ_LINK,$(h))))

-include $(wildcard $(FUZZ_OBJ)/*.d $(FUZZ_OBJ)/src/*.d $(FUZZ_OBJ)/src/*/*.d)
