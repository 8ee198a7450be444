# shellcheck shell=bash
# Section "state" of tests/run-tests.sh: --set and --dump-mem.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh state" (or "make check TESTS=state").

# ---- --set and --dump-mem --------------------------------------------------
# tests/guests/regdump.bin stores its 16 entry registers (rax ... r15) at
# 0x20000, writes the bytes 0 ... 255 at 0x20080 and prints the registers;
# tests/cases/regdump*.stdout check the printed values.

# le64 VALUE...: each VALUE as 8 little-endian bytes.
le64() {
	local v i
	for v in "$@"; do
		for i in 0 1 2 3 4 5 6 7; do
			# shellcheck disable=SC2059
			printf "\\$(printf '%03o' $(((v >> (8 * i)) & 0xff)))"
		done
	done
}

# Later --set options win; rsp and rdi can be set like the others.
name=set:rsp-rdi-repeated
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --set rsp=0x8000 --set rdi=0 --set rax=1 \
		--set rax=0x2a --ring 0 tests/guests/regdump.bin
	if check_status "$name" 0; then
		if grep -qx 'rax=0x000000000000002a' "$tmp/$name.out" &&
		   grep -qx 'rdi=0x0000000000000000' "$tmp/$name.out" &&
		   grep -qx 'rsp=0x0000000000008000' "$tmp/$name.out" &&
		   grep -qx 'r15=0x0000000000000000' "$tmp/$name.out"; then pass "$name"
		else fail "$name" "stdout: $(tr '\n' ' ' <"$tmp/$name.out")"; fi
	fi
fi

# Raw dumps: the image as loaded is the image file, wherever it is loaded.
for load in 0x10000 0x200000; do
	name=dump-mem:image-at-$load
	if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"; continue; fi
	size=$(stat -c %s guests/hello.bin)
	rm -f "$tmp/$name.raw"
	run_kvmrun "$name" /dev/null --load "$load" --dump-mem "$load:$size:$tmp/$name.raw" guests/hello.bin
	if check_status "$name" 0; then
		if ! cmp guests/hello.bin "$tmp/$name.raw" >"$tmp/$name.cmp" 2>&1; then
			fail "$name" "$(cat "$tmp/$name.cmp")"
		elif [ -s "$tmp/$name.err" ]; then
			fail "$name" "a raw dump printed on stderr: $(cat "$tmp/$name.err")"
		else pass "$name"; fi
	fi
done

# Memory the guest wrote, several dumps in one run: the pattern, and the
# registers it stored (the --set values, little-endian, and the defaults).
name=dump-mem:guest-writes
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	rm -f "$tmp/$name.pattern" "$tmp/$name.regs"
	run_kvmrun "$name" /dev/null --set rax=0x1122334455667788 --set r15=0xfedcba9876543210 \
		--dump-mem "0x20080:256:$tmp/$name.pattern" --dump-mem "0x20000:0x80:$tmp/$name.regs" \
		tests/guests/regdump.bin
	for i in $(seq 0 255); do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "$i")"
	done >"$tmp/$name.pattern-expected"
	le64 0x1122334455667788 0 0 0 0 0x7800 0x10000 0 0 0 0 0 0 0 0 0xfedcba9876543210 \
		>"$tmp/$name.regs-expected"
	sed -e 's/^rax=.*/rax=0x1122334455667788/' -e 's/^r15=.*/r15=0xfedcba9876543210/' \
		tests/cases/regdump.stdout >"$tmp/$name.stdout-expected"
	if ! check_status "$name" 0; then :
	elif ! cmp -s "$tmp/$name.pattern-expected" "$tmp/$name.pattern"; then
		fail "$name" "the pattern dump differs: $(od -An -tx1 "$tmp/$name.pattern" | head -3)"
	elif ! cmp -s "$tmp/$name.regs-expected" "$tmp/$name.regs"; then
		fail "$name" "the register dump differs: $(od -An -tx1 "$tmp/$name.regs" | head -8)"
	elif ! cmp -s "$tmp/$name.stdout-expected" "$tmp/$name.out"; then
		fail "$name" "stdout: $(tr '\n' ' ' <"$tmp/$name.out")"
	else
		pass "$name"
	fi
fi

# The hex dump on stderr, after the run: a header line, then 16 bytes a
# line with the address, hex and printable characters.
name=dump-mem:hex
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --dump-mem 0x200a0:40 tests/guests/regdump.bin
	cat >"$tmp/$name.expected" <<'HEX'
kvmrun: guest memory at 0x200a0, 40 bytes:
  00000000000200a0  20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f  | !"#$%&'()*+,-./|
  00000000000200b0  30 31 32 33 34 35 36 37 38 39 3a 3b 3c 3d 3e 3f  |0123456789:;<=>?|
  00000000000200c0  40 41 42 43 44 45 46 47                          |@ABCDEFG|
HEX
	if ! check_status "$name" 0; then :
	elif ! cmp -s tests/cases/regdump.stdout "$tmp/$name.out"; then
		fail "$name" "--dump-mem changed stdout"
	elif ! diff -u "$tmp/$name.expected" "$tmp/$name.err" >"$tmp/$name.diff"; then
		fail "$name" "hex dump differs:"; cat "$tmp/$name.diff"
	else
		pass "$name"
	fi
fi

# A range that is not all RAM is refused before the run (the guest prints
# nothing): here the hole below 4 GiB when RAM is larger than 3 GiB (the
# ends of RAM are golden cases in tests/errors/).
name=dump-mem:mmio-hole
run_kvmrun "$name" /dev/null --mem 4G --dump-mem 0xc0000000:16 guests/hello.bin
if check_status "$name" 125; then
	if [ -s "$tmp/$name.out" ] || [ "$(wc -l <"$tmp/$name.err")" -ne 1 ] ||
	   ! grep -q '^kvmrun: --dump-mem 0xc0000000:16 is not inside guest RAM' "$tmp/$name.err"; then
		fail "$name" "stdout: '$(cat "$tmp/$name.out")', stderr: $(cat "$tmp/$name.err")"
	else pass "$name"; fi
fi

# A dump file that cannot be created: the guest ran (its output is there),
# kvmrun says why in one line and exits with 125.
# A dump file that cannot be created is said before the run, like a bad
# --report path: one line, status 125, and the guest never runs.
name=dump-mem:unwritable-file
run_kvmrun "$name" /dev/null --dump-mem 0x10000:16:/nonexistent/dir/d.raw guests/exit.bin
if check_status "$name" 125; then
	if [ -s "$tmp/$name.out" ]; then
		fail "$name" "the guest ran: $(cat "$tmp/$name.out")"
	elif [ "$(cat "$tmp/$name.err")" != "kvmrun: --dump-mem: cannot create /nonexistent/dir/d.raw: No such file or directory" ]; then
		fail "$name" "stderr: $(cat "$tmp/$name.err")"
	else pass "$name"; fi
fi

# A dump file that fails when written (a full device): the guest ran (its
# output is there), kvmrun says why in one line and exits with 125.
name=dump-mem:write-fails
if [ -n "$kvm_why" ]; then skip "$name" "$kvm_why"
else
	run_kvmrun "$name" /dev/null --dump-mem 0x10000:16:/dev/full guests/exit.bin
	if check_status "$name" 125; then
		if ! cmp -s tests/cases/exit.stdout "$tmp/$name.out"; then
			fail "$name" "guest output lost: $(cat "$tmp/$name.out")"
		elif ! grep -q "^kvmrun: --dump-mem: cannot write /dev/full: No space left on device" "$tmp/$name.err"; then
			fail "$name" "stderr: $(cat "$tmp/$name.err")"
		else pass "$name"; fi
	fi
fi
