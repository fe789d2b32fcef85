"""Prints, as JSON, the Python 3.11 character facts the Swift tokenizer must reproduce.

- "word": ranges [first, last] of code points matching re's \\w in a str pattern;
- "lower": [code point, [scalars of chr(cp).lower()]] wherever lower() changes the character;
- "sigma_after_cased": ranges of c for which ("a" + c + "Σ").lower() ends in final sigma 'ς';
- "sigma_after_space": ranges of c for which (" " + c + "Σ").lower() ends in 'ς'.
Surrogates are skipped (a Swift String cannot hold them).
"""
import json, re, sys

WORD = re.compile(r"\w")


def ranges(predicate):
    out, start = [], None
    for cp in range(0x110000):
        ok = not (0xD800 <= cp < 0xE000) and predicate(chr(cp))
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            out.append([start, cp - 1])
            start = None
    if start is not None:
        out.append([start, 0x10FFFF])
    return out


def main():
    lower = []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if c.lower() != c:
            lower.append([cp, [ord(x) for x in c.lower()]])
    json.dump({
        "unidata_version": __import__("unicodedata").unidata_version,
        "word": ranges(lambda c: WORD.match(c) is not None),
        "lower": lower,
        "sigma_after_cased": ranges(lambda c: ("a" + c + "\u03a3").lower()[-1] == "\u03c2"),
        "sigma_after_space": ranges(lambda c: (" " + c + "\u03a3").lower()[-1] == "\u03c2"),
    }, sys.stdout)


if __name__ == "__main__":
    main()
