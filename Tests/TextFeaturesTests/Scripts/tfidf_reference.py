"""Fits scikit-learn's TfidfVectorizer on a dataset for the Swift parity tests.

usage: tfidf_reference.py (topics|arxiv) LIMIT SHARED_DIR OUT_DIR

Writes OUT_DIR/texts.json (the input texts, title + " " + abstract) and, per setting,
OUT_DIR/<setting>/{terms.json, idf.f64 (if use_idf), indptr.i64, indices.i32, data.f64} (little-endian).
"""
import gzip, json, os, sys

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

SETTINGS = {
    "unigrams": {},
    "bigrams_sublinear_min2": {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2},
    "maxdf05_min3": {"max_df": 0.5, "min_df": 3},
}
# Further options, on the small topics set only. The max_features cuts fall between distinct
# corpus frequencies there, so sklearn's unstable tie order cannot matter.
TOPICS_EXTRA = {
    "maxfeatures100": {"max_features": 100},
    "noidf_l1_sublinear": {"use_idf": False, "norm": "l1", "sublinear_tf": True},
    "rawidf_nonorm_cased_bigrams_max300": {
        "smooth_idf": False, "norm": None, "lowercase": False, "ngram_range": (1, 2), "max_features": 300,
    },
    "bigrams_trigrams_proportions": {"ngram_range": (2, 3), "min_df": 0.01, "max_df": 0.9},
    # Stop words are removed before n-grams are formed, so bigrams join words a stop word separated.
    "stopwords_english": {"stop_words": "english"},
    "stopwords_english_bigrams_sublinear_min2": {"stop_words": "english", "ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2},
}


def read_texts(dataset, limit, shared):
    if dataset == "topics":
        path, opener = os.path.join(shared, "datasets/topics/train.jsonl"), open
    else:
        path, opener = os.path.join(shared, "datasets/arxiv-categories.jsonl.gz"), gzip.open
    texts = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit and len(texts) >= limit:
                break
            paper = json.loads(line)
            texts.append(paper["title"] + " " + paper["abstract"])
    return texts


def main():
    dataset, limit, shared, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    texts = read_texts(dataset, limit, shared)
    with open(os.path.join(out, "texts.json"), "w", encoding="utf-8") as f:
        json.dump(texts, f, ensure_ascii=False)
    settings = dict(SETTINGS, **(TOPICS_EXTRA if dataset == "topics" else {}))
    for name, params in settings.items():
        vectorizer = TfidfVectorizer(**params)
        matrix = vectorizer.fit_transform(texts).tocsr()
        matrix.sort_indices()
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "terms.json"), "w", encoding="utf-8") as f:
            json.dump(list(vectorizer.get_feature_names_out()), f, ensure_ascii=False)
        if vectorizer.use_idf:
            vectorizer.idf_.astype("<f8").tofile(os.path.join(folder, "idf.f64"))
        matrix.indptr.astype("<i8").tofile(os.path.join(folder, "indptr.i64"))
        matrix.indices.astype("<i4").tofile(os.path.join(folder, "indices.i32"))
        matrix.data.astype("<f8").tofile(os.path.join(folder, "data.f64"))
    print(json.dumps({"sklearn": sklearn.__version__, "documents": len(texts)}))


if __name__ == "__main__":
    main()
