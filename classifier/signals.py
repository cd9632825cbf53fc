"""Explicit signals in the text: list names, control numbers, instrument words, industry terms.

The encoder knows what a sentence is about; it does not know that "3B090" is
chip-making equipment or that "EO 13959" is an investment ban. Each signal is a
small regular expression whose presence becomes one feature beside the
embedding, so the trained head can weigh it against everything else.
"""

from __future__ import annotations

import numpy as np

from classifier.prefilter import Prefiltered

_PATTERNS: dict[str, str] = {
    # Instruments and lists: what the measure does (the dimension).
    "entity_list": r"\bentity list\b|§ ?744\.11",
    "meu_list": r"military end[- ]user|\bMEU\b|744\.21",
    "unverified_list": r"unverified list|\bUVL\b",
    "denied_persons": r"denied persons|\bDPL\b|denial of export privileges",
    "itar_debarred": r"\bITAR\b|debarred|defense trade controls|\bDTC\b",
    "blocking_sanctions": r"specially designated nationals|\bSDN\b|blocked persons|blocking|asset freeze|freez\w+ (?:the )?assets|property and interests in property",
    "sectoral_sanctions": r"sectoral sanctions|\bSSI\b|directive \d|menu-based|\bMBS\b|correspondent account|capta",
    "cmic": r"military-industrial complex|\bCMIC\b|13959|14032|chinese military compan",
    "nonproliferation": r"nonproliferation|non-proliferation|\bISN\b|INKSNA|13382|weapons of mass destruction|\bWMD\b|NPWMD",
    "ofac": r"\bOFAC\b|foreign assets control|treasury",
    "sanction_word": r"sanction",
    "forced_labour": r"forced labou?r|UFLPA|uyghur|withhold release",
    "unreliable_entity": r"unreliable entit|countermeasure|anti-foreign sanctions",
    "covered_list": r"covered list|national security threat|high-risk (?:vendor|supplier)",
    "eccn": r"\b[0-9][A-E][0-9]{3}\b",
    "export_control": r"export control|export licen[cs]|licen[cs]e requirement|export ban|ban\w* (?:the )?exports?|prohibit\w* exports?|re-?export|dual-use|\bEAR\b|control list|foreign direct product|presumption of denial",
    "tech_control": r"technolog\w* (?:export|transfer)|know-how|source code|catalogue of technologies|model weights",
    "antidumping": r"anti-?dumping|less[- ]than[- ]fair[- ]value|\bLTFV\b|dumping|normal value",
    "countervailing": r"countervail|anti-subsidy|foreign subsid|countervailable",
    "trade_review": r"sunset review|five-year review|administrative review|scope ruling|section 337|tariff act",
    "tariff": r"tariff|\bdut(?:y|ies)\b|surtax|section 301|section 232|customs duty",
    "investigation": r"investigat|probe|review of",
    "investment_screening": r"investment screening|\bCFIUS\b|national security and investment|foreign (?:direct )?investment|\bFDI\b|acquisition|divest|golden power|takeover|outbound investment",
    "security_review": r"cybersecurity review|cyberspace administration|security assessment|national security",
    "antitrust": r"antitrust|anti-monopoly|market regulation|competition",
    "procurement": r"procurement|tender",
    "market_ban": r"\bban(?:s|ned|ning)?\b|prohibit|\bbar(?:s|red|ring)?\b|exclu(?:de|sion)|rip and replace",
    "platform_rules": r"digital (?:markets|services) act|gatekeeper|personal (?:information|data)|data security|\bapps?\b",
    "law": r"\blaw\b|\bact\b|regulation|executive order|directive|statute",
    "standard_setting": r"standard|framework|guideline|code of conduct|principles|\bWTO\b|dispute|carbon border|\bCBAM\b",
    "subsidy": r"subsid|incentive|\bgrant|funding|fund\b|billion (?:dollars|euros|yen|yuan|pounds)|crore|tax (?:credit|break|exemption)|state aid|\bPLI\b|production[- ]linked|\bCHIPS\b|financial assistance|\bIPCEI\b",
    "research": r"research|R&D|innovation|talent|universit|academy|institute|laborator",
    "advanced_capability": r"advanced (?:computing|node|chip|logic|memory|packaging)|leading[- ]edge|nanometre|nanometer|\bnm\b|supercomput|frontier",
    "partner_words": r"partner|allies|allied|alliance|coalition|trilateral|plurilateral|joint statement|memorand|framework agreement|free trade agreement|\bFTA\b|accession|cooperat|bilateral|summit|leaders",
    "named_partnership": r"\bIPEF\b|\bQuad\b|AUKUS|\bI2U2\b|minerals security partnership|CPTPP|\bRCEP\b|\bG7\b|wassenaar|trade and technology council|\bTTC\b|\biCET\b|chip 4|global gateway|atlantic declaration",
    "country_tiers": r"country group|\btiers?\b|license exception|countries of concern|foreign entit(?:y|ies) of concern|\bFEOC\b|foreign adversar|trusted (?:source|destination|export)|white ?list|equivalent controls|similar controls",
    # Industries.
    "semiconductors": r"microsystem|semiconduct|\bchips?\b|chipmaker|integrated circuit|wafer|foundr|lithograph|\bEUV\b|\bDUV\b|\bDRAM\b|\bNAND\b|memory|\bHBM\b|\bEDA\b|\bfabs?\b|3B\d{3}|photoresist|etch|deposition|microelectronic|SMIC|YMTC|ASML|TSMC|Micron|HiSilicon|\bGAAFET|gate-all-around|scanner",
    "ai_computing": r"artificial intelligence|\bAI\b|supercomput|advanced computing|data cent(?:er|re)|\bcloud\b|\bGPUs?\b|4A090|3A090|model weights|machine learning|large language|generative|comput(?:e|ing)\b|\bservers?\b|algorithm",
    "telecom_ict": r"telecom|\b5G\b|network equipment|smartphone|mobile|wireless|broadband|internet|\bapps?\b|social media|TikTok|ByteDance|Huawei|\bZTE\b|communication|telekom|submarine cable|laptop|personal computers|platform|carrier|spectrum|optical fibre|optical fiber",
    "ev_batteries": r"bicycle|e-bike|khodro|electric (?:vehicle|car)|\bEVs?\b|batter|lithium-ion|automo|vehicles?\b|\bcars?\b|carmaker|\btyres?\b|\btires?\b|new energy vehicle",
    "critical_minerals": r"gallium|germanium|graphite|antimony|rare earth|lithium|cobalt|nickel|tungsten|indium|bismuth|tellurium|molybdenum|critical (?:raw )?minerals?|critical raw material|manganese|magnet|mining|\bores?\b|diamonds?",
    "energy": r"hydrogen|oilfield|neft|oil and gas|solar|photovoltaic|polysilicon|\bwind\b|turbine|biodiesel|biofuel|nuclear|uranium|power grid|transformer|(?<!canola )(?<!palm )(?<!olive )(?<!vegetable )(?<!soybean )\boil\b|petroleum|crude|natural gas|\bLNG\b|energy|refin|gazprom|rosneft|transneft|\bcoal|petrotech|\bpetrol\b",
    "biotech_pharma": r"pharm|biotech|biotekh|genom|\bgenes?\b|genetic|medical|medicine|drug|vaccine|\bhealth|biolog|hospital|diagnostic|sequenc|toxicol|microbiolog|antimicrobial|biomanufactur",
    "aerospace_defense": r"combat|fighter|military|defen[cs]e|weapon|missile|aircraft|aviat|airways|airlines|vertolet|oboron|\baero|drone|\bUAVs?\b|unmanned|\bspace|rocket|satellite|munition|\barms\b|army|navy|air force|ballistic|\bPLA\b|armament|radar|warship|submarine|hypersonic|helicopter|propulsion|launch vehicle|shipyard|rosoboronexport|spaceflight|revolutionary guard|\bIRGC\b|qods force|quds force|armed forces|brigadier|republican guard|armou?red|military intelligence|ministry of intelligence|state security|security service",
    "surveillance_security": r"spyware|intrusion|surveillance|facial recognition|biometric|video|camera|hikvision|dahua|security[- ]screening|public security|police|repression|forensic|recognition",
    "quantum": r"quantum",
    "machinery_equipment": r"cutting tools?|machine tool|robot|additive manufacturing|3D print|\brail|locomotive|\btrains\b|rolling stock|shipbuild|crane|bearing|machinery|compressor|pump|pressure washer|laser|\bship|machine[- ]building|mashinostroi",
    "metals_chemicals": r"potash|catalys|petrochem|steel|alumin|\biron\b|chemical|fertili[sz]|metal|tin mill|copper|titanium|\bpipes?\b|\btubes?\b|tubing|wire|glycine|acid|chlor|polymer|resin|plastic|nails|strand|plate\b|\brebar|reinforcing bar|methionine|pigment|dioxide|ceramic|composite material|glass fib|steklo",
    "consumer_goods": r"tobacco|cigarette|textile|apparel|garment|footwear|shoe|furniture|mattress|\btoys?\b|beverage|wine|brandy|spirits|cotton|clothing|paper|\bbags?\b|consumer|skateboard|garden (?:beds?|furniture|tools?)|rubber band|bottles|fashion|cognac",
    "agri_food": r"\bfarm|pineapple|onion|plantation|palm oil|agricultur|agricol|\bfood|shrimp|seafood|\bfish|honey|\brice\b|dairy|\bpork|beef|soybean|crop|grain|wheat|fruit|vegetable|poultry|sugar|barley|canola|tomato|\bmeat|\bpeas\b|ganader|\bagro|cattle|livestock",
    "finance": r"\bbank|financial|finance|credit|payment|insurance|pension|leasing|capital|central bank|reserves",
    "person": r"\bindividual\b|date of birth|\bDOB\b|nationality|passport",
    "economy_wide": r"all (?:goods|products|items)|economy|economic security|supply chains?|trade agreement|any product|whatever its origin",
}

# The same signals in the Chinese of MOFCOM's announcements. MiniLM reads English only, so for a
# Chinese notice these words are nearly all the head has: "镓、锗" must still mean critical minerals.
_CHINESE: dict[str, str] = {
    "entity_list": r"(?<!可靠)实体清单",  # not the Unreliable Entity List (不可靠实体清单)
    "export_control": r"出口管制|两用物项|出口许可|管控名单|不得出口|禁止出口|限制出口",
    "tech_control": r"技术目录|相关技术|制备技术|工艺技术|提取.{0,6}技术|技术及其载体",
    "blocking_sanctions": r"冻结|查封|扣押",
    "sanction_word": r"制裁",
    "unreliable_entity": r"不可靠实体|反制|反外国制裁",
    "antidumping": r"反倾销|倾销",
    "countervailing": r"反补贴",
    "trade_review": r"终裁|初裁|最终裁定|期终复审",
    "tariff": r"关税",
    "investigation": r"调查",
    "investment_screening": r"外商投资|外资|负面清单|投资安全审查",
    "security_review": r"网络安全审查|国家安全|安全评估|数据出境",
    "antitrust": r"反垄断|市场监管总局|市场监督管理",
    "procurement": r"采购",
    "market_ban": r"暂停进口|暂停.{0,8}输入|停止采购|禁止.{0,12}(?:交易|进口|出口)",
    "platform_rules": r"个人信息|数据安全|数据处理|算法推荐|网络平台|信息服务",
    # A law, regulation or rule itself: its title ends so (joined() puts ". " after the title). A notice
    # citing a law as its basis ("根据《中华人民共和国出口管制法》") is not one.
    "law": r"(?:法|条例|办法|规定)(?:（[^）]{0,30}）)?\. ",
    "standard_setting": r"标识|规范|标准",
    "subsidy": r"补贴|减免|免征|税收优惠|所得税|投资基金|注册资本|资金支持|以旧换新",
    "research": r"研发|创新|研究|人才|规划|行动计划|指导意见|行动方案",
    "advanced_capability": r"纳米|先进|前沿|算力",
    "partner_words": r"合作|伙伴|联合声明",
    "economy_wide": r"所有进口商品|全部商品|经济安全|供应链",
    "semiconductors": r"半导体|芯片|集成电路|光刻|美光|安世|晶圆",
    "ai_computing": r"人工智能|超级计算|算力|深度合成|生成式|算法",
    "telecom_ict": r"通信|电信|互联网|网络平台|个人信息|数据安全|数据出境|谷歌|滴滴|信息服务",
    "ev_batteries": r"电池|新能源汽车|电动汽车|汽车|皮卡|负极材料|正极材料",
    "critical_minerals": r"镓|锗|石墨|锑|稀土|钨|碲|铋|钼|铟|锂|钴|镍|超硬材料|钐|钆|铽|镝|镥|钪|钇|钬|铒|铥|铕|镱|矿",
    "energy": r"光伏|多晶硅|风电|核电|石油|天然气|能源|煤炭|原油|太阳能",
    "biotech_pharma": r"医药|药品|生物|医疗|医用|基因|测序|遗传资源",
    "aerospace_defense": r"军事|军工|军售|军用|国防|武器|导弹|防务|航空|航天|无人机|对台.{0,4}军",
    "surveillance_security": r"监控|安防|人脸识别",
    "quantum": r"量子",
    "machinery_equipment": r"机床|机器人|船舶|工程机械|农业机械|造船|海洋株式会社|设备更新|数控",
    "metals_chemicals": r"钢|铝|化工|化学品|化肥|共聚甲醛|工程塑料|塑料",
    "consumer_goods": r"纺织|服装|白兰地|葡萄酒|家电|消费品|棉花",
    "agri_food": r"农产品|食品|猪肉|大豆|牛肉|乳制品|油菜籽|菜籽油|水产品|菠萝|鸡肉|小麦|玉米|高粱|大麦|豌豆|奶酪|畜牧|农业",
}
_PATTERNS = {
    name: f"{pattern}|{_CHINESE[name]}" if name in _CHINESE else pattern for name, pattern in _PATTERNS.items()
}

SIGNALS: tuple[str, ...] = tuple(_PATTERNS)
# Matched against lower-cased text: the same matches as re.IGNORECASE at well under half the cost;
# the prefilter skips a pattern outright when none of its words is in the text (ten times faster again).
_COMPILED = [Prefiltered(pattern.lower()) for pattern in _PATTERNS.values()]


def signal_vector(text: str) -> np.ndarray:
    """1.0 for each signal present in `text`, else 0.0."""
    text = text.lower()
    return np.fromiter(
        (1.0 if pattern.search(text) else 0.0 for pattern in _COMPILED), dtype=np.float32, count=len(_COMPILED)
    )


def signal_matrix(texts: list[str], only: tuple[str, ...] | None = None) -> np.ndarray:
    """One row of signals per text; with `only`, the other columns stay 0 (and cost nothing)."""
    matrix = np.zeros((len(texts), len(SIGNALS)), np.float32)
    columns = range(len(SIGNALS)) if only is None else [SIGNALS.index(name) for name in only]
    patterns = [(column, _COMPILED[column]) for column in columns]
    for row, text in enumerate(texts):
        text = text.lower()
        for column, pattern in patterns:
            if pattern.search(text):
                matrix[row, column] = 1.0
    return matrix


def present(text: str) -> list[str]:
    """The names of the signals found in `text` (for explaining a tag)."""
    text = text.lower()
    return [name for name, pattern in zip(SIGNALS, _COMPILED) if pattern.search(text)]
