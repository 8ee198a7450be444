#!/usr/bin/env bash
# Run the libFuzzer harnesses (make fuzz, make fuzz-regress).
#
#   fuzz/run.sh fuzz HARNESS...     fuzz each for $FUZZ_SECONDS on a copy of
#                                   its seeds in $FUZZ_OUT/corpus/HARNESS,
#                                   then run its regressions once each
#   fuzz/run.sh regress HARNESS...  run the seeds and regressions once each
#
# Prints one line per harness (executions, crash or not) and exits 1 if
# any harness crashed or any regression input still fails.  Logs go to
# $FUZZ_OUT/logs/, crashing inputs to $FUZZ_OUT/artifacts/HARNESS/.
set -u

mode=${1:?usage: fuzz/run.sh fuzz|regress HARNESS...}
shift
out=${FUZZ_OUT:-build/fuzz}
seconds=${FUZZ_SECONDS:-60}
extra=${FUZZ_FLAGS:-}
failed=0
summary=()

mkdir -p "$out/logs"

# Per-harness libFuzzer options: inputs larger than these add nothing.
harness_opts() {
	case $1 in
	parse)    echo -max_len=256 ;;
	cli)      echo -max_len=1024 ;;
	loader)   echo -max_len=16384 ;;
	devices)  echo -max_len=4096 ;;
	insn)     echo -max_len=64 ;;
	pagewalk) echo -max_len=4096 ;;
	cpuidcache) echo -max_len=12288 ;;
	elf)      echo -max_len=16384 ;;
	multiboot) echo -max_len=16384 ;;
	esac
}

# Run each regression input on its own; print and count the failures.
run_regressions() {
	local h=$1 bin=$2 f log n=0 bad=0
	for f in fuzz/regressions/"$h"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		log="$out/logs/$h.regression.$(basename "$f").log"
		if "$bin" -timeout=10 "$f" >"$log" 2>&1; then
			echo "  regression $f: passes"
		else
			echo "  regression $f: FAILS (log: $log)"
			grep -m1 -E 'FUZZ INVARIANT VIOLATED|ERROR: (Address|Undefined|libFuzzer)|runtime error' "$log" | sed 's/^/    /'
			bad=$((bad + 1))
		fi
	done
	reg_count=$n
	reg_failed=$bad
}

for h in "$@"; do
	bin="$out/fuzz_$h"
	if [ ! -x "$bin" ]; then
		echo "fuzz: no harness $bin (make fuzz-build)" >&2
		exit 2
	fi
	log="$out/logs/$h.log"
	crash=
	case $mode in
	fuzz)
		corpus="$out/corpus/$h"
		mkdir -p "$corpus" "$out/artifacts/$h"
		[ -d "fuzz/corpus/$h" ] && cp -n fuzz/corpus/"$h"/* "$corpus"/ 2>/dev/null
		echo "== $h: fuzzing for ${seconds}s (corpus $corpus, log $log)"
		# shellcheck disable=SC2046,SC2086
		"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
			-print_final_stats=1 -artifact_prefix="$out/artifacts/$h/" \
			$(harness_opts "$h") $extra "$corpus" >"$log" 2>&1
		rc=$?
		runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
		[ -n "$runs" ] ||
			runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$')
		[ -n "$runs" ] ||       # -fork=N: the last status line
			runs=$(grep -oE '^#[0-9]+: cov' "$log" | tail -1 | grep -oE '[0-9]+')
		runs=${runs:-?}
		if [ $rc -ne 0 ]; then
			crash=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //')
			[ -n "$crash" ] ||      # -fork=N: the crashes land in the artifact directory
				crash=$(ls -t "$out/artifacts/$h"/crash-* 2>/dev/null | head -1)
			echo "   CRASH after $runs runs (exit $rc): ${crash:-see $log}"
			grep -m1 -E 'FUZZ INVARIANT VIOLATED|ERROR: (Address|Undefined|libFuzzer)|runtime error' "$log" | sed 's/^/   /'
			result="CRASH ${crash:-(see $log)}"
			failed=1
		else
			echo "   $runs runs, no crash"
			result="no crash"
		fi
		;;
	regress)
		seeds=()
		for f in fuzz/corpus/"$h"/*; do [ -f "$f" ] && seeds+=("$f"); done
		echo "== $h: ${#seeds[@]} seeds"
		runs=${#seeds[@]}
		rc=0
		if [ ${#seeds[@]} -gt 0 ]; then
			"$bin" -timeout=10 "${seeds[@]}" >"$log" 2>&1
			rc=$?
		fi
		if [ $rc -ne 0 ]; then
			crash=$(grep -E '^Running: ' "$log" | tail -1 | sed 's/^Running: //')
			echo "   seed CRASH: ${crash:-see $log} (log $log)"
			grep -m1 -E 'FUZZ INVARIANT VIOLATED|ERROR: (Address|Undefined|libFuzzer)|runtime error' "$log" | sed 's/^/   /'
			result="CRASH on seed ${crash:-?}"
			failed=1
		else
			result="seeds pass"
		fi
		;;
	*)
		echo "usage: fuzz/run.sh fuzz|regress HARNESS..." >&2
		exit 2
		;;
	esac
	run_regressions "$h" "$bin"
	if [ "$reg_count" -gt 0 ]; then
		result="$result; regressions: $((reg_count - reg_failed))/$reg_count pass"
		[ "$reg_failed" -eq 0 ] || failed=1
	fi
	summary+=("$(printf '%-9s %10s  %s' "$h" "$runs" "$result")")
done

echo
printf '%-9s %10s  %s\n' harness "$([ "$mode" = fuzz ] && echo runs || echo inputs)" result
printf '%s\n' "${summary[@]}"
if [ $failed -ne 0 ]; then
	echo "fuzz: FAILED (a crash, or a regression input that still fails)"
	exit 1
fi
echo "fuzz: ok"
