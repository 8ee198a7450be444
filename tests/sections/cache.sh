# shellcheck shell=bash
# Section "cache" of tests/run-tests.sh: the CPUID cache.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh cache" (or "make check TESTS=cache").

# ---- the CPUID cache --------------------------------------------------------
# guests/cpuid.bin prints what cpuid tells it; in ring 0 that is KVM's
# answer, so a run with the cache must print exactly what a run without it
# prints.  cache_run NAME DIR NOTE [ARGS...]: run it with KVMRUN_CACHE_DIR
# = DIR; status 0, stdout as without the cache, -v's cache line with NOTE.
cache_run() {
	local name=$1 dir=$2 note=$3
	shift 3
	KVMRUN_CACHE_DIR=$dir timeout -k 5 "$LIMIT" "$KVMRUN" -v --ring 0 "$@" \
		guests/cpuid.bin </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
	status=$?
	check_status "$name" 0 || return 1
	if ! cmp -s "$tmp/cpuid-reference.out" "$tmp/$name.out"; then
		fail "$name" "the guest saw another CPUID:"
		diff "$tmp/cpuid-reference.out" "$tmp/$name.out" | head -10
		return 1
	fi
	if ! grep -qF -- "$note" "$tmp/$name.err"; then
		fail "$name" "stderr lacks [$note]: $(grep -i 'cpuid cache' "$tmp/$name.err")"
		return 1
	fi
}

# mode_of FILE: its permission bits in octal.
mode_of() { stat -c %a "$1"; }

if [ -n "$kvm_why" ]; then
	skip "cpuid-cache" "$kvm_why"
else
	cdir=$tmp/cpuid-cache
	cfile=$cdir/cpuid
	name=cpuid-cache:reference
	KVMRUN_CACHE_DIR=$cdir "$KVMRUN" --no-cpuid-cache --ring 0 guests/cpuid.bin \
		</dev/null >"$tmp/cpuid-reference.out" 2>"$tmp/$name.err"
	status=$?
	if check_status "$name" 0; then
		if ! grep -q '^cpuid: vendor ' "$tmp/cpuid-reference.out" ||
		   [ "$(wc -l <"$tmp/cpuid-reference.out")" -ne 5 ]; then
			fail "$name" "stdout: $(cat "$tmp/cpuid-reference.out")"
		elif [ -e "$cdir" ]; then
			fail "$name" "--no-cpuid-cache created $cdir"
		else pass "$name"; fi
	fi

	name=cpuid-cache:first-run-writes
	if cache_run "$name" "$cdir" "CPUID cache $cfile: not used: none yet; saved for the next runs this boot"; then
		if [ "$(mode_of "$cfile")" != 600 ] || [ "$(mode_of "$cdir")" != 700 ]; then
			fail "$name" "modes: file $(mode_of "$cfile"), directory $(mode_of "$cdir")"
		else pass "$name"; fi
	fi

	name=cpuid-cache:second-run-reads
	cp "$cfile" "$tmp/cpuid-cache.saved"
	if cache_run "$name" "$cdir" "CPUID cache $cfile: used: an earlier run wrote it this boot" \
		--report "$tmp/$name.json"; then
		if ! grep -q 'ioctl KVM_SET_CPUID2:' "$tmp/$name.err" ||
		   grep -q 'ioctl KVM_GET_SUPPORTED_CPUID' "$tmp/$name.err"; then
			fail "$name" "KVM was asked anyway: $(grep 'CPUID2' "$tmp/$name.err")"
		elif ! cmp -s "$cfile" "$tmp/cpuid-cache.saved"; then
			fail "$name" "a run that used the cache rewrote it"
		elif check_json "$name" "$tmp/$name.json" cpuid.source=cache \
			options.cpuid_cache=true; then
			pass "$name"
		fi
	fi

	name=cpuid-cache:off
	if cache_run "$name" "$cdir" "the CPUID cache is off" --no-cpuid-cache \
		--report "$tmp/$name.json"; then
		check_json "$name" "$tmp/$name.json" cpuid.source=kvm \
			options.cpuid_cache=false cpuid.cache_off=--no-cpuid-cache &&
			pass "$name"
	fi
	name=cpuid-cache:off-by-environment
	if cache_run "$name" "" "the CPUID cache is off: KVMRUN_CACHE_DIR is set empty" \
		--report "$tmp/$name.json"; then
		check_json "$name" "$tmp/$name.json" \
			"cpuid.cache_off=KVMRUN_CACHE_DIR is set empty" && pass "$name"
	fi
	# A relative directory is not trusted, and -v and the report say so
	# (make bench once ran with the cache off this way, unnoticed).
	name=cpuid-cache:off-relative-directory
	if cache_run "$name" "build/cache" \
		"the CPUID cache is off: KVMRUN_CACHE_DIR is not an absolute path" \
		--report "$tmp/$name.json"; then
		check_json "$name" "$tmp/$name.json" \
			"cpuid.cache_off=KVMRUN_CACHE_DIR is not an absolute path" && pass "$name"
	fi

	# A damaged file is not used, and is replaced by a good one.
	name=cpuid-cache:damaged
	size=$(stat -c %s "$cfile")
	printf '\377' | dd of="$cfile" bs=1 seek=$((size - 5)) conv=notrunc 2>/dev/null
	if cache_run "$name" "$cdir" "not used: damaged: wrong checksum; saved for the next runs"; then
		cache_run "$name" "$cdir" "used: an earlier run wrote it" && pass "$name"
	fi
	name=cpuid-cache:truncated
	head -c 100 "$tmp/cpuid-cache.saved" >"$cfile"
	cache_run "$name" "$cdir" "not used: damaged: wrong size; saved for the next runs" &&
		pass "$name"
	name=cpuid-cache:not-a-cache
	echo "hello" >"$cfile"
	cache_run "$name" "$cdir" "not used: damaged: wrong size" && pass "$name"

	# Not plainly the user's own: not used, and replaced (mode 0600).
	name=cpuid-cache:writable-by-others
	chmod 666 "$cfile"
	if cache_run "$name" "$cdir" "not used: writable by others; saved for the next runs"; then
		if [ "$(mode_of "$cfile")" != 600 ]; then
			fail "$name" "mode $(mode_of "$cfile") after the rewrite"
		else pass "$name"; fi
	fi
	name=cpuid-cache:symlink
	mv "$cfile" "$tmp/cpuid-cache.elsewhere"
	ln -s "$tmp/cpuid-cache.elsewhere" "$cfile"
	if cache_run "$name" "$cdir" "not used: it is a symbolic link; saved for the next runs"; then
		if [ -L "$cfile" ]; then fail "$name" "the link is still there"
		else pass "$name"; fi
	fi
	name=cpuid-cache:owned-by-another-user
	if [ "$(id -u)" -ne 0 ]; then
		skip "$name" "only root can give a file away"
	else
		chown 65534 "$cfile"
		cache_run "$name" "$cdir" "not used: owned by another user; saved for the next runs" &&
			pass "$name"
	fi

	# Another device node for the same KVM (as a reload of the KVM module
	# makes): the cache was written for the other one.
	name=cpuid-cache:another-device-node
	if [ "$(id -u)" -ne 0 ]; then
		skip "$name" "mknod needs root"
	elif ! mknod "$tmp/kvm-node" c "$((0x$(stat -c %t /dev/kvm)))" "$((0x$(stat -c %T /dev/kvm)))" 2>/dev/null; then
		skip "$name" "cannot make a device node in $tmp"
	elif cache_run "$name" "$cdir" "not used: written for another KVM device node" \
		--kvm-device "$tmp/kvm-node"; then
		cache_run "$name" "$cdir" "not used: written for another KVM device node" && pass "$name"
	fi

	# Intact files that say what KVM will not take, or what no x86-64 KVM
	# says: not used, KVM asked, and the file replaced by KVM's answer.
	name=cpuid-cache:implausible
	cp "$tmp/cpuid-cache.saved" "$cfile"
	if ! "$CACHETOOL" "$cfile" 0x80000001 0 edx 0 0x20000000 2>"$tmp/$name.tool"; then
		fail "$name" "cachetool: $(cat "$tmp/$name.tool")"
	elif cache_run "$name" "$cdir" "not used: implausible: it lacks leaf 0, 1, 0x80000000 or long mode; saved for the next runs"; then
		# KVM's answer replaced it (not byte for byte the old one: leaf
		# 1 holds the APIC ID of whichever CPU answered).
		cache_run "$name" "$cdir" "used: an earlier run wrote it" && pass "$name"
	fi
	# AMX state in leaf 0xd: KVM_SET_CPUID2 refuses it (EPERM) unless the
	# process asked for it (arch_prctl ARCH_REQ_XCOMP_GUEST_PERM).
	name=cpuid-cache:refused-by-kvm
	cp "$tmp/cpuid-cache.saved" "$cfile"
	if ! "$CACHETOOL" "$cfile" 0xd 0 eax 0x60000 0 2>"$tmp/$name.tool"; then
		fail "$name" "cachetool: $(cat "$tmp/$name.tool")"
	elif KVMRUN_CACHE_DIR=$cdir "$KVMRUN" -v --ring 0 guests/cpuid.bin </dev/null 2>&1 >/dev/null |
		grep -q 'CPUID cache .*: used:'; then
		skip "$name" "KVM here takes AMX state in leaf 0xd without asking"
	elif cp "$tmp/cpuid-cache.saved" "$cfile" &&
		"$CACHETOOL" "$cfile" 0xd 0 eax 0x60000 0 &&
		cache_run "$name" "$cdir" "not used: with its leaves, KVM_SET_CPUID2 failed: Operation not permitted; saved for the next runs"; then
		cache_run "$name" "$cdir" "used: an earlier run wrote it" && pass "$name"
	fi

	# A cache that cannot be written never fails the run.
	name=cpuid-cache:unwritable
	cache_run "$name" /proc/kvmrun-cache-test "not saved: cannot create /proc/kvmrun-cache-test" &&
		pass "$name"
fi
