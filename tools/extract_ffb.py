"""One-off extraction of the FFB guide's phase x dimension tables (seed 002) into content data.

Kept for provenance: xlplan/data/ffb.yaml was produced by this script and then corrected by
hand where the text extraction lost structure (see the comments in that file).
Usage: python tools/extract_ffb.py ../shared/seeds/002_*.txt > /tmp/ffb.yaml
"""
import html
import re
import sys
from html.parser import HTMLParser

DIMENSIONS = ["Ressourcer og planlægning", "Projektorganisering", "Kommunikation",
              "Kompetenceudvikling", "Teknisk understøttelse", "Anvendelse af data"]
PHASES = ["Forbered forandringen", "Igangsæt forandringen", "Fasthold forandringen",
          "Genbesøg forandringen"]


class ChecklistParser(HTMLParser):
    """Turns the guide's nested <ul><input type=checkbox/> text lists into a tree."""

    def __init__(self):
        super().__init__()
        self.root = []
        self.stack = [self.root]
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag == "ul" and self.current is not None:
            self.stack.append(self.current["sub"])
        elif tag == "input":
            self.current = {"text": "", "sub": []}
            self.stack[-1].append(self.current)

    def handle_endtag(self, tag):
        if tag == "ul" and len(self.stack) > 1:
            self.stack.pop()
            self.current = self.stack[-1][-1] if self.stack[-1] else None

    def handle_data(self, data):
        if self.current is not None and data.strip():
            self.current["text"] = (self.current["text"] + " " + data.strip()).strip()


def paragraphs(cell):
    return [html.unescape(re.sub(r"<[^>]+>", "", p)).strip()
            for p in re.findall(r"<p>(.*?)</p>", cell, re.S)]


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit(items, indent):
    for item in items:
        print(" " * indent + "- tekst: " + quote(item["text"]))
        if item["sub"]:
            print(" " * indent + "  underpunkter:")
            emit(item["sub"], indent + 4)


def main(path):
    text = open(path, encoding="utf-8").read()
    phase = None
    print("faser:")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in PHASES and stripped != phase:
            phase = stripped
            print(f"  - navn: {quote(phase)}")
            print("    dimensioner:")
        name, _, rest = line.partition("\t")
        if name in DIMENSIONS and "<ul" in rest:
            indhold, _, criteria = rest.partition("\t")
            parser = ChecklistParser()
            parser.feed(criteria)
            print(f"      - navn: {quote(name)}")
            print("        indhold:")
            for p in paragraphs(indhold):
                print("          - " + quote(p))
            print("        succeskriterier:")
            emit(parser.root, 10)


if __name__ == "__main__":
    main(sys.argv[1])
