"""Writes COUNT paper records as JSON Lines to OUTPUT by cycling the records of SOURCE, each with a new id.

Usage: python3 generate_papers.py SOURCE COUNT OUTPUT
Used by classify-load.sh; the records keep every field of the source except "id".
"""
import json
import sys


def main() -> None:
    source, count, output = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    templates = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            record.pop("id", None)
            # Everything after the id, so each output line is one string format.
            templates.append(", " + json.dumps(record, ensure_ascii=False)[1:] + "\n")
    with open(output, "w", encoding="utf-8", buffering=1 << 20) as out:
        for index in range(count):
            out.write('{"id": "load.%07d"' % index)
            out.write(templates[index % len(templates)])


if __name__ == "__main__":
    main()
