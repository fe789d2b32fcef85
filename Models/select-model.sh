#!/usr/bin/env bash
# Model selection for the shipped topic model: 5-fold stratified cross-validation on
# ../shared/datasets/topics/train.jsonl, each configuration averaged over fold seeds 0, 1 and 2.
# Every row changes the shipped options (TrainingOptions defaults) as its options column says.
# Prints a Markdown table (the one in Models/README.md). Takes a few minutes with a release build.
#   bash Models/select-model.sh [path/to/arxiv-digest]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/arxiv-digest}
DATA=../shared/datasets/topics/train.jsonl
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

run() {  # name, then train options
    local name=$1; shift
    for seed in 0 1 2; do
        "$BIN" train --data "$DATA" --cv 5 --seed "$seed" "$@" --output "$OUT/m.model" 2>&1 >/dev/null | grep '^cross-validated'
    done | python3 -c '
import re, sys
name, options = sys.argv[1], sys.argv[2]
scores = [re.search(r"\): accuracy ([0-9.]+), macro-F1 ([0-9.]+);", line).groups() for line in sys.stdin]
accuracy = sum(float(a) for a, _ in scores) / len(scores)
macro_f1 = sum(float(f) for _, f in scores) / len(scores)
print("| %s | %s | %.4f | %.4f |" % (name, options or "(defaults)", accuracy, macro_f1))' "$name" "$*"
}

echo "| configuration | options | accuracy | macro-F1 |"
echo "|---|---|---|---|"
run "shipped: logreg, unigrams, title read twice, C=30, balanced"
run "title read once" --title-repeat 1
run "title read three times" --title-repeat 3
for C in 3 10 100; do run "C=$C" --C "$C"; done
run "no class weights" --class-weight none
run "min_df=1" --min-df 1
run "1-2-grams" --ngram-range 1,2
run "1-2-grams, C=100" --ngram-range 1,2 --C 100
run "no sublinear tf" --sublinear-tf false
run "keyword votes 0.5" --keyword-votes 0.5
run "keyword votes 1" --keyword-votes 1
for a in 0.01 0.03 0.1 0.3; do run "naive Bayes, alpha=$a" --classifier nb --alpha "$a"; done
for a in 0.1 0.3 1; do run "complement NB, alpha=$a" --classifier cnb --alpha "$a"; done
run "complement NB, 1-2-grams, alpha=0.3" --classifier cnb --alpha 0.3 --ngram-range 1,2
