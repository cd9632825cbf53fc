"""Why a party was listed: the passage about it in the text of the rule or order that listed it.

Pure: a rule's full text and a listing's names in, the passage out. The text is the
Federal Register's plain text (`raw_text_url`): lines wrapped at about 70 columns, a
paragraph opened by an indent or a blank line, page marks such as "[[Page 60396]]".

The passage is the first paragraph of the preamble and supplementary information
that names the party by its listed name or an alias, once case, punctuation and
spacing are set aside (Entity List rules give a reason per entity there; a denial
order says what its respondent was convicted of). Regulatory text after "List of
Subjects" is not read: it repeats the entries, not the reasons. A caption ("In the
Matter of: NAME, address") names the party without saying why; when it is the only
paragraph naming it, the paragraph after it is the order's finding about that party.
A name shorter than two words or five letters is never looked for: it would be found
in unrelated words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.linkage.parties import name_key

# A page break falls mid-paragraph, between blank lines: the paragraph goes on across it.
PAGE_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)*\[\[Page \d+\]\][ \t]*(?:\n[ \t]*)*(?=\n)")
RULE_LINE = re.compile(r"^[-=_]{10,}$")
# Where the preamble ends and the amended regulation's text begins.
REGULATORY_TEXT = re.compile(r"^List of Subjects\b")
CAPTION = re.compile(r"^In the Matter of\b", re.IGNORECASE)
SUPPLEMENTARY = re.compile(r"^SUPPLEMENTARY INFORMATION:")
MIN_SINGLE_WORD = 5


@dataclass(frozen=True)
class Passage:
    text: str  # the paragraph, its wrapped lines joined
    matched: str  # the listing's name or alias found in it


def paragraphs(full_text: str) -> list[str]:
    """The text's paragraphs in order, each on one line, without page marks or rule lines."""
    found: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            found.append(_joined(current))
            current.clear()

    text = PAGE_BREAK.sub("", full_text.replace("\r\n", "\n").replace("\r", "\n"))
    for raw in text.split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or RULE_LINE.match(stripped):
            close()
        else:
            if line[:2] == "  ":  # an indented line opens a paragraph
                close()
            current.append(stripped)
    close()
    return found


def _joined(lines: list[str]) -> str:
    """Wrapped lines as one: a line ending in a hyphen ("73792-") runs on without a space."""
    text = lines[0]
    for line in lines[1:]:
        text += line if text.endswith("-") else f" {line}"
    return text


def readable_quotes(text: str) -> str:
    """The plain text writes quotation marks as ``this''; a reader sees “this”."""
    return text.replace("``", "\u201c").replace("''", "\u201d")


def searchable(names: list[str]) -> list[tuple[str, str]]:
    """(name, key) for each name worth looking for, in the order given, without repeats."""
    keys: dict[str, str] = {}
    for name in names:
        key = name_key(name or "")
        if key and key not in keys.values() and (" " in key or len(key) >= MIN_SINGLE_WORD):
            keys[" ".join(name.split())] = key
    return list(keys.items())


class RuleText:
    """A rule's text read once: its preamble's paragraphs, ready to be searched for any number of parties."""

    def __init__(self, full_text: str | None):
        self.preamble: list[str] = []
        for paragraph in paragraphs(full_text or ""):
            if REGULATORY_TEXT.match(paragraph):
                break
            self.preamble.append(paragraph)
        self._keys = [f" {name_key(p)} " for p in self.preamble]
        # Supplementary information says why; a summary before it, when it names the party, is second best.
        start = next((i for i, p in enumerate(self.preamble) if SUPPLEMENTARY.match(p)), 0)
        self._order = [*range(start, len(self.preamble)), *range(0, start)]

    def passage(self, names: list[str]) -> Passage | None:
        """The paragraph that says why the party named `names` (its name, then its aliases) was listed."""
        wanted = searchable(names)
        caption_at = None
        for index in self._order if wanted else []:
            matched = next((name for name, key in wanted if f" {key} " in self._keys[index]), None)
            if matched is None:
                continue
            if CAPTION.match(self.preamble[index]):
                caption_at = (index, matched) if caption_at is None else caption_at
                continue
            return Passage(self.preamble[index], matched)
        if caption_at is not None and caption_at[0] + 1 < len(self.preamble):
            return Passage(self.preamble[caption_at[0] + 1], caption_at[1])
        return None


def find_passage(full_text: str | None, names: list[str]) -> Passage | None:
    """The passage about one party (`RuleText(full_text).passage(names)`)."""
    return RuleText(full_text).passage(names)
