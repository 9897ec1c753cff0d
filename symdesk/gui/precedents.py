"""The knowledge base's evidence behind a match, as the GUI lists it.

Shared by the opportunities pane and the two search pages: the literature
precedents for a material going to an activity class, and the reasoning of
the hand-written rules of thumb (literature rules are the precedents
themselves, so only their cases are listed).
"""

from __future__ import annotations

from collections.abc import Iterable

from symdesk.i18n import current_language
from symdesk.matching.knowledge import Precedent, knowledge_base
from symdesk.services import knowledge as knowledge_service
from symdesk.services.errors import UserError


def precedents_for(code: str, name: str, receiver_codes: Iterable[str]) -> tuple[list[Precedent], list[str]]:
    """The knowledge base's precedents and rules of thumb for this material going to this receiver.

    The score's knowledge-base component counts these cases; the pane lists
    them so the user can read the case behind the number.
    """
    classes = {c[:4] for c in receiver_codes if len(c) >= 4}
    if not classes:
        return [], []
    try:
        found = knowledge_service.find_receivers(None, code=code, text=name, limit=50)
    except UserError:
        try:
            found = knowledge_service.find_receivers(None, text=name, limit=50)
        except UserError:
            return [], []
    precedents: list[Precedent] = []
    rule_ids: list[str] = []
    for r in found:
        if r.suggestion.nace_class in classes:
            precedents.extend(p for p in r.suggestion.precedents if p not in precedents)
            rule_ids.extend(x for x in r.suggestion.rules if x not in rule_ids)
    return precedents, rule_texts(rule_ids)


def rule_texts(rule_ids: list[str]) -> list[str]:
    """The reasoning of the hand-written rules of thumb among ``rule_ids`` (literature rules are the
    precedents), in the language of the interface."""
    by_id = {r.rule_id: r for r in knowledge_base().hand_rules}
    language = current_language()
    return [by_id[i].reasoning_in(language) for i in rule_ids if i in by_id and by_id[i].reasoning]
