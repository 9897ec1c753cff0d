"""The residents table model on many synthetic rows: lazy batches, filter, sort."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from symdesk.gui.models.resident_table import (
    BATCH_SIZE,
    NAME,
    OFFERS,
    STATUS,
    ResidentTableModel,
)
from symdesk.storage.repository import ResidentSummary

ROWS = 20_000


def synthetic(n: int) -> list[ResidentSummary]:
    statuses = ("active", "planned", "suspended", "left")
    return [
        ResidentSummary(
            id=f"id-{i:05d}",
            name=f"ООО «Резидент {i:05d}»" if i % 100 else f"ООО «Зелёный берег {i:05d}»",
            short_name=f"Резидент {i:05d}",
            unp=f"79{i:07d}",
            activity_codes=("16100", "3511") if i % 2 else ("20110",),
            site_name=f"Участок {i % 7}",
            status=statuses[i % 4],
            offers=i % 13,
            needs=(i * 7) % 11,
            modified_at=None,
        )
        for i in range(n)
    ]


@pytest.fixture
def model(qapp):
    m = ResidentTableModel()
    m.set_rows(synthetic(ROWS))
    return m


def brute_force(rows: list[ResidentSummary], *terms: str) -> int:
    """How many rows contain every term in a name, the УНП or a code (dotted or not)."""

    def text(r: ResidentSummary) -> str:
        codes = " ".join(f"{c} {c[:2]}.{c[2:]}" for c in r.activity_codes)
        return f"{r.name}|{r.short_name}|{r.unp}|{codes}".lower().replace("ё", "е")

    return sum(1 for r in rows if all(t in text(r) for t in terms))


def all_rows(model: ResidentTableModel) -> list[ResidentSummary]:
    while model.canFetchMore():
        model.fetchMore()
    return [model.summary(r) for r in range(model.rowCount())]


def test_rows_are_exposed_in_batches(model):
    assert model.total_count() == ROWS
    assert model.rowCount() == BATCH_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * BATCH_SIZE
    assert len(all_rows(model)) == ROWS
    assert not model.canFetchMore()
    assert model.data(model.index(ROWS - 1, NAME)) is not None


def test_filter_counts(model):
    model.set_filter("зеленый")  # ё/е and case folded
    assert model.match_count() == ROWS // 100
    assert model.rowCount() == ROWS // 100
    model.set_filter("РЕЗИДЕНТ 0012")  # every word must appear, anywhere
    assert model.match_count() == brute_force(synthetic(ROWS), "резидент", "0012")
    assert 10 < model.match_count() < ROWS
    model.set_filter("790001234")
    assert [r.id for r in all_rows(model)] == ["id-01234"]
    model.set_filter("35.11")  # a code as people write it
    assert model.match_count() == ROWS // 2
    model.set_filter("")
    assert model.match_count() == ROWS
    assert model.rowCount() == BATCH_SIZE


def test_sort_numeric_columns_numerically(model):
    model.sort(OFFERS, Qt.SortOrder.AscendingOrder)
    offers = [r.offers for r in all_rows(model)]
    assert offers == sorted(offers)
    assert offers[0] == 0 and offers[-1] == 12
    model.sort(OFFERS, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, OFFERS)) == 12


def test_sort_applies_to_the_filtered_rows_and_survives_a_new_filter(model):
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    model.set_filter("резидент 001")
    names = [r.short_name for r in all_rows(model)]
    assert len(names) == brute_force(synthetic(ROWS), "резидент", "001") < ROWS
    assert names == sorted(names, reverse=True)


def test_status_is_shown_translated(model):
    assert model.data(model.index(0, STATUS)) == "Active"
    assert model.headerData(STATUS, Qt.Orientation.Horizontal) == "Status"


def test_row_of_loads_up_to_the_row(model):
    assert model.row_of("id-19999") == ROWS - 1
    assert model.rowCount() == ROWS
    assert model.row_of("missing") == -1


def test_model_passes_qt_model_tester(qtmodeltester):
    small = ResidentTableModel(batch_size=7)
    small.set_rows(synthetic(30))
    qtmodeltester.check(small)
