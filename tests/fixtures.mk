# Files the tests feed to kvmrun that are not flat binaries (included by
# the Makefile; built, never committed).  Each must be refused by name:
# tests/errors/image-*.args.
FIX     := build/fixtures
FIX_LD  := $(LD) -z noexecstack --no-warn-rwx-segments
FIXTURES := $(FIX)/multiboot-elf32 $(FIX)/multiboot-elf64 $(FIX)/multiboot.raw \
            $(FIX)/multiboot2-elf32 $(FIX)/hello.o $(FIX)/hello.elf \
            $(FIX)/i386.elf $(FIX)/hello.bin.gz $(FIX)/hello-elf.elf \
            $(FIX)/hello-high.elf $(FIX)/hello-pie.elf $(FIX)/hello-truncated.elf \
            $(FIX)/mbkernel-elf32 $(FIX)/mbkernel-elf64 $(FIX)/mbkernel-aout \
            $(FIX)/multiboot-video

$(FIX):
	mkdir -p $@
$(FIX)/%-32.o: tests/fixtures/%.S include/kvmrun/abi.h | $(FIX)
	$(CC) -m32 -Iinclude -c -o $@ $<
$(FIX)/%-64.o: tests/fixtures/%.S include/kvmrun/abi.h | $(FIX)
	$(CC) -Iinclude -c -o $@ $<
$(FIX)/multiboot-elf32: $(FIX)/multiboot-32.o
	$(FIX_LD) -m elf_i386 -Ttext=0x100000 -e _start -o $@ $<
$(FIX)/multiboot-elf64: $(FIX)/multiboot-64.o
	$(FIX_LD) -Ttext=0x100000 -e _start -o $@ $<
$(FIX)/multiboot.raw: $(FIX)/multiboot-elf32
	objcopy -O binary $< $@
$(FIX)/multiboot2-elf32: $(FIX)/multiboot2-32.o
	$(FIX_LD) -m elf_i386 -Ttext=0x100000 -e _start -o $@ $<
$(FIX)/i386.elf: $(FIX)/code32-32.o
	$(FIX_LD) -m elf_i386 -e _start -o $@ $<
# gcc -c output, and the same linked as an ELF executable (not flat).
$(FIX)/hello.o: build/guests/hello.o | $(FIX)
	cp $< $@
$(FIX)/hello.elf: build/guests/hello.o | $(FIX)
	$(FIX_LD) -Ttext=0x10000 -e _start -o $@ $<
# ELF64 executables: linked with guests/elf.ld (they run), at 2 MiB, as a
# position-independent executable, and cut short in its second segment.
$(FIX)/hello-elf.elf: build/guests/hello.o guests/elf.ld | $(FIX)
	$(FIX_LD) -T guests/elf.ld -o $@ $<
$(FIX)/hello-high.elf: build/guests/hello.o guests/elf.ld | $(FIX)
	$(FIX_LD) --defsym __load_addr=0x200000 -T guests/elf.ld -o $@ $<
$(FIX)/hello-pie.elf: build/guests/hello.o | $(FIX)
	$(FIX_LD) -pie -e _start -o $@ $<
$(FIX)/hello-truncated.elf: $(FIX)/hello-elf.elf
	head -c 4200 $< >$@
# A multiboot kernel that runs (tests/fixtures/mbkernel.S), as ELF32, as
# ELF64 and as a raw binary with the header's load addresses (AOUT).
$(FIX)/mbkernel-elf32: $(FIX)/mbkernel-32.o
	$(FIX_LD) -m elf_i386 -Ttext=0x100000 -e _start -o $@ $<
$(FIX)/mbkernel-elf64: $(FIX)/mbkernel-64.o
	$(FIX_LD) -Ttext=0x100000 -e _start -o $@ $<
$(FIX)/mbkernel-aout.o: tests/fixtures/mbkernel.S include/kvmrun/abi.h | $(FIX)
	$(CC) -m32 -DAOUT -Iinclude -c -o $@ $<
$(FIX)/mbkernel-aout: $(FIX)/mbkernel-aout.o
	$(FIX_LD) -m elf_i386 -Ttext=0x100000 -e _start -o $@.elf $<
	objcopy -O binary $@.elf $@
$(FIX)/multiboot-video.o: tests/fixtures/multiboot.S | $(FIX)
	$(CC) -m32 -DMB_FLAGS=4 -c -o $@ $<
$(FIX)/multiboot-video: $(FIX)/multiboot-video.o
	$(FIX_LD) -m elf_i386 -Ttext=0x100000 -e _start -o $@ $<
$(FIX)/hello.bin.gz: guests/hello.bin | $(FIX)
	gzip -9 -n -c $< >$@

fixtures: $(FIXTURES)
