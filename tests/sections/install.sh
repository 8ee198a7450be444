# shellcheck shell=bash
# Section "install" of tests/run-tests.sh: make install and uninstall.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh install" (or "make check TESTS=install").

# make install and uninstall, staged under DESTDIR: the binary, the guest
# ABI header (which a C guest can include) and the man page made from the
# README (rendered without warnings when man is installed).
name=install:staged
dest=$tmp/dest
if ! env -u MAKEFLAGS -u MAKELEVEL make -s install SANITIZE= DESTDIR="$dest" PREFIX=/opt/kr >"$tmp/$name.out" 2>&1; then
	fail "$name" "make install failed: $(tail -5 "$tmp/$name.out")"
elif [ ! -x "$dest/opt/kr/bin/kvmrun" ] || ! "$dest/opt/kr/bin/kvmrun" -V | grep -q '^kvmrun '; then
	fail "$name" "no working $dest/opt/kr/bin/kvmrun"
elif ! printf '#include <kvmrun/abi.h>\nint main(void) { return KVMRUN_PORT_EXIT != 0xf4; }\n' |
	${CC:-cc} -std=c11 -I"$dest/opt/kr/include" -x c -o "$tmp/abi-test" - 2>"$tmp/$name.err"; then
	fail "$name" "the installed abi.h does not compile: $(head -3 "$tmp/$name.err")"
elif [ ! -f "$dest/opt/kr/include/kvmrun/sdk/stdio.h" ] ||
     [ ! -f "$dest/opt/kr/lib/kvmrun/libkvmrun.a" ] ||
     [ ! -f "$dest/opt/kr/lib/kvmrun/crt0.o" ] ||
     [ ! -f "$dest/opt/kr/lib/kvmrun/guest-c.ld" ]; then
	fail "$name" "the C guest SDK is not installed: $(find "$dest" -path '*sdk*' -o -path '*lib/kvmrun*')"
elif ! grep -q '^\.SH EXIT STATUS' "$dest/opt/kr/share/man/man1/kvmrun.1" ||
     ! grep -q '^\.SH THE GUEST CONTRACT' "$dest/opt/kr/share/man/man1/kvmrun.1" ||
     ! grep -q 'quiet' "$dest/opt/kr/share/man/man1/kvmrun.1"; then
	fail "$name" "the man page lacks the README's sections"
elif command -v man >/dev/null &&
     { MANWIDTH=80 man --warnings -l "$dest/opt/kr/share/man/man1/kvmrun.1" 2>&1 >/dev/null | grep . >"$tmp/$name.warn"; }; then
	fail "$name" "man warns: $(head -3 "$tmp/$name.warn")"
elif ! env -u MAKEFLAGS -u MAKELEVEL make -s uninstall SANITIZE= DESTDIR="$dest" PREFIX=/opt/kr >/dev/null 2>&1 ||
     [ -n "$(find "$dest" -type f)" ]; then
	fail "$name" "make uninstall left: $(find "$dest" -type f)"
else
	pass "$name"
fi
