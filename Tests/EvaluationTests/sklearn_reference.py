"""Reference values for EvaluationTests, computed with scikit-learn.

Reads JSON {"truth": [...], "predicted": [...], "labels": [...]} on stdin and prints JSON with
accuracy, macro_f1, per-class precision/recall/f1/support (zero_division=0) and the confusion
matrix, all over `labels` in the given order.

With the argument `keywords PATH`, instead prints the original digest's keyword labels for every
paper of the JSON Lines file PATH (Python str.lower and `in`, as the original script did).
"""
import json
import sys

KEYWORDS = [
    ("hardware", ["memristor", "rram", "pcm", "device", "material", "circuit", "cmos", "transistor", "fpga",
                  "accelerator", "chip", "integrated", "hardware", "synaptic device", "crossbar", "conductance"]),
    ("algorithms", ["plasticity", "stdp", "learning rule", "backpropagation", "dynamics", "bifurcation", "chaos",
                    "neuron model", "snn", "spiking", "theory", "optimization", "encoding", "decoding",
                    "information", "liquid state"]),
    ("applications", ["vision", "camera", "dvs", "event-based", "sensor", "tactile", "skin", "robot",
                      "recognition", "classification", "detection", "tracking", "audio", "speech", "gesture",
                      "uav", "drone"]),
]


def keyword_label(text):
    text = text.lower()
    best, best_label = 0, "general"
    for label, words in KEYWORDS:
        score = sum(1 for w in words if w in text)
        if score > best:
            best, best_label = score, label
    return best_label


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "keywords":
        with open(sys.argv[2], encoding="utf-8") as f:
            papers = [json.loads(line) for line in f if line.strip()]
        json.dump([keyword_label(p["title"] + " " + p["abstract"]) for p in papers], sys.stdout)
        return
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
    data = json.load(sys.stdin)
    y, p, labels = data["truth"], data["predicted"], data["labels"]
    prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=labels, zero_division=0)
    json.dump({
        "accuracy": accuracy_score(y, p),
        "macro_f1": f1_score(y, p, labels=labels, average="macro", zero_division=0),
        "precision": prec.tolist(), "recall": rec.tolist(), "f1": f1.tolist(), "support": sup.tolist(),
        "confusion_matrix": confusion_matrix(y, p, labels=labels).tolist(),
    }, sys.stdout)


main()
