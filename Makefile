# kvmrun: run a flat 64-bit binary under KVM.
#
#   make            build ./kvmrun and the example guests
#   make run        build, then run the hello guest
#   make check      build, then run all tests (SANITIZE=1: under ASan+UBSan)
#   make clean

ifeq ($(origin CC),default)
CC      := gcc
endif
AS_GUEST = $(CC) -c
LD      ?= ld

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -Isrc -MMD -MP

ifeq ($(SANITIZE),1)
BUILD   := build/san
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
KVMRUN  := $(BUILD)/kvmrun
else
BUILD   := build/out
KVMRUN  := ./kvmrun
endif

# Modules with no KVM calls: unit-tested on their own.
PURE_SRCS := src/error.c src/parse.c src/memmap.c src/paging.c src/gdt.c \
             src/bus.c src/unclaimed.c src/cli.c src/insn.c src/supervisor.c
SRCS      := $(PURE_SRCS) src/kvm.c src/cpu.c src/loader.c src/console.c \
             src/dev_uart.c src/dev_debugcon.c src/dev_exit.c src/dev_post.c \
             src/dev_testdev.c src/dev_write.c src/run.c src/trap.c \
             src/machine.c src/outcome.c src/main.c
OBJS      := $(SRCS:src/%.c=$(BUILD)/%.o)
PURE_OBJS := $(PURE_SRCS:src/%.c=$(BUILD)/%.o)

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)
UNIT_BIN  := $(BUILD)/unit-tests

GUEST_SRCS := $(wildcard guests/*.S)
GUESTS     := $(GUEST_SRCS:.S=.bin)

.PHONY: all run check unit guests clean
all: $(KVMRUN) guests

$(BUILD)/kvmrun: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

ifneq ($(SANITIZE),1)
./kvmrun: $(BUILD)/kvmrun
	cp $< $@
endif

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit/%.o: tests/unit/%.c | $(BUILD)/unit
	$(CC) $(CFLAGS) -c -o $@ $<

$(UNIT_BIN): $(UNIT_OBJS) $(PURE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

$(BUILD) $(BUILD)/unit build/guests:
	mkdir -p $@

guests: $(GUESTS)

# Guests: preprocess and assemble with gcc, link flat with ld.
build/guests/%.o: guests/%.S include/kvmrun/abi.h | build/guests
	$(AS_GUEST) -Iinclude -o $@ $<

guests/%.bin: build/guests/%.o guests/guest.ld
	$(LD) -T guests/guest.ld -o $@ $<

run: all
	$(KVMRUN) guests/hello.bin

unit: $(UNIT_BIN)

check: all $(UNIT_BIN)
	KVMRUN=$(KVMRUN) UNIT_TESTS=$(UNIT_BIN) tests/run-tests.sh

clean:
	rm -rf build kvmrun guests/*.bin

-include $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
