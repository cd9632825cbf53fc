"""Links between stored things: listings and the rules that listed them (`rules`), parties and
their parents or neighbours (`parties`), public-inspection filings and their publication
(`leadtimes`). Reads and writes go through `pipeline.store`."""
