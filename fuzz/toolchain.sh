#!/usr/bin/env bash
# Make sure $FUZZ_CC (default clang) can build a libFuzzer harness with
# ASan and UBSan.  A test link decides; only when it fails are the Debian
# packages installed: clang, then libclang-rt-N-dev for clang's major
# version N (where libFuzzer's static library lives).  Prints what it does.
set -u

cc=${FUZZ_CC:-clang}
out=${FUZZ_OUT:-build/fuzz}
mkdir -p "$out"
probe_c="$out/.toolchain-probe.c"
probe="$out/.toolchain-probe"

probe() {
	command -v "$cc" >/dev/null 2>&1 || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; (void)n; return 0; }' >"$probe_c"
	"$cc" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe_c" >/dev/null 2>&1
}

apt_install() {
	local sudo=
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=sudo
		else
			echo "fuzz: need root (or sudo) to install: $*" >&2
			exit 1
		fi
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "fuzz: no apt-get: install $* (clang with libFuzzer) yourself" >&2
		exit 1
	fi
	echo "fuzz: installing $*: $sudo apt-get install -y $*"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" && return 0
	echo "fuzz: apt-get update, then trying again"
	$sudo apt-get update &&
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" && return 0
	echo "fuzz: could not install $*" >&2
	return 1
}

if probe; then
	rm -f "$probe" "$probe_c"
	exit 0
fi

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc not found"
	case $cc in
	clang|clang-[0-9]*) apt_install "$cc" || exit 1 ;;
	*) echo "fuzz: FUZZ_CC=$cc is not a clang package name; install it" >&2; exit 1 ;;
	esac
	probe && { rm -f "$probe" "$probe_c"; exit 0; }
fi

major=$("$cc" -dumpversion 2>/dev/null | cut -d. -f1)
echo "fuzz: $cc (version ${major:-?}) cannot link -fsanitize=fuzzer: libFuzzer is missing"
[ -n "$major" ] || { echo "fuzz: cannot tell $cc's version" >&2; exit 1; }
# Debian 12 and later: libclang-rt-N-dev; before: libclang-common-N-dev.
apt_install "libclang-rt-$major-dev" || apt_install "libclang-common-$major-dev" || exit 1
if ! probe; then
	echo "fuzz: $cc still cannot build a libFuzzer harness:" >&2
	"$cc" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe_c" >&2
	exit 1
fi
rm -f "$probe" "$probe_c"
