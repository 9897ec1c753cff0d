from __future__ import annotations

from symdesk.classifiers.reference import activity_classes
from symdesk.domain.resident import Resident


def fields_of(resident: Resident) -> set[str]:
    return {i.field for i in resident.validate(activity_classes())}


def test_a_good_resident_has_no_issues() -> None:
    r = Resident(zone_id="z", name="ООО «Тест»", unp="190123456", activity_codes=["16100", "35.11"])
    r.normalise()
    assert r.validate(activity_classes()) == []
    assert r.activity_codes == ["16100", "3511"]


def test_malformed_unp_is_refused_naming_the_field() -> None:
    r = Resident(zone_id="z", name="ООО «Тест»", unp="12345")
    issues = r.validate(activity_classes())
    assert [i.field for i in issues] == ["unp"]
    assert "12345" in issues[0].render()


def test_unknown_oked_class_is_refused() -> None:
    r = Resident(zone_id="z", name="X", activity_codes=["99999"])
    issues = r.validate(activity_classes())
    assert [i.field for i in issues] == ["activity_codes"]
    assert "99.99" in issues[0].render()


def test_both_oked_forms_are_accepted() -> None:
    for code in ("35110", "35.11"):
        assert fields_of(Resident(zone_id="z", name="X", activity_codes=[code])) == set()


def test_missing_name_negative_staff_bad_coordinates_and_email() -> None:
    r = Resident(zone_id="z", name=" ", staff_count=-1, latitude=95.0, longitude=None, email="nobody")
    assert fields_of(r) == {"name", "staff_count", "latitude", "longitude", "email"}
