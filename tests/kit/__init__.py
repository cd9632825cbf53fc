"""The helpers every test module shares: saved files and edited copies, CLI runs, crawls checked end to end,
a published database for screening. Spiders' saved responses are read with `spiders.kit.offline`."""
