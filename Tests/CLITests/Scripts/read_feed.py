"""Reads an Atom feed with feedparser, as feed readers do, and prints what it found as JSON.

Usage: python3 read_feed.py FEED.xml
"""
import json
import sys

import feedparser

feed = feedparser.parse(sys.argv[1])
print(json.dumps({
    "bozo": bool(feed.bozo),
    "bozo_exception": str(feed.get("bozo_exception", "")),
    "version": feed.version,
    "feed": {
        "id": feed.feed.get("id"),
        "title": feed.feed.get("title"),
        "updated": feed.feed.get("updated"),
        "self": [link.get("href") for link in feed.feed.get("links", []) if link.get("rel") == "self"],
    },
    "entries": [{
        "id": entry.get("id"),
        "title": entry.get("title"),
        "title_type": entry.get("title_detail", {}).get("type"),
        "link": entry.get("link"),
        "summary": entry.get("summary"),
        "published": entry.get("published"),
        "updated": entry.get("updated"),
        "authors": [author.get("name") for author in entry.get("authors", [])],
        "terms": [tag.get("term") for tag in entry.get("tags", [])],
    } for entry in feed.entries],
}, ensure_ascii=False))
