from __future__ import annotations

import random
import uuid

import pytest

from symdesk.domain.opportunity import (
    OPPORTUNITY_NAMESPACE,
    MatchKind,
    Opportunity,
    OpportunityStatus,
    opportunity_key,
    two_part_keys,
)


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


def test_two_part_keys_are_the_opportunity_keys_of_each_pair() -> None:
    rng = random.Random(5)
    firsts = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(40)] + ["", "ö:ü"]
    seconds = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(30)] + ["x"]
    pairs = [(rng.randrange(len(firsts)), rng.randrange(len(seconds))) for _ in range(2000)]
    for kind in (MatchKind.PAIR, MatchKind.RECEIVER):
        keys = two_part_keys(kind, firsts, seconds, pairs)
        assert keys == [opportunity_key(kind, firsts[i], seconds[j]) for i, j in pairs]
        assert keys[0] == str(uuid.uuid5(OPPORTUNITY_NAMESPACE, f"{kind.value}:{firsts[pairs[0][0]]}:{seconds[pairs[0][1]]}"))
    with pytest.raises(ValueError):
        two_part_keys(MatchKind.POOLING, firsts, seconds, pairs)


def test_found_opportunity_equals_one_made_by_field_names() -> None:
    """``Opportunity.found`` passes fields by position (a run makes a million): every value lands in
    its own field, as when each is named, and a found opportunity is new and active."""
    from symdesk.domain.records import RecordMeta

    named = {
        "match_kind": MatchKind.RECEIVER, "kind": "water", "title": "Вода → 10.51", "score": 61.25,
        "provider_id": "p", "receiver_id": "r", "offer_id": "o", "need_id": "n", "members": ["o", "r"],
        "components": [{"component": "distance"}], "benefits": {"water_m3": 5.0}, "reasons": [{"message": "m"}],
        "confidential_parties": ("p",),
    }
    found = Opportunity.found(*named.values(), "k-1")
    assert found == Opportunity(**named, meta=RecordMeta(id="k-1"))
    assert found.status is OpportunityStatus.NEW and found.active and found.id == "k-1"
    assert found.status_changed_at is None and found.reject_reason == "" and found.notes == ""
