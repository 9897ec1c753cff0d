"""Errors raised when a database cannot be used; messages are msgids."""

from __future__ import annotations

from symdesk.domain.issues import N_


class StorageError(Exception):
    """A database problem to show the user as one line: ``message`` is a msgid."""

    message = N_("Database error: {path}")

    def __init__(self, path: str, **params: object):
        self.path = path
        self.params = {"path": path, **params}
        super().__init__(self.message.format(**self.params))


class DatabaseNotFound(StorageError):
    message = N_("Database file not found: {path}")


class DatabaseUnreadable(StorageError):
    message = N_("Not a symdesk database or the file is damaged: {path}")


class DatabaseNewerSchema(StorageError):
    message = N_(
        "The database {path} was written by a newer symdesk (schema {found}); "
        "this version understands up to {known}. Update symdesk to open it."
    )


class RecordNotFound(LookupError):
    pass
