"""Reading XML safely: the one parser setting every XML source uses, and the check that runs before it.

No source we read (OFAC's enhanced export, the UN list, the EUR-Lex feed) carries a
DTD. One that declares entities, or points to an external DTD, is how entity
attacks arrive: an external entity reads a local file or a URL, and lxml, told not
to resolve it, leaves the element it sits in silently empty; nested internal
entities (a "billion laughs") expand without bound. `refuse_entities` reads only
the prolog, with libxml2's own limits on (no `huge_tree`), and fails such a
document by name before the real parse starts; `parser()` never resolves an
entity, loads a DTD or touches the network.
"""

from __future__ import annotations

import io

from lxml import etree

from spiders.kit.errors import SourceRefused

SAFE_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False}


def parser(**options) -> etree.XMLParser:
    """An lxml parser that resolves no entity, loads no DTD and reads nothing from the network."""
    return etree.XMLParser(**SAFE_OPTIONS, **options)


def iterparse(body: bytes, **options):
    """lxml's iterparse over `body` with the safe options (spiders pass events, tag, huge_tree)."""
    return etree.iterparse(io.BytesIO(body), **SAFE_OPTIONS, **options)


def refuse_entities(body: bytes, source: str, where: str) -> None:
    """Fail by name when the document declares entities or refers to an external DTD; else return."""
    events = etree.iterparse(io.BytesIO(body), events=("start",), **SAFE_OPTIONS)
    try:
        for _, element in events:
            docinfo = element.getroottree().docinfo
            break
        else:
            return
    except etree.XMLSyntaxError as error:
        if "entity" in str(error).lower():  # an entity bomb trips libxml2's amplification limit here
            raise SourceRefused(source, f"{where}: unsafe XML entities ({error})") from None
        return  # not well-formed: the spider's own parse names it
    if docinfo.system_url or docinfo.public_id:
        raise SourceRefused(source, f"{where} refers to an external DTD ({docinfo.system_url or docinfo.public_id})")
    dtd = docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared:
        raise SourceRefused(
            source, f"{where} declares XML entities in its DTD ({', '.join(declared[:5])}): an entity attack?"
        )
