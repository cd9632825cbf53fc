"""The Scrapy project: one spider per government source, grouped by source family.

`spiders/kit/` is what every spider shares; each family folder (`csl/`, `ofac/`,
`federal_register/`, ...) holds its spiders and the parsers beside them. A spider's
module name is its `name`. Spiders only fetch and parse: they yield typed items
(`spiders.kit.items`) and never touch a database; `pipeline` decides what to store.
"""
