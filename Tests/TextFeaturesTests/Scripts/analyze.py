"""Reads a JSON list of texts on stdin and prints, as JSON, the terms sklearn's default word
analyzer produces for each: TfidfVectorizer(ngram_range=(MIN, MAX), lowercase=LOWER).build_analyzer().

usage: analyze.py MIN MAX LOWER(0|1)
"""
import json, sys

from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    low, high, lowercase = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
    analyzer = TfidfVectorizer(ngram_range=(low, high), lowercase=lowercase).build_analyzer()
    texts = json.load(sys.stdin)
    json.dump([analyzer(t) for t in texts], sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
