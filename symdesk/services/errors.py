"""The one error type the CLI and GUI show to the user as a single line."""

from __future__ import annotations

from symdesk.domain.issues import Issue, ValidationError
from symdesk.files.tabular import TableError
from symdesk.i18n import N_, _
from symdesk.storage.errors import StorageError


class UserError(Exception):
    """A problem the user can fix; ``message`` is a msgid, ``params`` fill it."""

    def __init__(self, message: str, **params: object):
        self.message = message
        self.params = params
        super().__init__(message.format(**params) if params else message)


def describe(exc: BaseException) -> str:
    """A translated one-line description of a known error."""
    if isinstance(exc, UserError | TableError | StorageError):
        template = exc.message
        return _(template).format(**exc.params) if exc.params else _(template)
    if isinstance(exc, ValidationError):
        return "; ".join(describe_issue(i) for i in exc.issues)
    return str(exc)


def describe_issue(issue: Issue) -> str:
    return f"{field_label(issue.field)}: {issue.render(_)}"


FIELD_LABELS = {
    "name": N_("name"),
    "short_name": N_("short name"),
    "unp": N_("UNP"),
    "activity_codes": N_("OKED codes"),
    "site_id": N_("site"),
    "address": N_("address"),
    "latitude": N_("latitude"),
    "longitude": N_("longitude"),
    "contact_person": N_("contact person"),
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "staff_count": N_("staff"),
    "main_products": N_("main products"),
    "status": N_("status"),
    "quantity": N_("quantity"),
    "unit": N_("unit"),
    "period": N_("period"),
    "code": N_("waste code"),
    "code_system": N_("code system"),
    "hazard_class": N_("hazard class"),
    "temperature_c": N_("temperature"),
    "pressure_mpa": N_("pressure"),
    "secondary_acceptable": N_("secondary resource acceptable"),
}


def field_label(name: str) -> str:
    return _(FIELD_LABELS.get(name, name))
