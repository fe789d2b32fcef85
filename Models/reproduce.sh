#!/usr/bin/env bash
# Retrains both shipped models with their documented commands and checks the bytes are the same.
#   bash Models/reproduce.sh [path/to/arxiv-digest]     (default: the release build, built if missing)
# topics-tfidf.model takes seconds (the test suite also checks it, ShippedModelTests). topics.model, the
# default, first encodes the 2,547 training papers with the sentence encoder: about 5 CPU-minutes cold,
# under 3 minutes on 2 idle cores; the embeddings are then cached under ~/.cache/arxiv-digest/ (set
# ARXIVDIGEST_EMBEDDING_CACHE=off to encode afresh). That is why this check is a command of its own
# rather than part of the README's test command; CI runs it after the tests (.ci/run). A debug build
# writes the same bytes as a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/arxiv-digest}
if [ ! -x "$BIN" ]; then
    [ $# -eq 0 ] || { echo "reproduce.sh: $BIN is not an executable" >&2; exit 2; }
    swift build -c release --product arxiv-digest
fi
DATA=(--data ../shared/datasets/topics/train.jsonl --data ../shared/datasets/topics/train-extra.jsonl)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

"$BIN" train "${DATA[@]}" --cv 5 --seed 0 --output "$OUT/topics-tfidf.model"
"$BIN" train "${DATA[@]}" --embedding minilm --embedding-weight 0.5 --cv 5 --seed 0 --output "$OUT/topics.model"
status=0
for model in topics-tfidf.model topics.model; do
    if cmp -s "$OUT/$model" "Models/$model"; then
        echo "Models/$model: reproduced byte for byte"
    else
        echo "Models/$model: the retrained model differs" >&2
        status=1
    fi
done
exit $status
