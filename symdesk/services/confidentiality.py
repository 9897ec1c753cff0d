"""Who may see whose name.

A resident that marks a stream confidential still takes part in matching,
but views and exports meant for residents (reports handed out at meetings,
``--for-residents`` exports) show "confidential party" instead of its name.
Staff views always show names: the administration knows who answered.
"""

from __future__ import annotations

from collections.abc import Mapping

from symdesk.domain.issues import N_
from symdesk.domain.opportunity import Opportunity
from symdesk.i18n import _

CONFIDENTIAL_PARTY = N_("confidential party")


def is_hidden(opportunity: Opportunity, resident_id: str | None, *, for_residents: bool) -> bool:
    """True when ``resident_id``'s name must not be shown in this kind of output."""
    return bool(for_residents and resident_id and resident_id in opportunity.confidential_parties)


def party_name(
    opportunity: Opportunity, resident_id: str | None, names: Mapping[str, str], *, for_residents: bool
) -> str:
    """The name to print for one party of an opportunity ("" when there is no such party)."""
    if not resident_id:
        return ""
    if is_hidden(opportunity, resident_id, for_residents=for_residents):
        return _(CONFIDENTIAL_PARTY)
    return names.get(resident_id, "")
