"""Chinese company names in the Latin form the lists print them in.

A Chinese company name is a place, a brand, what the firm does and a legal form:
杭州 | 海康威视 | 数字技术 | 股份有限公司. Lists print the brand in pinyin run together
("Hikvision" aside: "Huawei", "Zhongxing", "Sugon" is Dawning's own) and translate the
rest ("Digital Technology Co., Ltd."). So the known words are translated, places are
given the spelling lists use, and whatever is left becomes pinyin, one word per run.
"""

from __future__ import annotations

import re
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Legal forms and the words companies are named with, as English-language lists translate them.
COMPANY_WORDS = {
    "股份有限公司": "co ltd", "有限责任公司": "limited liability company", "有限公司": "co ltd",
    "集团": "group", "公司": "company", "总公司": "corporation", "控股": "holdings", "股份": "",
    "技术": "technology", "科技": "science technology", "电子": "electronics", "通信": "communications",
    "通讯": "communications", "移动": "mobile", "电信": "telecommunications", "航空": "aviation",
    "航天": "aerospace", "工业": "industry", "重工": "heavy industry", "大学": "university",
    "研究所": "research institute", "研究院": "research institute", "学院": "institute",
    "国际": "international", "半导体": "semiconductor", "集成电路": "integrated circuit",
    "制造": "manufacturing", "数字": "digital", "信息": "information", "网络": "network",
    "软件": "software", "设备": "equipment", "仪器": "instrument", "机械": "machinery",
    "电气": "electric", "能源": "energy", "石油": "petroleum", "天然气": "natural gas", "化工": "chemical",
    "贸易": "trading", "进出口": "import export", "实业": "industrial", "投资": "investment",
    "发展": "development", "船舶": "shipbuilding", "核工业": "nuclear industry", "建设": "construction",
    "银行": "bank", "光电": "optoelectronics", "材料": "materials", "精密": "precision",
    "智能": "intelligent", "系统": "systems", "工程": "engineering", "物流": "logistics",
    "航运": "shipping", "海洋": "marine", "新能源": "new energy", "汽车": "automobile",
}

# Places as the lists spell them (pinyin, except where a postal spelling stuck).
PLACES = {
    "中国": "china", "中华": "china", "香港": "hong kong", "澳门": "macau", "台湾": "taiwan",
    "北京": "beijing", "上海": "shanghai", "天津": "tianjin", "重庆": "chongqing", "深圳": "shenzhen",
    "广州": "guangzhou", "杭州": "hangzhou", "南京": "nanjing", "武汉": "wuhan", "成都": "chengdu",
    "西安": "xian", "哈尔滨": "harbin", "苏州": "suzhou", "合肥": "hefei", "长沙": "changsha",
    "厦门": "xiamen", "青岛": "qingdao", "大连": "dalian", "沈阳": "shenyang", "郑州": "zhengzhou",
    "无锡": "wuxi", "宁波": "ningbo", "珠海": "zhuhai", "东莞": "dongguan", "绵阳": "mianyang",
    "浙江": "zhejiang", "江苏": "jiangsu", "广东": "guangdong", "福建": "fujian", "四川": "sichuan",
    "湖北": "hubei", "湖南": "hunan", "河北": "hebei", "河南": "henan", "山东": "shandong",
    "山西": "shanxi", "陕西": "shaanxi", "安徽": "anhui", "江西": "jiangxi", "辽宁": "liaoning",
    "吉林": "jilin", "黑龙江": "heilongjiang", "新疆": "xinjiang", "西藏": "tibet", "云南": "yunnan",
    "贵州": "guizhou", "广西": "guangxi", "甘肃": "gansu", "内蒙古": "inner mongolia",
}

# "市" (city) and "省" (province) follow a place and are not translated by the lists.
PLACE_SUFFIXES = ("市", "省")
WORDS = {**COMPANY_WORDS, **PLACES}
LONGEST = max(len(word) for word in WORDS)


def has_han(text: str) -> bool:
    return bool(HAN.search(text))


def to_latin(text: str) -> str:
    """Every run of Chinese characters in `text` in its list form; other text is kept."""
    return HAN_RUN.sub(lambda match: f" {_run_to_latin(match.group())} ", text)


@lru_cache(maxsize=20_000)
def _run_to_latin(run: str) -> str:
    words: list[str] = []
    pending = ""  # characters no dictionary word covers: one pinyin word per stretch
    position = 0
    while position < len(run):
        for size in range(min(LONGEST, len(run) - position), 0, -1):
            piece = run[position:position + size]
            if piece in WORDS:
                if pending:
                    words.append(_pinyin_word(pending))
                    pending = ""
                words.append(WORDS[piece])
                position += size
                if piece in PLACES and run[position:position + 1] in PLACE_SUFFIXES:
                    position += 1
                break
        else:
            pending += run[position]
            position += 1
    if pending:
        words.append(_pinyin_word(pending))
    return " ".join(word for word in words if word)


def load_dictionaries() -> None:
    """Load pypinyin's dictionaries now (about a second), e.g. before forking workers that would
    each load them again on their first Chinese name."""
    import pypinyin  # noqa: F401


def _pinyin_word(characters: str) -> str:
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take a moment to load

    return "".join(lazy_pinyin(characters))
