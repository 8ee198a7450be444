# shellcheck shell=bash
# Section "access" of tests/run-tests.sh: /dev/kvm permissions and missing requirements.
# Sourced by tests/run-tests.sh after tests/lib.sh; run it alone with
# "tests/run-tests.sh access" (or "make check TESTS=access").

# Permission problems cannot be staged as root (root reads anything), so
# run kvmrun as an unprivileged user there.
unprivileged() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
	else
		return 99
	fi
}

# The unprivileged user may not be able to reach this checkout (CI clones
# it anywhere): give it its own copies of kvmrun and a guest in $tmp.
chmod 755 "$tmp"
cp "$KVMRUN" "$tmp/kvmrun" && chmod 755 "$tmp/kvmrun"
cp guests/hello.bin "$tmp/hello.bin" && chmod 644 "$tmp/hello.bin"

name=error:unreadable-image
cp guests/hello.bin "$tmp/unreadable.bin" 2>/dev/null && chmod 000 "$tmp/unreadable.bin"
unprivileged "$tmp/kvmrun" "$tmp/unreadable.bin" >"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if [ $status -eq 99 ]; then
	skip "$name" "cannot drop privileges"
elif check_status "$name" 125; then
	expect="kvmrun: cannot open image $tmp/unreadable.bin: Permission denied"
	if [ "$(cat "$tmp/$name.err")" = "$expect" ]; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi

name=error:kvm-permission
: >"$tmp/kvm-denied" && chmod 000 "$tmp/kvm-denied"
unprivileged "$tmp/kvmrun" --kvm-device "$tmp/kvm-denied" "$tmp/hello.bin" \
	>"$tmp/$name.out" 2>"$tmp/$name.err"
status=$?
if [ $status -eq 99 ]; then
	skip "$name" "cannot drop privileges"
elif check_status "$name" 125; then
	if grep -q "^kvmrun: $tmp/kvm-denied: permission denied: add your user to the kvm group" "$tmp/$name.err" &&
	   [ "$(wc -l <"$tmp/$name.err")" -eq 1 ]; then pass "$name"
	else fail "$name" "stderr: $(cat "$tmp/$name.err")"; fi
fi
