"""Domain errors: each carries a message fit to show the person who caused it."""


class DomainError(Exception):
    """A rule refused the request. The message is safe to show to the user; `field` names the form field it is
    about ("description", "files"...), so a page can show it there, or "" when it is about the request as a whole."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ActionNotAllowed(DomainError):
    """The lifecycle does not allow this action for this party now."""


class NotEligible(DomainError):
    """The payment can't be claimed."""


class InvalidInput(DomainError):
    """The submitted data breaks a rule (length, count, size, type...)."""


class NotFound(DomainError):
    """The object does not exist, or the acting user may not see it (the two look the same on purpose)."""


class Forbidden(DomainError):
    """The acting user may see the object but not do this to it."""


class Conflict(DomainError):
    """The object changed since the user looked at it."""


class RateLimited(DomainError):
    """Too many requests in the current window; `retry_after` seconds until the next one is let through."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
