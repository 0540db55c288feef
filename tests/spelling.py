"""Danish spell check of what users see: hunspell with Debian's Danish dictionary (hunspell-da) and the
project's word list (tests/data/ordliste.txt) for the domain's terms and names.

Texts are cleaned of what is not prose before they are checked: placeholders, file names and paths,
web and e-mail addresses, command-line options, problem codes and Excel's header/footer codes.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

DICTIONARY = "da_DK"
DICTIONARY_FILE = Path("/usr/share/hunspell") / f"{DICTIONARY}.dic"
WORD_LIST = Path(__file__).parent / "data" / "ordliste.txt"

NOT_PROSE = [
    r"\{\{.*?\}\}|\{%.*?%\}|\{[^{}\s]*\}",  # placeholders and template code
    r"\b\S+://\S+|\bwww\.\S+|\S+@\S+",  # web and e-mail addresses
    r"(?<![\w-])\.?[\w./\\~-]*\.(?i:xlsx|xlsm|xls|ods|toml|json|csv|parquet|sqlite|log|txt|py|zip)\b",  # file names
    r"(?<![\w-])(?:/[\w.+-]+)+/?",  # absolute paths
    r"\btemplates/xlsx\b/?",  # the folder of the blank templates
    r"(?<![\w-])--?[a-z][\w-]*",  # command-line options
    r"\b[A-Z]{2,3}\d{3}\b",  # problem codes
    r"&[A-Z]|&\d+",  # Excel header and footer codes
    r"\b(?:dd-mm-åååå|åååå-mm-dd)\b",  # how a date is written
    r"'(?:xlplan|pip)\b[^']*'|\bpip install \S+|\bxlplan (?:init|new|template|check|consolidate|history|migrate)\b",
    # (commands)
    r"\b[0-9a-f]{16,}\b",  # checksums
    r"\b\d+(?:\.\d+)+\.[a-j]\b",  # criterion numbers with a sub-item letter
    r"-?\d(?:[\d.,:/–-]*\d)?",  # numbers, dates and ranges (SHA-256)
    r"(?<!\S)-(?!\S)",  # a hyphen standing for a dash
]
CLEAN = re.compile("|".join(f"(?:{p})" for p in NOT_PROSE))


def available() -> bool:
    return shutil.which("hunspell") is not None and DICTIONARY_FILE.is_file()


def prose(text: str) -> str:
    return " ".join(CLEAN.sub(" ", text).split())


def word_list() -> list[str]:
    """The project's words (ordliste.txt without its comments)."""
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return [w for w in (line.split("#", 1)[0].strip() for line in lines) if w]


def misspelled(texts: dict[str, str]) -> dict[str, list[str]]:
    """label -> the words hunspell does not know in that text (only labels with any)."""
    labels = [label for label, text in texts.items() if prose(text)]
    # Pipe mode: one block of answers per input line; "^" keeps a line from being read as a command.
    stdin = "".join(f"^{prose(texts[label])}\n" for label in labels)
    with tempfile.TemporaryDirectory(prefix="xlplan-ordliste-") as folder:
        personal = Path(folder) / "ordliste.dic"
        personal.write_text("\n".join(word_list()) + "\n", encoding="utf-8")
        result = subprocess.run(["hunspell", "-d", DICTIONARY, "-p", str(personal), "-a", "-i", "utf-8"],
                                input=stdin, capture_output=True, text=True, encoding="utf-8", check=True)
    answers = result.stdout.splitlines()[1:]  # after the version line
    found: dict[str, list[str]] = {}
    line = iter(answers)
    for label in labels:
        words = []
        for answer in line:
            if not answer:
                break  # a blank line ends the answers to one input line
            if answer[0] in "&#":
                words.append(answer.split()[1])
        if words:
            found[label] = words
    return found
