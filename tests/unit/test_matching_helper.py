"""A run shared with a helper process finds exactly what one process finds.

The helper (``matching/helper.py``) is a real second process started by
``spawn``, as on Windows: it screens part of the offers and finds the
company-type guesses and pools while the main process screens the rest and
explains the kept pairs; then a second helper scores the suggested receivers,
which the main process explains. These tests run them on shuffled copies of the demo
zone and compare every field of every opportunity with a one-process run; and
check that cancelling or a failure in the helper ends it and says so.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from typing import Any

import numpy as np
import pytest

from benchmarks.compare import every_field
from symdesk.domain.figure_row import FigureNames, FigureRow
from symdesk.domain.opportunity import MatchKind, Opportunity
from symdesk.domain.tasks import TaskCancelled
from symdesk.matching import helper
from symdesk.matching.helper import MAIN_SCREENS, HelperFailed
from symdesk.matching.knowledge import KnowledgeBase, knowledge_base
from symdesk.matching.run import MAX_PAIRS_PER_STREAM, STEPS, find_opportunities
from symdesk.matching.screen import best_of_each, joined, screen_pairs
from symdesk.matching.settings import default_factors, default_weights
from tests.unit.test_matching_speed_paths import shuffled_zone, split


def run(residents: list, streams: list, shared: bool, **kwargs: Any) -> list[Opportunity]:
    return find_opportunities(
        residents, streams, knowledge_base(), default_weights(), default_factors(), {}, language="ru",
        shared=shared, **kwargs,
    )


def no_helper_left() -> bool:
    return not [p for p in multiprocessing.active_children() if p.name == "symdesk-matching-helper"]


def test_screen_shares_joined_keep_what_the_whole_screen_keeps() -> None:
    residents, streams = shuffled_zone(7, copies=6)
    offers, needs = split(streams)
    rs = {r.id: r for r in residents}
    kb, weights = knowledge_base(), default_weights()
    whole = screen_pairs(offers, needs, rs, kb, weights)
    first = screen_pairs(offers, needs, rs, kb, weights, share=(0.0, MAIN_SCREENS))
    second = screen_pairs(offers, needs, rs, kb, weights, share=(MAIN_SCREENS, 1.0))
    both = joined(first, second.offer_index, second.need_index, second.total)
    assert len(first) and len(second)
    assert not set(first.offer_index.tolist()) & set(second.offer_index.tolist())  # the shares split the offers
    for name in ("offer_index", "need_index", "total"):
        assert np.array_equal(getattr(both, name), getattr(whole, name)), name
    kept_first, kept_second = best_of_each(first, MAX_PAIRS_PER_STREAM), best_of_each(second, MAX_PAIRS_PER_STREAM)
    assert len(kept_first) < len(first) and len(kept_second) < len(second)  # the choice leaves pairs out
    chosen = best_of_each(
        joined(kept_first, kept_second.offer_index, kept_second.need_index, kept_second.total), MAX_PAIRS_PER_STREAM
    )
    kept = best_of_each(whole, MAX_PAIRS_PER_STREAM)
    # Choosing again drops pairs a share kept for a need that the other share serves better.
    assert len(chosen) < len(kept_first) + len(kept_second)
    for name in ("offer_index", "need_index", "total"):
        assert np.array_equal(getattr(chosen, name), getattr(kept, name)), name


@pytest.mark.parametrize("seed", [1, 2])
def test_a_shared_run_finds_what_one_process_finds(seed: int) -> None:
    residents, streams = shuffled_zone(seed, copies=5)
    alone = run(residents, streams, shared=False)
    steps: list[tuple[int, str]] = []
    shared = run(residents, streams, shared=True,
                 progress=lambda done, total, what: steps.append((done, what)) if total == len(STEPS) + 1 else None)
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)  # a progress bar only moves forward
    assert [what for _, what in steps] == ["pairs", "chains", "receivers", ""]
    assert {o.match_kind for o in alone} == set(MatchKind)  # every kind, some from each process
    assert len(shared) == len(alone) > 1000
    assert [every_field(o) for o in shared] == [every_field(o) for o in alone]
    assert no_helper_left()


def test_cancelling_a_shared_run_ends_its_helper() -> None:
    residents, streams = shuffled_zone(3, copies=5)
    heard: list[str] = []
    with pytest.raises(TaskCancelled):
        run(residents, streams, shared=True, progress=lambda _d, _t, what: heard.append(what),
            cancelled=lambda: "pairs" in heard)
    assert no_helper_left()


class FailingInHelper(KnowledgeBase):
    """A knowledge base that cannot name a material's classes (which the screening helper asks), or
    its receivers (which the receivers' helper asks), outside the process that made it."""

    def __init__(self, kb: KnowledgeBase, failing: str):
        self.__dict__.update(kb.__getstate__())
        self.made_in, self.failing = os.getpid(), failing

    def material_classes(self, name: str, code: str = "") -> list[str]:
        self._fail_here("material_classes", name)
        return super().material_classes(name, code)

    def receivers(self, *args: Any, **kwargs: Any) -> list:
        self._fail_here("receivers", kwargs.get("text", ""))
        return super().receivers(*args, **kwargs)

    def _fail_here(self, method: str, name: str) -> None:
        if method == self.failing and os.getpid() != self.made_in:
            raise LookupError(f"no {method} for {name!r} here")


@pytest.mark.parametrize("failing", ["material_classes", "receivers"])
def test_a_failure_in_a_helper_is_raised_with_its_traceback(failing: str) -> None:
    residents, streams = shuffled_zone(4, copies=2)
    kb = FailingInHelper(knowledge_base(), failing)
    with pytest.raises(HelperFailed, match=rf"(?s)LookupError: no {failing} for .* here"):
        find_opportunities(residents, streams, kb, default_weights(), default_factors(), {}, shared=True)
    assert no_helper_left()


def test_only_a_large_zone_on_two_usable_cores_is_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    if hasattr(os, "sched_getaffinity"):  # a process pinned to one core of many has one
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {3})
        assert helper.usable_cores() == 1
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
        assert helper.usable_cores() == 2
    monkeypatch.setattr(helper, "usable_cores", lambda: 2)
    assert helper.worth_sharing(helper.SHARED_FROM_STREAMS)
    assert not helper.worth_sharing(helper.SHARED_FROM_STREAMS - 1)
    monkeypatch.setattr(helper, "usable_cores", lambda: 1)
    assert not helper.worth_sharing(10 * helper.SHARED_FROM_STREAMS)


def test_benefits_cross_to_the_helper_and_back_as_figure_rows() -> None:
    layout = FigureNames(["tonnes", "co2"])
    rows = [FigureRow(layout, (1.5, 2.0)), FigureRow(layout, (3.0, None))]
    back = pickle.loads(pickle.dumps(rows))
    assert back == rows and all(isinstance(r, FigureRow) for r in back)
    assert back[0]._layout is back[1]._layout  # one layout for the rows, as in the run that made them
    assert dict(back[1]) == {"tonnes": 3.0, "co2": None}


def test_a_knowledge_base_is_sent_without_its_remembered_answers() -> None:
    kb = knowledge_base()
    kb.material_classes("древесные отходы")
    kb.receivers(code="030105", text="опилки", limit=5)
    copy = pickle.loads(pickle.dumps(kb))
    assert not copy._materials and not copy._answer_cache
    assert copy.material_classes("древесные отходы") == kb.material_classes("древесные отходы")
    assert copy.receivers(code="030105", text="опилки", limit=5) == kb.receivers(code="030105", text="опилки", limit=5)
