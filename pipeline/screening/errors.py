"""Named errors of screening; each message is one line naming the input and the problem."""


class ScreeningError(Exception):
    """Something screening cannot do; the message says what and where."""


class ScreeningInputError(ScreeningError):
    """A counterparty file or database that cannot be screened as given."""


class NoListings(ScreeningInputError):
    """The published database is missing, or lists no one yet: there is nothing to screen against."""


class UnknownList(ScreeningInputError):
    """`--lists` names a list code or source the published database does not have."""


class StaleLists(ScreeningInputError):
    """A list to screen against was last crawled too long ago, or its last crawl failed."""


class NothingScreened(ScreeningInputError):
    """Not one row of a file could be read: a run that screened nothing is no all-clear."""


class NoPrivateDatabase(ScreeningError):
    """A command that only reads the private database was pointed at a file that does not exist."""


class UnknownAlert(ScreeningError):
    """A review names an alert that does not exist."""


class UnknownCounterparty(ScreeningError):
    """A bulk review names a counterparty with no open alerts (or one in several watchlists)."""


class UnknownWatchlist(ScreeningError):
    """A command names a watchlist that does not exist."""


class WatchlistNotReplaced(ScreeningError):
    """A new version would hold fewer counterparties than its file has rows: refused unless asked for."""

    def __init__(self, message: str, problems: list[str] = ()):
        super().__init__(message)
        self.problems = list(problems)  # the rows not read, one line each, to show before the refusal


class SpoolFailed(ScreeningError):
    """The results could not be kept on disk while screening (a full or unwritable temporary folder)."""
