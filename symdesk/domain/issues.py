"""Validation results: a list of issues, each naming the field it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; translation happens where it is shown."""
    return message


class Msg(str):
    """A parameter that is itself a msgid (a category's name, say): translated when shown."""


@dataclass(frozen=True)
class Issue:
    """One problem found in user data.

    ``message`` is an untranslated msgid with ``{name}`` placeholders filled
    from ``params``, so the GUI, the CLI and reports can show it in the user's
    language.
    """

    field: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Any = None) -> str:
        tr = translate or (lambda s: s)
        params = {k: tr(v) if isinstance(v, Msg) else v for k, v in self.params.items()}
        text = tr(self.message)
        return text.format(**params) if params else text


class ValidationError(ValueError):
    """Raised when a record is refused; carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        super().__init__("; ".join(f"{i.field}: {i.render()}" for i in self.issues))
