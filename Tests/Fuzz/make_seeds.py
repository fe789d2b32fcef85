#!/usr/bin/env python3
"""Writes the starting corpus of one fuzz target into a folder, derived at run time from the
project's sample files and ../shared (nothing from ../shared is committed).

usage: make_seeds.py TARGET OUT_DIR REPO_ROOT
"""
import glob
import hashlib
import json
import os
import struct
import sys


def shared_dir(root):
    path = os.path.join(os.path.dirname(os.path.abspath(root)), "shared")
    if not os.path.isdir(path):
        print("make_seeds.py: warning: %s is missing; seeds come from Datasets/samples only" % path, file=sys.stderr)
    return path


def first_lines(path, count):
    lines = []
    if os.path.exists(path):
        with open(path, "rb") as f:
            for line in f:
                if len(lines) == count:
                    break
                lines.append(line)
    return lines


def atom_seeds(root):
    paths = sorted(glob.glob(os.path.join(shared_dir(root), "fixtures", "atom", "*.xml")))
    paths += sorted(glob.glob(os.path.join(root, "Datasets", "samples", "*.xml")))
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= 64 * 1024:  # the 100-entry page is over -max_len; the rest cover the same shapes
            yield os.path.basename(path), data


def papers(root):
    lines = first_lines(os.path.join(shared_dir(root), "datasets", "topics", "train.jsonl"), 4)
    for path in sorted(glob.glob(os.path.join(root, "Datasets", "samples", "*.jsonl"))):
        lines += first_lines(path, 4)
    return lines


def jsonl_seeds(root):
    # First byte: reader options (see FuzzJSONL.swift): chunk size 1 + 3 × (low 6 bits), 0x40 a 64-byte line limit,
    # 0x80 skip invalid lines.
    lines = papers(root)
    yield "records", b"\x07" + b"".join(lines)
    yield "records-crlf-bom-skip", b"\x83" + b"\xef\xbb\xbf" + b"".join(l.rstrip(b"\n") + b"\r\n" for l in lines[:2])
    yield "bad-lines-skip", b"\x81" + b"\n".join([b"{}", b"[1,2]", b'{"id": 1}', b"\xff\xfe", b""] + lines[:1])
    minimal = {"id": "0000.00000", "title": "t", "abstract": "a", "published": "2026-01-01",
               "authors": ["A"], "affiliations": [["X"]], "authors_truncated": False, "categories": ["cs.AR"]}
    yield "minimal", b"\x00" + json.dumps(minimal).encode() + b"\n\n"
    yield "short-lines-limit", b"\x45" + b'{"id":"1","title":"t","abstract":"a","published":"p"}\r\n' * 2


def tokenizer_seeds(root):
    for index, line in enumerate(papers(root)):
        record = json.loads(line)
        yield "paper-%d" % index, (record.get("title", "") + "\n" + record.get("abstract", "")).encode()
    yield "unicode", "İstanbul ΣΑΣ café Straße ﬁne x² ٣٤ 𝔘nicode ǅemal _snake_case\nnaïve co-op".encode()


def model_file(header, sections):
    """A model file as ModelStore writes it (Sources/ModelStore/ModelFileFormat.swift)."""
    out = b"ARXDGMDL" + struct.pack("<I", 1)
    header_bytes = json.dumps(header, sort_keys=True).encode()
    out += struct.pack("<I", len(header_bytes)) + header_bytes + struct.pack("<I", len(sections))
    for name, tag, count, payload in sorted(sections, key=lambda s: s[0].encode()):
        name_bytes = name.encode()
        out += struct.pack("<H", len(name_bytes)) + name_bytes + struct.pack("<BQQ", tag, count, len(payload)) + payload
    return out + hashlib.sha256(out).digest()


def modelfile_seeds(root):
    strings = ["alpha", "beta", "γ"]
    string_payload = b"".join(struct.pack("<I", len(s.encode())) + s.encode() for s in strings)
    yield "empty", model_file({}, [])
    yield "all-types", model_file({"kind": "logistic", "classes": ["a", "b"], "shape": [2, 3]}, [
        ("weights", 1, 3, struct.pack("<3d", 0.5, -1.25, float("inf"))),
        ("rows", 2, 2, struct.pack("<2i", 7, -7)),
        ("offsets", 3, 2, struct.pack("<2q", 0, 1 << 40)),
        ("terms", 4, len(strings), string_payload),
        ("raw", 5, 4, b"\x00\x01\xfe\xff"),
    ])


def main():
    target, out_dir, root = sys.argv[1:4]
    makers = {"atom": atom_seeds, "jsonl": jsonl_seeds, "tokenizer": tokenizer_seeds, "modelfile": modelfile_seeds}
    os.makedirs(out_dir, exist_ok=True)
    count = 0
    for name, data in makers[target](root):
        with open(os.path.join(out_dir, "seed-" + name), "wb") as f:
            f.write(data)
        count += 1
    print("%s: %d seeds in %s" % (target, count, out_dir))


if __name__ == "__main__":
    main()
