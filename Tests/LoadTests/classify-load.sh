#!/usr/bin/env bash
# Load measurement for `arxiv-digest classify` (issue: stream a 1,000,000-paper JSON Lines input with flat memory).
#
# Builds the release binary, generates 10k- and 1M-paper inputs by cycling ../shared/datasets/topics/train.jsonl
# with new ids, and classifies each under /usr/bin/time -v, printing peak RSS and wall time. Then puts a malformed
# line in the middle of the 1M file and runs it without --skip-invalid (must stop, naming the line) and with it
# (must finish and report "skipped 1").
#
# Usage (from anywhere): Tests/LoadTests/classify-load.sh
# Environment: SIZES="10000 1000000" (paper counts), KEEP=1 keeps the temporary folder,
# CONFIG=debug for a quick smoke run of the script itself (figures are only meaningful in release).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${ARXIVDIGEST_SHARED:-$root/../shared}"
train="$shared/datasets/topics/train.jsonl"
sizes="${SIZES:-10000 1000000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/classify-load.XXXXXX")"
if [[ "${KEEP:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; fi

config="${CONFIG:-release}"
echo "== building ($config)"
(cd "$root" && swift build -c "$config" --product arxiv-digest 2>&1 | grep -E "error|Build" | tail -3)
bin="$root/.build/$config/arxiv-digest"

# The TF-IDF-only model: this measures streaming, and the default model would encode every paper.
model="$root/Models/topics-tfidf.model"
if [[ ! -f "$model" ]]; then
    model="$work/topics.model"
    echo "== Models/topics-tfidf.model not found: training one from $train"
    "$bin" train --data "$train" --output "$model"
fi
echo "model: $model"

# Runs classify under /usr/bin/time -v; prints exit status, peak RSS, wall time and the last line of stderr.
measure() {
    local label="$1"; shift
    local status=0
    /usr/bin/time -v -o "$work/time.txt" "$bin" classify --model "$model" "$@" 2>"$work/stderr.txt" || status=$?
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
    printf '%-34s exit %-3s peak RSS %8.1f MiB   wall %s\n' "$label" "$status" "$(echo "$rss / 1024" | bc -l)" "$wall"
    grep -v "^\s*Command" "$work/stderr.txt" | tail -1 | sed 's/^/    stderr: /' || true
}

for n in $sizes; do
    input="$work/papers-$n.jsonl"
    python3 "$root/Tests/LoadTests/generate_papers.py" "$train" "$n" "$input"
    echo "== $n papers ($(du -h "$input" | cut -f1))"
    measure "classify $n" --papers "$input" --output "$work/out-$n.jsonl"
    echo "    output lines: $(wc -l < "$work/out-$n.jsonl")"
    rm -f "$work/out-$n.jsonl"
done

largest="${sizes##* }"
middle=$((largest / 2))
bad="$work/papers-$largest-bad.jsonl"
{ head -n "$middle" "$work/papers-$largest.jsonl"; echo '{"id": "broken", "title": '; tail -n +"$((middle + 1))" "$work/papers-$largest.jsonl"; } > "$bad"
rm -f "$work/papers-"*[0-9].jsonl
echo "== $largest papers with a malformed line at line $((middle + 1))"
echo GOOD > "$work/out-bad.jsonl"
measure "classify (stops)" --papers "$bad" --output "$work/out-bad.jsonl"
echo "    output file still: $(head -c 20 "$work/out-bad.jsonl")"
measure "classify --skip-invalid" --papers "$bad" --skip-invalid --output "$work/out-bad.jsonl"
echo "    output lines: $(wc -l < "$work/out-bad.jsonl")"
