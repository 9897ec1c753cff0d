"""Saving offers and needs: one bad stream and none is saved."""

from __future__ import annotations

import pytest

from symdesk.domain.issues import ValidationError
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Category, Direction, Stream
from symdesk.services.database import check_db
from symdesk.services.residents import resident_details, save_resident
from symdesk.services.streams import save_streams
from symdesk.storage.db import Database


def test_bad_stream_refuses_the_whole_batch(db: Database) -> None:
    r = save_resident(db, Resident(zone_id="", name="ООО «Лесхимпром»", unp="790000001", activity_codes=["16.10"]))
    good = Stream(r.id, Direction.OFFER, Category.WASTE, "Опилки", code="03 01 05", quantity=1200, unit="t")
    negative = Stream(r.id, Direction.OFFER, Category.WASTE, "Кора", quantity=-1, unit="t")
    heat_as_waste = Stream(r.id, Direction.OFFER, Category.WASTE, "Стружка", quantity=5, unit="Gcal")
    with pytest.raises(ValidationError) as err:
        save_streams(db, [good, negative, heat_as_waste])
    assert [i.field for i in err.value.issues] == ["quantity", "unit"]
    assert check_db(db).counts["streams"] == 0
    save_streams(db, [good])
    details = resident_details(db, r.id)
    assert [(s.name, s.code, s.code_system) for s in details.offers] == [("Опилки", "030105", "ewc")]


def test_resident_gets_the_zone_of_a_new_database(db: Database) -> None:
    r = save_resident(db, Resident(zone_id="", name="ООО «Первый»"))
    assert r.zone_id
    second = save_resident(db, Resident(zone_id="", name="ООО «Второй»"))
    assert second.zone_id == r.zone_id
