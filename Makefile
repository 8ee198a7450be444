# kvmrun: run x86 guests (flat binaries, ELF64 executables, multiboot kernels) under KVM.
#
#   make            build ./kvmrun and the example guests
#   make run        build, then run the hello guest
#   make check      build, then run all tests (SANITIZE=1: under ASan+UBSan;
#                   TESTS="traces report": only those sections of tests/sections/)
#   make install    kvmrun, its headers, the C guest SDK and the man page
#                   under PREFIX (/usr/local),
#                   staged under DESTDIR if set; make uninstall removes them
#   make clean

ifeq ($(origin CC),default)
CC      := gcc
endif
AS_GUEST = $(CC) -c
LD      ?= ld

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc -MMD -MP

# Hardening: kvmrun runs code nobody checked (docs/security.md).
CFLAGS  += -fstack-protector-strong -fPIE
LDFLAGS += -pie -Wl,-z,relro,-z,now

ifeq ($(SANITIZE),1)
BUILD   := build/san
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
KVMRUN  := $(BUILD)/kvmrun
else
BUILD   := build/out
CFLAGS  += -D_FORTIFY_SOURCE=2         # not with ASan, which checks more
KVMRUN  := ./kvmrun
endif

# The basic path (src/), then the optional machinery in folders named for
# what it is: dev/ (devices and the console), ring3/ (the supervisor),
# speedups/, observe/ (README "How it works").
# Modules with no KVM calls: unit-tested on their own.
PURE_SRCS := src/error.c src/parse.c src/cli.c src/memmap.c src/paging.c \
             src/gdt.c src/kvm.c src/cpu.c src/imagefmt.c src/bus.c \
             src/loader.c src/load/source.c src/load/elf.c src/load/multiboot.c \
             src/dev/console.c \
             src/ring3/insn.c src/ring3/supervisor.c \
             src/speedups/cpuid_cache.c \
             src/observe/unclaimed.c src/observe/stats.c src/observe/sha256.c \
             src/observe/json.c src/observe/trace.c \
             src/debug/gdb_packet.c src/debug/gdb_regs.c src/debug/gdb_addr.c \
             src/debug/core.c
SRCS      := $(PURE_SRCS) src/machine.c src/clock.c \
             src/run.c src/ending.c src/main.c src/suite.c \
             src/dev/output.c src/dev/uart.c src/dev/debugcon.c src/dev/exitdev.c src/dev/stop.c \
             src/dev/post.c src/dev/testdev.c src/dev/bulk_write.c src/dev/snapport.c \
             src/ring3/trap.c src/ring3/tier.c src/debug/gdb.c \
             src/speedups/coalesce.c src/speedups/lazy_ram.c src/speedups/snapshot.c \
             src/observe/observe.c src/observe/narrate.c src/observe/outcome.c src/observe/report.c
OBJS      := $(SRCS:src/%.c=$(BUILD)/%.o)
PURE_OBJS := $(PURE_SRCS:src/%.c=$(BUILD)/%.o)

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)
UNIT_BIN  := $(BUILD)/unit-tests
JSONLINT  := $(BUILD)/jsonlint
CACHETOOL := $(BUILD)/cachetool

GUEST_SRCS := $(wildcard guests/*.S tests/guests/hostile/*.S tests/guests/*.S)
GUESTS     := $(GUEST_SRCS:.S=.bin)

.PHONY: all run check unit guests bench clean fixtures man install uninstall clang
# Keep the guests' object files: no "rm build/guests/..." after every build.
.SECONDARY:
all: $(KVMRUN) guests c-guests test-c-guests workshop

# The C guest SDK and its example guests (guests/sdk/README.md).
include guests/sdk/sdk.mk

$(BUILD)/kvmrun: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

ifneq ($(SANITIZE),1)
./kvmrun: $(BUILD)/kvmrun
	cp $< $@
endif

$(BUILD)/%.o: src/%.c | $(BUILD)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c | $(BUILD)/unit
	$(CC) $(CFLAGS) -c -o $@ $<

$(UNIT_BIN): $(UNIT_OBJS) $(PURE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

# A strict JSON validator, to check --report output in the tests.
$(JSONLINT): tests/jsonlint.c | $(BUILD)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Rewrites a CPUID cache file with a correct checksum, for the cache tests.
$(CACHETOOL): tests/cachetool.c src/speedups/cpuid_cache.c src/error.c | $(BUILD)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(BUILD) $(BUILD)/unit build/guests:
	mkdir -p $@

guests: $(GUESTS)

# Guests: preprocess and assemble with gcc, link flat with ld.
build/guests/%.o: guests/%.S include/kvmrun/abi.h include/kvmrun/puts.h | build/guests
	@mkdir -p $(dir $@)
	$(AS_GUEST) -Iinclude -o $@ $<

guests/%.bin: build/guests/%.o guests/guest.ld
	$(LD) -T guests/guest.ld -o $@ $<

# Guests that exist for the tests (tests/guests/), built the same way.
build/tests/guests/%.o: tests/guests/%.S include/kvmrun/abi.h include/kvmrun/puts.h
	@mkdir -p $(dir $@)
	$(AS_GUEST) -Iinclude -o $@ $<

tests/guests/%.bin: build/tests/guests/%.o guests/guest.ld
	$(LD) -T guests/guest.ld -o $@ $<

# C guests for the tests (tests/guests/c/), built as the examples are.
TEST_C_GUESTS := $(patsubst %.c,%.elf,$(wildcard tests/guests/c/*.c))
.PHONY: test-c-guests
test-c-guests: $(TEST_C_GUESTS)
tests/guests/c/%.elf: tests/guests/c/%.c $(SDK_CRT0) $(SDK_LIB) $(SDK_DIR)/guest-c.ld \
		$(SDK_HEADERS)
	$(CC) $(SDK_CFLAGS) $(TEST_GUEST_CFLAGS) $(SDK_LDFLAGS) -o $@ $(SDK_CRT0) $< $(SDK_LIB)
# The gdb tests step through lines and read variables: no optimisation.
tests/guests/c/gdbme.elf tests/guests/c/gdbring0.elf tests/guests/c/crash2.elf: \
		TEST_GUEST_CFLAGS := -O0 -g

# The workshop's guests and reference solutions (docs/workshop/README.md):
# assembly built as the guests above, C with the SDK.
WORKSHOP_S   := $(wildcard docs/workshop/guests/*.S docs/workshop/solutions/*.S)
WORKSHOP_C   := $(wildcard docs/workshop/guests/*.c docs/workshop/solutions/*.c)
WORKSHOP_BIN := $(WORKSHOP_S:.S=.bin) $(WORKSHOP_C:.c=.elf)
.PHONY: workshop
workshop: $(WORKSHOP_BIN)
build/docs/workshop/%.o: docs/workshop/%.S include/kvmrun/abi.h include/kvmrun/puts.h
	@mkdir -p $(dir $@)
	$(AS_GUEST) -Iinclude -o $@ $<
# A reference solution may be its lesson's guest with a hook changed: it
# defines the hook, then includes the guest (solutions/03-jump08.S).
$(patsubst docs/workshop/%.S,build/docs/workshop/%.o,$(wildcard docs/workshop/solutions/*.S)): \
		$(wildcard docs/workshop/guests/*.S)
docs/workshop/%.bin: build/docs/workshop/%.o guests/guest.ld
	$(LD) -T guests/guest.ld -o $@ $<
docs/workshop/%.elf: docs/workshop/%.c $(SDK_CRT0) $(SDK_LIB) $(SDK_DIR)/guest-c.ld $(SDK_HEADERS)
	$(CC) $(SDK_CFLAGS) $(SDK_LDFLAGS) -o $@ $(SDK_CRT0) $< $(SDK_LIB)

run: all
	$(KVMRUN) guests/hello.bin

unit: $(UNIT_BIN)

# The same sources built with clang, -Werror included (.ci/run builds both).
clang:
	$(MAKE) CC=clang BUILD=build/clang build/clang/kvmrun build/clang/unit-tests

check: all $(UNIT_BIN) $(JSONLINT) $(CACHETOOL) fixtures $(MANPAGE) $(SDK_TESTS)
	KVMRUN=$(KVMRUN) UNIT_TESTS=$(UNIT_BIN) JSONLINT=$(JSONLINT) CACHETOOL=$(CACHETOOL) \
		SDK_TESTS="$(SDK_TESTS)" \
		SANITIZED=$(if $(filter 1,$(SANITIZE)),1,0) tests/run-tests.sh $(TESTS)

# ---- benchmarks (make bench): bench/README in bench/RESULTS.md ----------
BB := build/bench
BENCH_BINS := $(BB)/hlt.bin $(BB)/pio.bin $(BB)/mmio.bin $(BB)/conbyte_1m.bin \
              $(BB)/conbyte_256k.bin $(BB)/conbulk.bin $(BB)/touch.bin \
              $(BB)/compute.bin $(BB)/raw $(BB)/native $(BB)/bench \
              $(BB)/compute_c.elf $(BB)/native_c $(BB)/phases.bin

$(BB):
	mkdir -p $@
$(BB)/%.o: bench/guests/%.S include/kvmrun/abi.h | $(BB)
	$(AS_GUEST) -Iinclude -o $@ $<
$(BB)/conbyte_1m.o: bench/guests/conbyte.S | $(BB)
	$(AS_GUEST) -DBYTES=1048576 -o $@ $<
$(BB)/conbyte_256k.o: bench/guests/conbyte.S | $(BB)
	$(AS_GUEST) -DBYTES=262144 -o $@ $<
$(BB)/compute.bin: $(BB)/compute.o $(BB)/compute_fn.o guests/guest.ld
	$(LD) -T guests/guest.ld -o $@ $(BB)/compute.o $(BB)/compute_fn.o
$(BB)/%.bin: $(BB)/%.o guests/guest.ld
	$(LD) -T guests/guest.ld -o $@ $<
$(BB)/raw: bench/raw.c | $(BB)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $<
$(BB)/native: bench/native.c $(BB)/compute_fn.o | $(BB)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $^
# The C compute benchmark: the same C file as a guest with the SDK's
# defaults, and for the host with the same optimisation.
$(BB)/compute_c.elf: bench/c/guest.c bench/c/compute.c bench/c/compute.h $(SDK_CRT0) $(SDK_LIB)
	$(CC) $(SDK_CFLAGS) $(SDK_LDFLAGS) -o $@ $(SDK_CRT0) bench/c/guest.c bench/c/compute.c $(SDK_LIB)
$(BB)/native_c: bench/c/native.c bench/c/compute.c bench/c/compute.h | $(BB)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ bench/c/native.c bench/c/compute.c
$(BB)/bench: bench/bench.c | $(BB)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $<

bench: ./kvmrun $(BENCH_BINS)
	$(BB)/bench $(BENCH_FLAGS) > $(BB)/table.md
	{ echo "# kvmrun benchmarks"; echo; \
	  echo "Measured $$(date -u '+%Y-%m-%d %H:%M UTC') on $$(uname -srm), $$(nproc) CPUs,"; \
	  echo "$$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), KVM: $$( [ -d /sys/module/kvm_pvm ] && echo kvm_pvm || echo hardware)."; \
	  echo "Medians of whole-process wall times; kvmrun and its baseline interleaved in one run of \`make bench\`."; \
	  echo; cat $(BB)/table.md; } > bench/RESULTS.md
	cat bench/RESULTS.md

# ---- install: the binary, the guest ABI header, the man page -------------
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
SDKDIR     ?= $(PREFIX)/lib/kvmrun
VERSION    := $(shell sed -n 's/^\#define KVMRUN_VERSION "\(.*\)"/\1/p' src/cli.h)
MANPAGE    := build/kvmrun.1

# The man page is made from the README (docs/mkman.sh), never by hand.
$(MANPAGE): README.md docs/mkman.sh src/cli.h
	@mkdir -p $(dir $@)
	sh docs/mkman.sh README.md $(VERSION) >$@.tmp && mv $@.tmp $@

man: $(MANPAGE)

install: $(KVMRUN) $(MANPAGE) $(SDK_LIB) $(SDK_CRT0)
	$(if $(filter 1,$(SANITIZE)),$(error make install: not with SANITIZE=1, which builds a test binary))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR)/kvmrun $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(KVMRUN) $(DESTDIR)$(BINDIR)/kvmrun
	install -m 644 include/kvmrun/abi.h include/kvmrun/puts.h $(DESTDIR)$(INCLUDEDIR)/kvmrun/
	install -m 644 $(MANPAGE) $(DESTDIR)$(MANDIR)/man1/kvmrun.1
	install -d $(DESTDIR)$(INCLUDEDIR)/kvmrun/sdk $(DESTDIR)$(SDKDIR)
	install -m 644 include/kvmrun/sdk/*.h $(DESTDIR)$(INCLUDEDIR)/kvmrun/sdk/
	install -m 644 $(SDK_LIB) $(SDK_CRT0) guests/sdk/guest-c.ld $(DESTDIR)$(SDKDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kvmrun $(DESTDIR)$(INCLUDEDIR)/kvmrun/abi.h \
		$(DESTDIR)$(INCLUDEDIR)/kvmrun/puts.h \
		$(DESTDIR)$(MANDIR)/man1/kvmrun.1
	rm -f $(DESTDIR)$(INCLUDEDIR)/kvmrun/sdk/*.h $(DESTDIR)$(SDKDIR)/libkvmrun.a \
		$(DESTDIR)$(SDKDIR)/crt0.o $(DESTDIR)$(SDKDIR)/guest-c.ld
	-rmdir $(DESTDIR)$(INCLUDEDIR)/kvmrun/sdk $(DESTDIR)$(SDKDIR) 2>/dev/null
	-rmdir $(DESTDIR)$(INCLUDEDIR)/kvmrun 2>/dev/null

include fuzz/fuzz.mk
include tests/fixtures.mk

clean:
	rm -rf build kvmrun guests/*.bin tests/guests/hostile/*.bin tests/guests/*.bin \
		guests/c/*.elf tests/guests/c/*.elf \
		docs/workshop/guests/*.bin docs/workshop/solutions/*.bin \
		docs/workshop/guests/*.elf docs/workshop/solutions/*.elf

-include $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
