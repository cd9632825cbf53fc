"""The matcher: pure name matching, no I/O and no database.

`normalise` (scripts, legal forms, abbreviations; `chinese` for Han names), `names`
(every name a listing goes by), `fuzzy` (typos and sound-alikes), `score`
(alignment and weights), `index` (the listed names, analysed once), `explain`
(one readable line), `screener` (a query against the index), `settings`.
"""
