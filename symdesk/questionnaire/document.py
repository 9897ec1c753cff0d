"""A filled questionnaire as plain values, independent of where it came from.

The GUI editor, the Excel importer and the database all produce and consume
``QuestionnaireDocument``: scalar answers by field name, and for each repeat
section a list of rows, each remembering the stream it came from so that
saving again updates rather than duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from symdesk.domain.questionnaire import QuestionnaireStatus


@dataclass
class QuantityValue:
    amount: float | None = None
    unit: str = ""
    period: str = ""

    def is_empty(self) -> bool:
        return self.amount is None and not self.unit and not self.period


@dataclass
class RepeatRow:
    values: dict[str, Any] = field(default_factory=dict)
    stream_id: str | None = None  # the stream this row updates; None for a new row

    def is_empty(self) -> bool:
        return not any(
            not v.is_empty() if isinstance(v, QuantityValue) else v not in (None, "", [], False)
            for v in self.values.values()
        )


@dataclass
class QuestionnaireDocument:
    form_id: str
    form_version: str
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[RepeatRow]] = field(default_factory=dict)
    questionnaire_id: str | None = None
    resident_id: str | None = None
    campaign_id: str | None = None
    status: QuestionnaireStatus = QuestionnaireStatus.DRAFT
    # Answers this definition does not ask (a field a later version dropped):
    # carried along untouched so they are never lost.
    extra_answers: dict[str, Any] = field(default_factory=dict)
