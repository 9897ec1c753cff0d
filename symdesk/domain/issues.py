"""Validation results: a list of issues, each naming the field it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; translation happens where it is shown."""
    return message


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
        text = translate(self.message) if translate else self.message
        return text.format(**self.params) if self.params else text


class ValidationError(ValueError):
    """Raised when a record is refused; carries every issue found, not just the first."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        super().__init__("; ".join(f"{i.field}: {i.render()}" for i in self.issues))
