#!/usr/bin/env bash
# Builds the libFuzzer targets and fuzzes each for a given time, one after another.
#
#   Tests/Fuzz/fuzz.sh [--seconds N | --smoke] [--build-only] [TARGET…]
#
# TARGETs: atom jsonl modelfile tokenizer (default: all). --seconds N fuzzes each for N seconds
# (default 60); --smoke is 20 seconds each, for CI. Corpora grow in Tests/Fuzz/work/corpus/TARGET
# (git-ignored, kept between runs); crashing inputs go to Tests/Fuzz/work/crashes/TARGET/ and the
# full output to Tests/Fuzz/work/logs/TARGET.log. Exits 1 if any target crashed, hung or ran out
# of memory, 2 on a usage or build error.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
all_targets=(atom jsonl modelfile tokenizer)
seconds=60
build_only=0
targets=()

while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        --smoke) seconds=20; shift ;;
        --build-only) build_only=1; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        atom|jsonl|modelfile|tokenizer) targets+=("$1"); shift ;;
        *) echo "fuzz.sh: unknown argument '$1' (targets: ${all_targets[*]})" >&2; exit 2 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# SwiftPM names a root package after its folder: this package (Tests/Fuzz) is "fuzz", so a checkout
# whose folder is also called "fuzz" clashes with it.
if [ "$(basename "$root" | tr 'A-Z' 'a-z')" = "fuzz" ]; then
    echo "fuzz.sh: the checkout's folder is named '$(basename "$root")', which SwiftPM confuses with" \
         "Tests/Fuzz; run it from a checkout in a folder with another name" >&2
    exit 2
fi

# Every Swift module in the build (ArxivFeed, ModelStore, TextFeatures…) gets coverage counters and
# AddressSanitizer; release mode, as the code ships. libFuzzer's main is not linked: each target's
# main.swift calls LLVMFuzzerRunDriver (see Sources/CLibFuzzer/shim.h).
echo "== building (swift build -c release -Xswiftc -sanitize=fuzzer,address)"
if ! swift build -c release --package-path "$here" -Xswiftc -sanitize=fuzzer,address \
        > "$here/.build-log.txt" 2>&1; then
    grep -E "error:" "$here/.build-log.txt" | head -20 >&2 || tail -20 "$here/.build-log.txt" >&2
    echo "fuzz.sh: build failed (full log: $here/.build-log.txt)" >&2
    exit 2
fi
bin="$(swift build -c release --package-path "$here" --show-bin-path)"
[ "$build_only" -eq 0 ] || { echo "built: $bin/fuzz-{${all_targets[*]// /,}}"; exit 0; }

max_len() {
    case "$1" in
        atom) echo 65536 ;;        # arXiv pages of up to ~25 entries
        jsonl) echo 16384 ;;       # a few records
        modelfile) echo 8192 ;;
        tokenizer) echo 4096 ;;    # a few abstracts
    esac
}

# The Swift runtime's crash backtracer reads the stack in a way AddressSanitizer reports as an error
# of its own; libFuzzer and ASan print the stack instead.
export SWIFT_BACKTRACE=enable=no

failed=()
printf '\n%-10s %8s %12s %8s %6s %6s %8s  %s\n' target seconds executions exec/s cov ft corpus result
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    crashes="$work/crashes/$target"
    log="$work/logs/$target.log"
    mkdir -p "$corpus" "$crashes" "$work/logs"
    python3 "$here/make_seeds.py" "$target" "$corpus" "$root" > /dev/null
    dict=()
    [ -f "$here/dictionaries/$target.dict" ] && dict=("-dict=$here/dictionaries/$target.dict")
    before="$(ls "$crashes" | wc -l)"
    set +e
    "$bin/fuzz-$target" "$corpus" "${dict[@]}" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$crashes/" > "$log" 2>&1
    status=$?
    set -e
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    last="$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")"
    corp="$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<< "$last")"
    if [ "$status" -eq 0 ]; then result=ok; else result="FAILED (exit $status)"; failed+=("$target"); fi
    printf '%-10s %8s %12s %8s %6s %6s %8s  %s\n' "$target" "$seconds" "${execs:-?}" "${rate:-?}" \
        "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
    if [ "$status" -ne 0 ]; then
        # The failed check (with its message lines), the sanitizer's verdict and the top of the stack.
        awk '/Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer/ { show = 1 }
             /^ +#1[0-9] / { show = 0 }
             show || /SUMMARY|Test unit written/' "$log" | head -40 | sed 's/^/    /'
        echo "    new crash inputs: $(( $(ls "$crashes" | wc -l) - before )) in $crashes; log: $log"
        echo "    reproduce: SWIFT_BACKTRACE=enable=no $bin/fuzz-$target <input>"
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: crashes or hangs in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz.sh: no crash in ${targets[*]} (${seconds} s each)"
