"""Named errors of screening; each message is one line naming the input and the problem."""


class ScreeningError(Exception):
    """Something screening cannot do; the message says what and where."""


class ScreeningInputError(ScreeningError):
    """A counterparty file or database that cannot be screened as given."""


class UnknownAlert(ScreeningError):
    """A review names an alert that does not exist."""


class UnknownWatchlist(ScreeningError):
    """A command names a watchlist that does not exist."""
