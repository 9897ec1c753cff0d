"""A problem found while importing a file: where it is and what is wrong.

Reports list every problem as file / sheet / row / column / message, in the
user's language; ``message`` is a msgid filled from ``params`` when shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from symdesk.domain.issues import Msg


@dataclass(frozen=True)
class ImportProblem:
    file: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str = ""
    row: int | None = None  # 1-based, as Excel shows it
    column: str = ""  # the column's header as written in the file (or its letter)

    def render(self, translate: Any = None) -> str:
        """The message filled in; parameters that are msgids themselves (``Msg``) are translated too."""
        tr = translate or (lambda s: s)
        params = {k: tr(v) if isinstance(v, Msg) else v for k, v in self.params.items()}
        text = tr(self.message)
        return text.format(**params) if params else text

    def location(self) -> tuple[str, str, int | None, str]:
        return (self.file, self.sheet, self.row, self.column)
