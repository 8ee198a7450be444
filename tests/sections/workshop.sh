# shellcheck shell=bash
# Section "workshop" of tests/run-tests.sh: the checker of the workshop
# lessons (tests/tools/lessoncheck) on fixtures whose verdict is known,
# then every lesson docs/workshop/NN-slug.md, which the checker runs
# command by command (docs/workshop/README.md, "How the lessons are
# checked").  Run it alone with "make check TESTS=workshop".

lessoncheck=tests/tools/lessoncheck
# The lessons say ./kvmrun; the checker runs the binary under test.
export LESSONCHECK_KVMRUN=$KVMRUN
python_why=""
command -v python3 >/dev/null 2>&1 || python_why="python3 is not installed"

# The checker first: it must pass a good lesson, fail bad ones with the
# line that differs, and skip (77) a lesson that runs a guest without KVM.
# None of these fixtures (tests/workshop/) needs KVM.
for fixture in pass:0 fail-output:1 fail-status:1 fail-status2:1 fail-source:1 needs-kvm:77; do
	base=${fixture%:*} want=${fixture#*:}
	name=workshop:lessoncheck-$base
	if [ -n "$python_why" ]; then skip "$name" "$python_why"; continue; fi
	LESSONCHECK_NO_KVM=1 timeout -k 5 120 "$lessoncheck" "tests/workshop/$base.md" >"$tmp/$name.out" 2>&1
	status=$?
	if [ "$status" -ne "$want" ]; then
		fail "$name" "status $status, expected $want: $(head -c 600 "$tmp/$name.out")"
	elif [ "$base" = fail-output ] &&
	     { ! grep -q 'expected: three' "$tmp/$name.out" || ! grep -q 'got:      two' "$tmp/$name.out"; }; then
		fail "$name" "the message does not show the lines that differ: $(head -c 600 "$tmp/$name.out")"
	elif [ "$base" = fail-source ] && ! grep -q 'src/no-such-file.c does not exist' "$tmp/$name.out"; then
		fail "$name" "the missing source file is not named: $(head -c 600 "$tmp/$name.out")"
	else
		pass "$name"
	fi
done

# The lessons, the other helper's too: whatever docs/workshop/NN-*.md holds.
for lesson in docs/workshop/[0-9][0-9]-*.md; do
	[ -e "$lesson" ] || continue
	name=workshop:$(basename "$lesson" .md)
	if [ -n "$python_why" ]; then skip "$name" "$python_why"; continue; fi
	if [ -n "$kvm_why" ]; then
		# The commands that need no guest and the source files are still
		# checked; a failure there fails the test.
		"$lessoncheck" "$lesson" >"$tmp/$name.out" 2>&1
		status=$?
		if [ "$status" -eq 0 ]; then
			pass "$name"
		elif [ "$status" -eq 77 ]; then
			skip "$name" "$kvm_why"
		else
			fail "$name" "$(cat "$tmp/$name.out")"
		fi
		continue
	fi
	"$lessoncheck" "$lesson" >"$tmp/$name.out" 2>&1
	status=$?
	if [ "$status" -eq 0 ]; then
		pass "$name"
	else
		fail "$name" "status $status
$(cat "$tmp/$name.out")"
	fi
done
