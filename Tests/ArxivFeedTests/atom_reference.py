"""Independent reference for the Atom parser tests: reads one arXiv Atom file with Python's
xml.etree and prints one JSON object per entry with the fields ArxivFeed's Paper should have,
following the original digest script's rules (title: runs of whitespace -> one space, stripped;
abstract: "\n" -> " ", stripped; primary category first). Fields that are absent are left out."""
import json
import re
import sys
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def text(element):
    return None if element is None else (element.text or "")


def optional(element):
    value = text(element)
    if value is None or not value.strip():
        return None
    return value.strip()


def paper(entry):
    url = text(entry.find(ATOM + "id")).strip()
    versioned = url.split("/abs/", 1)[1]
    record = {
        "id": re.sub(r"v\d+$", "", versioned),
        "url": url,
        "title": re.sub(r"\s+", " ", text(entry.find(ATOM + "title"))).strip(),
        "abstract": text(entry.find(ATOM + "summary")).replace("\n", " ").strip(),
        "published": text(entry.find(ATOM + "published")).strip(),
        "updated": optional(entry.find(ATOM + "updated")),
    }
    authors = entry.findall(ATOM + "author")
    record["authors"] = [re.sub(r"\s+", " ", text(a.find(ATOM + "name")) or "").strip() for a in authors]
    affiliations = [[re.sub(r"\s+", " ", f.text or "").strip() for f in a.findall(ARXIV + "affiliation")] for a in authors]
    record["affiliations"] = affiliations if any(affiliations) else None
    primary = entry.find(ARXIV + "primary_category")
    record["primary_category"] = primary.get("term") if primary is not None else None
    categories = [record["primary_category"]] if record["primary_category"] else []
    for category in entry.findall(ATOM + "category"):
        if category.get("term") not in categories:
            categories.append(category.get("term"))
    record["categories"] = categories
    for link in entry.findall(ATOM + "link"):
        if link.get("title") == "pdf":
            record.setdefault("pdf_url", link.get("href"))
        elif link.get("title") == "doi":
            record.setdefault("doi_url", link.get("href"))
        elif link.get("rel", "alternate") == "alternate":
            record.setdefault("abs_url", link.get("href"))
    record["comment"] = optional(entry.find(ARXIV + "comment"))
    record["journal_ref"] = optional(entry.find(ARXIV + "journal_ref"))
    record["doi"] = optional(entry.find(ARXIV + "doi"))
    return {key: value for key, value in record.items() if value is not None}


root = ET.parse(sys.argv[1]).getroot()
for entry in root.findall(ATOM + "entry"):
    print(json.dumps(paper(entry), ensure_ascii=False))
