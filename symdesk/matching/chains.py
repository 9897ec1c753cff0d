"""Chains and loops on the flow graph: A's waste feeds B, whose by-product feeds C.

A symbiosis network grows by links that depend on each other — the classic
Kalundborg pattern — and a zone administration wants to see those as one
project. The flow graph has a directed edge provider → receiver for the
best declared pair between two residents (scores below ``MIN_LINK_SCORE``
are too uncertain to build on). On it we look for

* chains of two hops A → B → C (C ≠ A): B both takes and gives, and
* loops of two to four residents (networkx ``simple_cycles``) whose every
  link scores at least ``MIN_LOOP_LINK_SCORE``: materials going round and
  coming back, e.g. heat out and cooled water back.

Both are limited by local rules (a threshold per link, the best few chains
per middle resident), never by a zone-wide cap, so that editing one
questionnaire changes only the chains near it.

A chain is identified by its links in order, a loop by its links starting
from the smallest resident id, so re-runs find the same record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from statistics import fmean

import networkx as nx

from symdesk.domain.issues import N_
from symdesk.domain.opportunity import MatchKind, Opportunity, opportunity_key
from symdesk.domain.records import RecordMeta
from symdesk.matching.benefits import VALUE_FIELDS
from symdesk.matching.components import as_stored, weighted_score, weighted_total

MIN_LINK_SCORE = 50.0
STRONGEST_LINKS = 3
MAX_LOOP_LENGTH = 4
MAX_CHAINS_PER_MIDDLE = 3
MIN_LOOP_LINK_SCORE = 65.0  # a loop is only as good as its weakest link
CHAIN_WEIGHTS = {"weakest_link": 2.0, "mean_link": 1.0}
SUMMED = VALUE_FIELDS  # a chain is worth what its links are worth


def flow_graph(pairs: Sequence[Opportunity], min_link_score: float = MIN_LINK_SCORE) -> nx.DiGraph:
    """Provider → receiver, one edge per resident pair carrying its best opportunity.

    Only each resident's ``STRONGEST_LINKS`` best outgoing links that are also among
    the receiver's best incoming ones are kept: a chain is built from links both
    sides would pursue first, and the graph stays sparse enough for cycle search
    in a zone where everyone could trade a little with everyone.
    """
    # The best opportunity of each resident pair (best first, ties by id), found in one pass: a zone's
    # kept pairs are some 15,000 of which 10,000 pairs of residents.
    best: dict[tuple[str, str], Opportunity] = {}
    for o in pairs:
        if o.score >= min_link_score:
            provider, receiver = o.provider_id, o.receiver_id
            if provider and receiver and provider != receiver:
                known = best.get((provider, receiver))
                if known is None or o.score > known.score or (o.score == known.score and o.meta.id < known.meta.id):
                    best[(provider, receiver)] = o
    # Best first, ties by id: two stable sorts on plain keys.
    links = sorted(best.items(), key=lambda link: link[1].meta.id)
    links.sort(key=lambda link: link[1].score, reverse=True)
    graph = nx.DiGraph()
    outgoing: dict[str, int] = {}
    incoming: dict[str, int] = {}
    for (provider, receiver), o in links:
        out_rank, in_rank = outgoing.get(provider, 0), incoming.get(receiver, 0)
        outgoing[provider], incoming[receiver] = out_rank + 1, in_rank + 1
        if out_rank < STRONGEST_LINKS and in_rank < STRONGEST_LINKS:
            graph.add_edge(provider, receiver, opportunity=o)
    return graph


def chain_opportunities(
    pairs: Sequence[Opportunity],
    offer_names: Mapping[str, str],
    known: Mapping[str, Opportunity] | None = None,
    unchanged: Callable[[Opportunity], bool] | None = None,
) -> list[Opportunity]:
    """CHAIN opportunities (two-hop chains and loops) over the declared pairs.

    A chain is made of its links alone: with ``known`` (a previous run's chains by id) a chain all of
    whose links are ``unchanged`` since is taken from it (a re-match)."""
    graph = flow_graph(pairs)
    found: dict[str, Opportunity] = {}

    def made(links: list[Opportunity], loop: bool) -> Opportunity:
        if known is not None and unchanged is not None and all(unchanged(link) for link in links):
            before = known.get(_chain_key(links, loop=loop))
            if before is not None:
                return before
        return _opportunity(links, offer_names, loop=loop)

    for cycle in nx.simple_cycles(graph, length_bound=MAX_LOOP_LENGTH):
        start = cycle.index(min(cycle))
        ordered = cycle[start:] + cycle[:start]
        links = [graph.edges[a, b]["opportunity"] for a, b in zip(ordered, ordered[1:] + ordered[:1], strict=True)]
        if min(link.score for link in links) >= MIN_LOOP_LINK_SCORE:
            o = made(links, loop=True)
            found[o.id] = o
    for middle in sorted(graph.nodes):
        # Only the best few per middle resident: they share its intake and output. Each chain is
        # scored first; ids (for ties) and the rest only for those that can still make it.
        here = []
        for a in sorted(graph.predecessors(middle)):
            into = graph.edges[a, middle]["opportunity"]
            for c in sorted(graph.successors(middle)):
                if c == a:
                    continue  # a two-way exchange is a loop, found above
                out = graph.edges[middle, c]["opportunity"]
                here.append((_total((into, out)), into, out))
        if len(here) > MAX_CHAINS_PER_MIDDLE:
            threshold = sorted([total for total, _, _ in here], reverse=True)[MAX_CHAINS_PER_MIDDLE - 1]
            here = [chain for chain in here if chain[0] >= threshold]
        keyed = sorted((-total, _chain_key((into, out)), into, out) for total, into, out in here)
        for _, _, into, out in keyed[:MAX_CHAINS_PER_MIDDLE]:
            o = made([into, out], loop=False)
            found[o.id] = o
    return sorted(found.values(), key=lambda o: (-o.score, o.id))


def _values(links: Sequence[Opportunity]) -> dict[str, float]:
    scores = [link.score / 100.0 for link in links]
    return {"weakest_link": min(scores), "mean_link": fmean(scores)}


def _total(links: Sequence[Opportunity]) -> float:
    """The chain's score alone (``weighted_score``'s total)."""
    return weighted_total(_values(links), CHAIN_WEIGHTS)


def _chain_key(links: Sequence[Opportunity], *, loop: bool = False) -> str:
    return opportunity_key(MatchKind.CHAIN, "loop" if loop else "chain", *[link.id for link in links])


def _opportunity(links: Sequence[Opportunity], offer_names: Mapping[str, str], *, loop: bool) -> Opportunity:
    total, rows = weighted_score(_values(links), CHAIN_WEIGHTS)
    names = [offer_names.get(link.offer_id or "", link.title) for link in links]
    benefits = {key: round(sum(float(link.benefits.get(key, 0.0) or 0.0) for link in links), 6) for key in SUMMED}
    residents = [link.provider_id for link in links] + ([] if loop else [links[-1].receiver_id])
    message = (
        N_("Loop of {count} residents: each link is a declared offer meeting a declared need")
        if loop
        else N_("Chain of {count} residents: the middle one both takes and gives")
    )
    return Opportunity(
        match_kind=MatchKind.CHAIN,
        kind=links[0].kind,
        title=" ⇒ ".join(names) + (" ↺" if loop else ""),
        score=total,
        provider_id=links[0].provider_id,
        receiver_id=links[-1].receiver_id,
        members=[link.id for link in links],
        components=rows,
        benefits=as_stored(benefits),
        reasons=[{"message": message, "params": {"count": len(set(residents))}}],
        confidential_parties=sorted({p for link in links for p in link.confidential_parties}),
        meta=RecordMeta(id=_chain_key(links, loop=loop)),
    )
