from __future__ import annotations

from symdesk.domain.stream import (
    Category,
    CodeSystem,
    Direction,
    HazardClass,
    OpportunityKind,
    Stream,
)


def stream(**kw: object) -> Stream:
    base: dict[str, object] = {
        "resident_id": "r",
        "direction": Direction.OFFER,
        "category": Category.WASTE,
        "name": "Опилки",
    }
    base.update(kw)
    return Stream(**base)  # type: ignore[arg-type]


def test_negative_quantity_is_refused() -> None:
    issues = stream(quantity=-5, unit="t").validate()
    assert [i.field for i in issues] == ["quantity"]


def test_gcal_for_a_solid_waste_is_refused() -> None:
    issues = stream(quantity=5, unit="Gcal").validate()
    assert [i.field for i in issues] == ["unit"]
    assert "Gcal" in issues[0].render()


def test_gcal_for_heat_and_tonnes_of_steam_are_fine() -> None:
    assert stream(category=Category.HEAT, name="Тепло", quantity=5, unit="Gcal").validate() == []
    assert stream(category=Category.STEAM, name="Пар", quantity=5, unit="t", temperature_c=190, pressure_mpa=1.3).validate() == []


def test_quantity_without_unit_is_refused() -> None:
    assert [i.field for i in stream(quantity=5).validate()] == ["unit"]


def test_code_is_normalised_and_its_system_guessed() -> None:
    s = stream(code="03 01 05")
    s.normalise()
    assert (s.code, s.code_system) == ("030105", CodeSystem.EWC)
    s = stream(code="5960200")
    s.normalise()
    assert s.code_system is CodeSystem.NATIONAL


def test_code_length_must_fit_the_declared_system() -> None:
    s = stream(code="5960200", code_system=CodeSystem.EWC)
    assert [i.field for i in s.validate()] == ["code_system"]


def test_only_materials_carry_a_waste_code() -> None:
    assert [i.field for i in stream(category=Category.HEAT, code="100102").validate()] == ["code"]


def test_yearly_amount_and_kind() -> None:
    s = stream(quantity=40, unit="t", period="day")
    assert s.yearly() is not None and s.yearly().value == 14600  # type: ignore[union-attr]
    assert s.kind is OpportunityKind.BY_PRODUCT
    assert stream(category=Category.CO2).kind is OpportunityKind.GHG


def test_hazard_classes_1_and_2_need_licensed_handlers() -> None:
    assert HazardClass.CLASS_1.needs_licensed_handler and HazardClass.CLASS_2.needs_licensed_handler
    assert not HazardClass.CLASS_3.needs_licensed_handler


def test_secondary_acceptable_is_for_needs_only() -> None:
    assert [i.field for i in stream(secondary_acceptable=True).validate()] == ["secondary_acceptable"]
    assert stream(direction=Direction.NEED, secondary_acceptable=True).validate() == []


def test_hazard_class_is_for_materials_only() -> None:
    assert [i.field for i in stream(category=Category.WATER, hazard_class=HazardClass.CLASS_3).validate()] == [
        "hazard_class"
    ]
