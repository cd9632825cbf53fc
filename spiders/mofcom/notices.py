"""Reading MOFCOM announcements: which are designations, their stable key, the parties they list.

Pure functions on a notice's title and body text (Chinese), so they can be checked
on real titles and names without the crawl. Patterns follow how MOFCOM writes:

- keys: 商务部公告2024年第46号 / 商务部 海关总署公告2023年第23号 -> MOFCOM-2024-46, MOFCOM-2023-23;
  不可靠实体清单工作机制公告〔2023〕1号 (or, in the body, "不可靠实体清单工作机制 公 告 2023年 第1号")
  -> MOFCOM-UEL-2023-1; 商务部令2024年第1号 -> MOFCOM-ORDER-2024-1.
- trade remedies: 反倾销 (anti-dumping), 反补贴 (anti-subsidy), 保障措施 (safeguards) in the title.
- lists: 不可靠实体清单 (UEL), 出口管制管控名单 (ECCL), 关注名单 (ECWL), 反制 (CM).
- actions: 列入 adds; 移出 removes; 暂停/继续暂停 suspend the measures; 停止/取消 stop them; 恢复 resumes.
- parties, numbered "1.斯凯迪奥公司（Skydio Inc.）" or inline "…的洛克希德·马丁公司(Lockheed Martin Corporation)、…".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LISTS = {
    "UEL": ("不可靠实体清单", "Unreliable Entity List (不可靠实体清单)"),
    "ECCL": ("出口管制管控名单", "Export Control Control List (出口管制管控名单)"),
    "ECWL": ("关注名单", "Export Control Watch List (关注名单)"),
    "CM": ("反制", "Countermeasures under the Anti-Foreign Sanctions Law (反制措施)"),
}
LIST_WORDS = "出口管制管控名单|关注名单|不可靠实体清单|反制措施|反制清单"
DESIGNATION_TITLE = re.compile(
    rf"列入.*(?:{LIST_WORDS})|采取反制|(?:移出|暂停|恢复|继续暂停|停止|取消|调整).*(?:{LIST_WORDS})"
)
EXPORT_CONTROL_TITLE = re.compile(r"出口管制|两用物项|不可靠实体清单|管控名单|关注名单|反制")
# Trade remedies: anti-dumping, anti-subsidy (countervailing) and safeguard investigations and measures,
# the answers a government's trade-defence case often gets (the EU's electric-vehicle case, China's brandy case).
TRADE_REMEDY_TITLE = re.compile(r"反倾销|反补贴|保障措施")
ACTIONS = {
    "移出": "remove",
    "继续暂停": "suspend",
    "暂停": "suspend",
    "恢复": "resume",
    "停止": "stop",
    "取消": "stop",
    "列入": "add",
    "采取": "add",
}
# A verb and the list it acts on, in one clause ("决定将…列入不可靠实体清单"; not "取消…居留资格；").
ACTION_CLAUSE = re.compile(rf"({'|'.join(ACTIONS)})[^。；;]*?(?:{LIST_WORDS})")

STATUS = {"suspend": "suspended", "stop": "stopped"}

UEL_KEY = (
    re.compile(r"不可靠实体清单工作机制公告〔(\d{4})〕(\d+)号"),
    re.compile(r"不可靠实体清单工作机制公告(\d{4})年第(\d+)号"),
)
ORDER_KEY = re.compile(r"商务部令(\d{4})年第(\d+)号")
MOFCOM_KEY = re.compile(r"商务部[^。；，、]{0,20}?公告(\d{4})年第(\d+)号")
REFERENCE = re.compile(r"〔(\d{4})〕(\d+)号")

CJK = "\u3400-\u9fff\uf900-\ufaff"
NUMBERED_PARTY = re.compile(
    rf"^\s*(\d{{1,3}})\s*[.．、]\s*([^\n（(]*[{CJK}][^\n（(]*?)\s*(?:[（(](.+)[）)])?\s*[；;。，,]?\s*$", re.MULTILINE
)
# A Chinese name directly followed by its English name in brackets ("洛克希德·马丁公司(Lockheed Martin Corporation)").
INLINE_PARTY = re.compile(
    rf"([{CJK}·A-Za-z0-9\-& ]*[{CJK}][{CJK}·A-Za-z0-9\-& ]*)[（(]([A-Za-z0-9][^（）()]*(?:\([^()]*\)[^（）()]*)*)[）)]"
)
# The words before the first name of an inline list ("决定将参与对台湾地区军售的洛克希德·马丁公司…");
# names after a 、 are taken whole (雷神导弹与防务公司 keeps its 与).
LEAD_INS = re.compile(r"^.*(?:的|将)")
STATED_COUNT = re.compile(r"(\d+)\s*(?:家|个|名)[^，。；、]{0,12}?(?:实体|企业|公司|机构|组织)")
COUNTRIES = {
    "美国": "US",
    "日本": "JP",
    "加拿大": "CA",
    "英国": "GB",
    "德国": "DE",
    "法国": "FR",
    "荷兰": "NL",
    "立陶宛": "LT",
    "印度": "IN",
    "韩国": "KR",
    "澳大利亚": "AU",
    "台湾地区": "TW",
    "欧盟": "EU",
}
EFFECTIVE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起")
FROM_PUBLICATION = re.compile(r"自\s*公布之日起")
CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass
class Party:
    name_zh: str | None
    name_en: str | None

    @property
    def name(self) -> str:
        return self.name_en or self.name_zh or ""


@dataclass
class Notice:
    key: str
    title: str
    date: str | None  # ISO
    list_codes: list[str]
    action: str | None  # add, remove, suspend, resume, stop; None for a notice that changes no list
    parties: list[Party] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # keys of earlier UEL notices this one acts on
    html_url: str | None = None
    country: str | None = None  # of the listed parties, when the notice names one ("11家美国实体")


def is_relevant(title: str) -> bool:
    """An announcement worth keeping: export controls, the lists, countermeasures, trade remedies."""
    return bool(DESIGNATION_TITLE.search(title) or EXPORT_CONTROL_TITLE.search(title) or is_trade_remedy(title))


def is_trade_remedy(title: str) -> bool:
    """An anti-dumping, anti-subsidy or safeguard announcement."""
    return bool(TRADE_REMEDY_TITLE.search(title))


def announcement_key(title: str, body: str) -> str | None:
    """MOFCOM-<year>-<n>, MOFCOM-UEL-<year>-<n> or MOFCOM-ORDER-<year>-<n>, from the title, else the body's heading."""
    for text in (title, body[:400]):
        compact = re.sub(r"\s+", "", text)
        for pattern in UEL_KEY:
            match = pattern.search(compact)
            if match:
                return f"MOFCOM-UEL-{match.group(1)}-{int(match.group(2))}"
        match = ORDER_KEY.search(compact)
        if match:
            return f"MOFCOM-ORDER-{match.group(1)}-{int(match.group(2))}"
        match = MOFCOM_KEY.search(compact)
        if match:
            return f"MOFCOM-{match.group(1)}-{int(match.group(2))}"
    return None


def list_codes(title: str, body: str) -> list[str]:
    """The lists a designation notice acts on (title first; the body when the title names none)."""
    for text in (title, body):
        codes = [code for code, (word, _) in LISTS.items() if word in text and _acts_on(text, word)]
        if codes:
            return codes
    return []


def action(title: str, body: str) -> str | None:
    """What the notice does to its list: the first verb of a clause that names a list (title first, then body)."""
    for text in (title, body):
        match = ACTION_CLAUSE.search(text)
        if match:
            return ACTIONS[match.group(1)]
    return None


def parse_parties(body: str) -> list[Party]:
    """Numbered entries when the notice numbers them, else the bilingual names written inline."""
    numbered = [Party(_clean_zh(zh), _clean_en(en)) for _, zh, en in NUMBERED_PARTY.findall(body)]
    numbered = [party for party in numbered if party.name_zh]
    if numbered:
        return numbered
    parties = []
    for match in INLINE_PARTY.finditer(body):
        zh, en = match.groups()
        before = body[max(match.start() - 1, 0)]
        if before in "）)":  # "…（Planate Management Group）及全球维度公司（Global Dimensions LLC）"
            zh = re.sub(r"^(?:以及|及|和|与)", "", zh)
        elif before != "、":
            zh = LEAD_INS.sub("", zh)
        zh, en = _clean_zh(zh), _clean_en(en)
        if en and re.search(r"[A-Za-z]{2}", en):
            parties.append(Party(zh or None, en))
    return parties


def stated_count(body: str) -> int | None:
    match = STATED_COUNT.search(body)
    return int(match.group(1)) if match else None


def party_country(body: str) -> str | None:
    """The country of the listed entities when the notice names one ("28家美国实体")."""
    found = {code for word, code in COUNTRIES.items() if re.search(rf"\d+\s*(?:家|个|名){word}", body)}
    return found.pop() if len(found) == 1 and "EU" not in found else None


def references(body: str, own_key: str | None) -> list[str]:
    keys = [f"MOFCOM-UEL-{year}-{int(number)}" for year, number in REFERENCE.findall(re.sub(r"\s+", "", body))]
    return [key for key in dict.fromkeys(keys) if key != own_key]


def effective_date(body: str, published: str | None) -> str | None:
    match = EFFECTIVE.search(body)
    if match:
        return _iso(*match.groups())
    if FROM_PUBLICATION.search(body):
        return published
    return None


def signature_date(body: str) -> str | None:
    """The date a notice is signed with, at its end ("2023年2月16日")."""
    found = CHINESE_DATE.findall(body[-200:])
    return _iso(*found[-1]) if found else None


def reconcile(notices: list[Notice]) -> list[tuple[Notice, Party, str | None]]:
    """(designating notice, party, status) for every party still listed after the notices, oldest first.

    A later 移出 of the same list and name removes the party; 暂停/停止/恢复 set the status of
    the parties of the notices they name (by key) or of the parties they name.
    """
    listed: list[list] = []  # [notice, party, status]
    for notice in sorted(notices, key=lambda n: (n.date or "", n.key)):
        if notice.action == "add":
            listed.extend([notice, party, None] for party in notice.parties)
            continue
        if notice.action not in ("remove", "suspend", "stop", "resume"):
            continue
        names = {_normal(name) for party in notice.parties for name in (party.name_en, party.name_zh) if name}
        for entry in listed:
            designating, party, status = entry
            if status == "removed":
                continue
            same_list = set(designating.list_codes) & set(notice.list_codes)
            named = {_normal(party.name_en or ""), _normal(party.name_zh or "")} & names
            referenced = designating.key in notice.references
            if not ((same_list and named) or referenced):
                continue
            if notice.action == "remove":
                entry[2] = "removed"
            else:
                entry[2] = None if notice.action == "resume" else f"measures {STATUS[notice.action]} from {notice.date}"
    return [(notice, party, status) for notice, party, status in listed if status != "removed"]


def _acts_on(text: str, word: str) -> bool:
    return bool(re.search(rf"(?:列入|移出|暂停|恢复|停止|取消|调整|采取)[^。]*{word}|{word}[^。]*(?:措施|公告)", text))


def _clean_zh(value: str) -> str:
    return value.strip(" \u3000、，,：:；;。").strip()


def _clean_en(value: str) -> str | None:
    value = " ".join(value.split()).strip(" ,;")
    return value or None


def _normal(value: str) -> str:
    return " ".join(value.casefold().replace(",", " ").replace(".", " ").split())


def _iso(year, month, day) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
