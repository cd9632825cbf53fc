"""METI's numbered-lines lists: the entities under Japan's export ban (Russia, Belarus, third countries).

Each list is a PDF whose text (as pdfplumber extracts it, and as recorded in the
corpus) reads:

    ○ <title naming the list>（令和四年外務省告示第八十二号）
    指定日：2022 年03月01 日
    最終更新日：2025 年09 月12 日
    １ <Japanese name>（別称、<Japanese aliases>）
    <English name>, a.k.a., the following two aliases:
    -<alias>; and
    -<alias>.
    所在地：<address>; and <address>

Entry numbers run 1..N (full-width below 10). Text extraction glues lines, so
an entry can start mid-line right after the previous address ("…Russia.25 株式会社…");
a number only starts an entry when it is the next expected one and the rest of
its line holds Japanese. A missing number is a bad extraction and fails the parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spiders.kit.formats import unique

FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Kana, CJK ideographs, CJK punctuation and full-width forms: text that is Japanese, not Latin.
JAPANESE = "\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
HAS_JAPANESE = re.compile(f"[{JAPANESE}]")
ADDRESS_MARK = re.compile(r"所\s*在\s*地\s*[：:]")
ALIASES_MARK = re.compile(r"^別\s*称\s*[：:]")
# "Ele Technology Co LTD（深圳市易络电子有限公司）": native-script names in brackets right after a Latin name
# (the brackets may wrap onto the next line). Brackets after Japanese text are part of the Japanese name.
NATIVE_IN_BRACKETS = re.compile(f"(?<=[A-Za-z.])[ \u3000]*[（(](?!別称)([^（）()]*[{JAPANESE}][^（）()]*)[）)]")
# "…, a.k.a., the following two aliases:", "a.k.a. thefollowing…", "…, the following two aliases:", "a.k.a.,"
AKA = re.compile(
    r",?\s*(?:a\.k\.a\.?,?\s*(?:(?:the\s*)?follow\w*\s+\w+\s*alias(?:es)?\s*:?)?"
    r"|(?:the\s*)?following\s+\w+\s*alias(?:es)?\s*:)",
    re.IGNORECASE,
)
ALIAS_BULLET = re.compile(r"(?:^|\n|;)\s*(?:and\s*)?[-—–]\s*")
JAPANESE_ALIASES = re.compile(r"[（(]別称[、，,]\s*(.*)[）)]\s*$", re.DOTALL)
ABBREVIATION = re.compile(r"\b(?:Inc|Co|Ltd|Corp|Jr|St|No|S\.A|L\.L\.C|J\.S)\.$")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A number that may start an entry: not part of a longer number, a date, an ordinal (第) or a figure.
ENTRY_NUMBER = re.compile(r"(?<![\d第])([1-9]\d{0,3})(?![\d.,:/-])[ \u3000]*(?![年月日号条項])")
NOTICE = re.compile(r"[（(]([^（）()]*告示[^（）()]*)[）)]")


class NumberingGap(ValueError):
    """The entry numbers skip: the text was cut or extracted badly."""


@dataclass
class NumberedEntry:
    number: int
    name: str  # English
    aliases: list[str] = field(default_factory=list)  # English
    name_ja: str | None = None
    aliases_ja: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass
class NumberedList:
    title: str
    notice: str | None  # the MOFA notice that designates the entities, e.g. 令和四年外務省告示第八十二号
    designated: str | None  # ISO date the list was first designated
    updated: str | None  # ISO date of this revision
    entries: list[NumberedEntry]


def looks_numbered(text: str) -> bool:
    return "所在地" in text and bool(re.search(r"^\s*○", text, re.MULTILINE))


def parse_numbered(text: str) -> NumberedList:
    """Every numbered entry of one list, in order; NumberingGap when a number is missing."""
    digits = text.translate(FULL_WIDTH_DIGITS)  # same length: positions stay valid in `text`
    starts = _entry_starts(digits)
    if not starts:
        raise NumberingGap("no entry numbered 1 (a list starts '1 <Japanese name>')")
    _check_no_gap(digits, starts)
    header = text[: starts[0][1]]
    entries = []
    bounds = [*starts, (None, len(text), len(text))]
    for (number, _, body_start), (_, next_start, _) in zip(bounds, bounds[1:]):
        entries.append(_parse_entry(number, text[body_start:next_start]))
    return NumberedList(
        title=_parse_title(header),
        notice=_first(NOTICE, header),
        designated=_header_date(header, "指定日"),
        updated=_header_date(header, "最終更新日"),
        entries=entries,
    )


# -- finding entries ------------------------------------------------------------


def _entry_starts(digits: str) -> list[tuple[int, int, int]]:
    """(number, start, start of the entry's text) for entries 1, 2, 3… as long as the next is found."""
    starts = []
    position = 0
    number = 1
    while True:
        found = _find_entry(digits, number, position)
        if found is None:
            return starts
        starts.append((number, *found))
        position = found[1]
        number += 1


def _find_entry(digits: str, number: int, position: int) -> tuple[int, int] | None:
    for match in ENTRY_NUMBER.finditer(digits, position):
        if int(match.group(1)) == number and _starts_entry(digits, match.end()):
            return match.start(), match.end()
    return None


def _check_no_gap(digits: str, starts: list[tuple[int, int, int]]) -> None:
    """After the last entry found, no later-numbered entry may start anywhere: that would be a gap."""
    last_number, _, last_body = starts[-1]
    for match in ENTRY_NUMBER.finditer(digits, last_body):
        number = int(match.group(1))
        if last_number + 1 < number <= last_number + 200 and _starts_entry(digits, match.end()):
            raise NumberingGap(f"entry {last_number + 1} is missing but entry {number} follows entry {last_number}")


def _starts_entry(digits: str, body: int) -> bool:
    """The rest of the line after a number holds Japanese (a name), and is not an address."""
    line_end = digits.find("\n", body)
    rest = digits[body : line_end if line_end >= 0 else len(digits)]
    return bool(rest and HAS_JAPANESE.search(rest) and not ADDRESS_MARK.match(rest))


# -- one entry --------------------------------------------------------------------


def _parse_entry(number: int, block: str) -> NumberedEntry:
    names_part, address_part = (ADDRESS_MARK.split(block, maxsplit=1) + [""])[:2]
    natives = [
        part.strip()
        for found in NATIVE_IN_BRACKETS.findall(names_part)
        for part in re.split(r"[、，]", _join_wrapped(found.splitlines()))
        if part.strip()
    ]
    names_part = NATIVE_IN_BRACKETS.sub("", names_part)
    lines = [line.strip() for line in names_part.strip().splitlines() if line.strip()]
    japanese, english, alias_lines = _split_name_lines(lines)
    name_ja, aliases_ja = _parse_japanese(japanese)
    name, aliases = _parse_english(english)
    aliases_ja += natives
    if alias_lines:
        extra_ja, extra_en = _parse_alias_lines(alias_lines)
        aliases_ja += extra_ja
        aliases += extra_en
    return NumberedEntry(
        number=number,
        name=name,
        aliases=unique(aliases),
        name_ja=name_ja,
        aliases_ja=unique(aliases_ja),
        addresses=_parse_addresses(address_part),
    )


def _split_name_lines(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Japanese name lines, English name lines, and the trailing '別称：' alias lines."""
    alias_at = next((i for i, line in enumerate(lines) if ALIASES_MARK.match(line)), len(lines))
    names, alias_lines = lines[:alias_at], lines[alias_at:]
    last_japanese = max((i for i, line in enumerate(names) if _is_japanese(line)), default=-1)
    japanese, english = names[: last_japanese + 1], names[last_japanese + 1 :]
    if japanese:
        # "株式会社ロケット・宇宙センター「プログレス」JSC Rocket and Space Centre – Progress": the English name
        # can start on the last Japanese line.
        head, tail = _split_trailing_latin(japanese[-1])
        if tail:
            japanese[-1], english = head, [tail, *english]
    return japanese, english, alias_lines


def _is_japanese(line: str) -> bool:
    return bool(HAS_JAPANESE.search(line))


def _split_trailing_latin(line: str) -> tuple[str, str]:
    last = max((m.end() for m in HAS_JAPANESE.finditer(line)), default=0)
    tail = line[last:].strip()
    if re.match(r"[A-Z][A-Za-z]", tail) and len(tail.split()) >= 2:
        return line[:last], tail
    return line, ""


def _parse_japanese(lines: list[str]) -> tuple[str | None, list[str]]:
    text = _join_wrapped(lines)
    if not text:
        return None, []
    match = JAPANESE_ALIASES.search(text)
    if not match:
        return text, []
    aliases = [part.strip() for part in re.split(r"[、，]|及び", match.group(1)) if part.strip()]
    return text[: match.start()].strip() or None, aliases


def _parse_english(lines: list[str]) -> tuple[str, list[str]]:
    text = "\n".join(lines)
    match = AKA.search(text)
    if not match:
        return _clean_name(" ".join(text.split())), []
    name = _clean_name(" ".join(text[: match.start()].split()))
    aliases = [_clean_name(" ".join(part.split())) for part in ALIAS_BULLET.split(text[match.end() :])]
    return name, [alias for alias in aliases if alias]


def _parse_alias_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """'別称：AMG社; 有限会社 AMG' then English alias lines 'LLC Company AMG; Kompaniya AMG'."""
    lines = [ALIASES_MARK.sub("", lines[0]).strip(), *lines[1:]]
    split_at = next((i for i, line in enumerate(lines) if i and not _is_japanese(line)), len(lines))
    japanese_text = _join_wrapped(lines[:split_at])
    japanese = [part.strip() for part in re.split(r"[;；、]|及び", japanese_text) if part.strip()]
    english_text = " ".join(lines[split_at:])
    english = [_clean_name(part) for part in re.split(r";\s*", english_text) if part.strip()]
    return japanese, [alias for alias in english if alias]


def _parse_addresses(text: str) -> list[str]:
    joined = " ".join(text.split())
    parts = re.split(r";\s*(?:and\s+)?", joined)
    return [part.strip().rstrip(".").strip() for part in parts if part.strip(" .")]


# -- header -------------------------------------------------------------------------


def _parse_title(header: str) -> str:
    lines = [line.strip() for line in header.splitlines()]
    title_lines = []
    for line in lines:
        if line.startswith("指定日") or line.startswith("最終更新日"):
            break
        if line:
            title_lines.append(line)
    return NOTICE.sub("", _join_wrapped(title_lines)).lstrip("○ ").strip()


def _header_date(header: str, label: str) -> str | None:
    for line in header.translate(FULL_WIDTH_DIGITS).splitlines():
        if line.strip().startswith(label):
            match = DATE.search(line)
            if match:
                year, month, day = (int(part) for part in match.groups())
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# -- text helpers -----------------------------------------------------------------------


def _join_wrapped(lines: list[str]) -> str:
    """Join PDF line wraps: Japanese runs on without a space, Latin words keep one."""
    text = ""
    for line in lines:
        if text and re.search(r"[A-Za-z0-9.,)]$", text) and re.match(r"[A-Za-z0-9(]", line):
            text += " "
        text += line
    return text.strip()


def _clean_name(value: str) -> str:
    value = value.strip().strip(";").strip()
    value = re.sub(r"[;,]?\s+and$", "", value).strip()
    if value.endswith(".") and not ABBREVIATION.search(value):
        value = value[:-1]
    return value.strip(" ,;")


def _first(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return match.group(1) if match else None
