"""The CLI of the matching results: every match kind listed, the network, confidentiality in outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symdesk.cli import main
from symdesk.services.database import open_db
from symdesk.services.matching import list_opportunities
from symdesk.services.residents import resident_details
from symdesk.services.streams import save_streams


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_match_finds_every_kind_and_lists_them(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    db = ["--lang", "en", "--db", str(demo_db_path)]
    summary = cli_json(capsys, *db, "match", "--json")
    assert set(summary["by_kind"]) == {"pair", "receiver", "company_type", "pooling", "chain"}
    assert all(summary["by_kind"][k] > 0 for k in summary["by_kind"]) and sum(summary["by_kind"].values()) == summary["found"]
    for kind in summary["by_kind"]:
        rows = cli_json(capsys, *db, "opportunities", "list", "--match-kind", kind, "--limit", "3", "--json")
        assert rows and all(r["match_kind"] == kind for r in rows)
        assert all({"provider_name", "receiver_name", "components", "benefits", "reasons"} <= set(r) for r in rows)
    pool = cli_json(capsys, *db, "opportunities", "list", "--match-kind", "pooling", "--limit", "1", "--json")[0]
    member = pool["members"][0]  # pools list their residents first
    mine = cli_json(capsys, *db, "opportunities", "list", "--resident", member, "--json")
    assert pool["id"] in {r["id"] for r in mine}


def test_network_json_shape(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    db = ["--lang", "en", "--db", str(demo_db_path)]
    assert main([*db, "match"]) == 0
    capsys.readouterr()
    net = cli_json(capsys, *db, "network", "--json")
    assert set(net) == {"nodes", "edges", "clusters", "hubs", "missing_links"}
    ids = {n["resident_id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["match_kind"] == "pair" for e in net["edges"])
    assert net["clusters"] and all(len(c["resident_ids"]) >= 2 for c in net["clusters"])
    assert {r for c in net["clusters"] for r in c["resident_ids"]} <= ids
    assert net["hubs"][0]["degree"] == max(n["degree"] for n in net["nodes"])
    assert net["missing_links"] and all(len(m["activity_class"]) == 4 for m in net["missing_links"])
    wider = cli_json(capsys, *db, "network", "--match-kind", "pair", "--match-kind", "receiver", "--json")
    assert len(wider["edges"]) > len(net["edges"])
    assert main([*db, "network"]) == 0
    assert "Missing links" in capsys.readouterr().out


def test_confidential_party_hidden_for_residents_only(capsys: pytest.CaptureFixture[str], demo_db_path: Path) -> None:
    db = ["--lang", "en", "--db", str(demo_db_path)]
    assert main([*db, "match"]) == 0
    capsys.readouterr()
    database = open_db(str(demo_db_path))
    target = list_opportunities(database, match_kind="pair")[0]
    provider = resident_details(database, target.provider_id or "")
    offer = next(s for s in provider.offers if s.id == target.offer_id)
    offer.confidential = True
    save_streams(database, [offer])
    database.close()
    assert main([*db, "match"]) == 0
    capsys.readouterr()
    staff = cli_json(capsys, *db, "opportunities", "show", target.id[:10], "--json")
    assert staff["provider_name"] == provider.resident.display_name
    public = cli_json(capsys, *db, "opportunities", "show", target.id[:10], "--for-residents", "--json")
    assert public["provider_name"] == "confidential party" and public["provider_id"] is None
    assert provider.resident.display_name not in json.dumps(public, ensure_ascii=False)
    assert public["receiver_name"] == staff["receiver_name"]  # only the party that asked is hidden
    listed = cli_json(capsys, *db, "opportunities", "list", "--for-residents", "--json")
    assert all(r["provider_id"] not in r["confidential_parties"] or r["provider_id"] is None for r in listed)
