from __future__ import annotations

from symdesk.domain.opportunity import MatchKind, Opportunity, OpportunityStatus, opportunity_key


def test_identity_is_stable_and_order_matters_only_for_pairs() -> None:
    assert opportunity_key(MatchKind.PAIR, "offer-1", "need-1") == opportunity_key(MatchKind.PAIR, "offer-1", "need-1")
    assert opportunity_key(MatchKind.PAIR, "offer-1", "need-1") != opportunity_key(MatchKind.PAIR, "need-1", "offer-1")
    assert opportunity_key(MatchKind.POOLING, "a", "b", "c") == opportunity_key(MatchKind.POOLING, "c", "a", "b")
    assert opportunity_key(MatchKind.PAIR, "x", "y") != opportunity_key(MatchKind.CHAIN, "x", "y")


def test_status_workflow() -> None:
    o = Opportunity(MatchKind.PAIR, "by_product", "Опилки → пеллеты")
    assert o.validate_move(OpportunityStatus.DISCUSSING) == []
    assert [i.field for i in o.validate_move(OpportunityStatus.IMPLEMENTED)] == ["status"]
    assert [i.field for i in o.validate_move(OpportunityStatus.REJECTED)] == ["reject_reason"]
    assert o.validate_move(OpportunityStatus.REJECTED, "нет транспорта") == []
    o.status = OpportunityStatus.REJECTED
    assert o.can_move_to(OpportunityStatus.DISCUSSING) and not o.can_move_to(OpportunityStatus.NEW)
