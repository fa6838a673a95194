"""User-facing data errors: a translation key, its parameters and an English default."""
from __future__ import annotations

__all__ = ["DataError"]


class DataError(ValueError):
    """A problem with the user's data or request, never a bug.

    ``str(err)`` is the English text (for the command line and logs); ``key`` and
    ``params`` let the dashboard translate it.

    Examples
    --------
    >>> err = DataError("import.missing_column", "column '{column}' is missing", column="Año")
    >>> str(err)
    "column 'Año' is missing"
    >>> err.key, err.params
    ('import.missing_column', {'column': 'Año'})
    >>> str(DataError("spec.bad_key", "cannot read {key!r}", key="w=x"))  # a parameter named key
    "cannot read 'w=x'"
    """

    def __init__(self, key: str, default: str, /, **params):  # positional: a param may be named "key"
        self.key = key
        self.default = default
        self.params = params
        super().__init__(default.format(**params))
