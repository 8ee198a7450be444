# kvmrun C guest SDK (guests/sdk/README.md): include from a Makefile that
# defines CC and runs from kvmrun's root, or set SDK_ROOT to the path of
# that root, with a trailing slash, before including it from elsewhere.
#
#   build/sdk/libkvmrun.a, build/sdk/crt0.o   the SDK (SDK_LIB, SDK_CRT0)
#   guests/c/NAME.elf                          an example guest from NAME.c
#   C_GUESTS                                   all the examples
#   sdk-check                                  host-side tests of the SDK
#
# Build a guest:  $(CC) $(SDK_CFLAGS) $(SDK_LDFLAGS) -o g.elf $(SDK_CRT0) g.c $(SDK_LIB)

SDK_ROOT  ?=
SDK_BUILD ?= build/sdk
SDK_DIR   := $(SDK_ROOT)guests/sdk
SDK_INC   := $(SDK_ROOT)include

# -nostdinc keeps glibc's headers out (they would compile, then fail to
# link); gcc's own stdint.h, stddef.h, stdarg.h, limits.h ... stay.
# -mstack-protector-guard=global: the canary is __stack_chk_guard, not
# %fs:0x28, which a guest has not set up.  No red zone, as for any code
# that may take an exception on its own stack.  No .eh_frame (guest-c.ld
# drops it: nothing unwinds at run time); with -g gcc then writes a
# .debug_frame instead, which gdb unwinds by in a function's first and
# last instructions too.
SDK_GCC_INC := $(shell $(CC) -print-file-name=include)
SDK_BASE_CFLAGS := -O2 -std=c11 -ffreestanding -fno-pie -fno-pic -mno-red-zone \
               -mstack-protector-guard=global -fstack-protector-strong \
               -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -nostdinc \
               -isystem $(SDK_GCC_INC)
SDK_CFLAGS  := $(SDK_BASE_CFLAGS) -isystem $(SDK_INC)/kvmrun/sdk -I$(SDK_INC)
SDK_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -T $(SDK_DIR)/guest-c.ld

SDK_CRT0    := $(SDK_BUILD)/crt0.o
SDK_LIB     := $(SDK_BUILD)/libkvmrun.a
SDK_HEADERS := $(wildcard $(SDK_INC)/kvmrun/sdk/*.h) $(SDK_INC)/kvmrun/abi.h \
               $(wildcard $(SDK_DIR)/*.h)
SDK_SRCS    := $(wildcard $(SDK_DIR)/*.c)
SDK_OBJS    := $(SDK_SRCS:$(SDK_DIR)/%.c=$(SDK_BUILD)/%.o)

C_GUESTS := $(patsubst %.c,%.elf,$(wildcard $(SDK_ROOT)guests/c/*.c))

.PHONY: sdk sdk-check c-guests sdk-cflags
# The compile flags, for a command line: gcc $(make -s sdk-cflags) -c g.c
# (absolute paths: make -C KVMRUN -s sdk-cflags works from anywhere).
sdk-cflags: $(SDK_LIB) $(SDK_CRT0)
	@echo $(SDK_BASE_CFLAGS) -isystem $(abspath $(SDK_INC))/kvmrun/sdk -I$(abspath $(SDK_INC))

sdk: $(SDK_LIB) $(SDK_CRT0)
c-guests: $(C_GUESTS)

$(SDK_BUILD)/%.o: $(SDK_DIR)/%.c $(SDK_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SDK_CFLAGS) -c -o $@ $<

$(SDK_CRT0): $(SDK_DIR)/crt0.S
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ $<

$(SDK_LIB): $(SDK_OBJS)
	rm -f $@
	ar rcs $@ $^

# One C file per example guest, linked at 0x10000.
$(SDK_ROOT)guests/c/%.elf: $(SDK_ROOT)guests/c/%.c $(SDK_CRT0) $(SDK_LIB) \
		$(SDK_DIR)/guest-c.ld $(SDK_HEADERS)
	$(CC) $(SDK_CFLAGS) $(SDK_LDFLAGS) -o $@ $(SDK_CRT0) $< $(SDK_LIB)

# ---- sdk-check: the SDK's formatting and heap, built for the host ---------
# The SDK's file is compiled with its own headers and its functions renamed
# (sdk_*), so that the test can compare them with glibc's in one program.
SDK_HOST_CFLAGS := -O2 -std=c11 -Wall -Wextra -Werror
SDK_HOST_SDKFLAGS := $(SDK_HOST_CFLAGS) -ffreestanding -nostdinc -isystem $(SDK_GCC_INC) \
                     -isystem $(SDK_INC)/kvmrun/sdk -I$(SDK_INC)
SDK_TESTS := $(SDK_BUILD)/test_printf $(SDK_BUILD)/test_malloc $(SDK_BUILD)/test_string

$(SDK_BUILD)/host/format.o: $(SDK_DIR)/format.c $(SDK_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SDK_HOST_SDKFLAGS) -Dvsnprintf=sdk_vsnprintf -Dsnprintf=sdk_snprintf \
		-Dvsprintf=sdk_vsprintf -Dsprintf=sdk_sprintf -c -o $@ $<
$(SDK_BUILD)/host/malloc.o: $(SDK_DIR)/malloc.c $(SDK_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SDK_HOST_SDKFLAGS) -Dmalloc=sdk_malloc -Dfree=sdk_free -Dcalloc=sdk_calloc \
		-Drealloc=sdk_realloc -c -o $@ $<
$(SDK_BUILD)/host/string.o: $(SDK_DIR)/string.c $(SDK_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SDK_HOST_SDKFLAGS) -fno-builtin $(foreach f,memcpy memmove memset memcmp memchr \
		strlen strnlen strcmp strncmp strcpy strncpy strcat strchr strrchr strstr,-D$f=sdk_$f) \
		-c -o $@ $<
$(SDK_BUILD)/host/strtol.o: $(SDK_DIR)/strtol.c $(SDK_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(SDK_HOST_SDKFLAGS) $(foreach f,strtol strtoul strtoll strtoull atoi atol abs labs llabs,-D$f=sdk_$f) \
		-c -o $@ $<

$(SDK_BUILD)/test_printf: $(SDK_ROOT)tests/sdk/test_printf.c $(SDK_BUILD)/host/format.o
	$(CC) $(SDK_HOST_CFLAGS) -D_GNU_SOURCE -I$(SDK_INC) -o $@ $^ -lm
$(SDK_BUILD)/test_malloc: $(SDK_ROOT)tests/sdk/test_malloc.c $(SDK_BUILD)/host/malloc.o
	$(CC) $(SDK_HOST_CFLAGS) -D_GNU_SOURCE -I$(SDK_INC) -o $@ $^
$(SDK_BUILD)/test_string: $(SDK_ROOT)tests/sdk/test_string.c $(SDK_BUILD)/host/string.o \
		$(SDK_BUILD)/host/strtol.o
	$(CC) $(SDK_HOST_CFLAGS) -D_GNU_SOURCE -I$(SDK_INC) -o $@ $^

sdk-check: $(SDK_TESTS) $(SDK_LIB) $(SDK_CRT0) $(C_GUESTS)
	@set -e; for t in $(SDK_TESTS); do echo "$$t"; $$t; done
