"""The command line end to end: through main(argv) and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symdesk.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_the_database(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, _err = run(capsys, "--db", str(db_path), "init")
    assert code == 0 and db_path.exists() and str(db_path) in out


def test_default_database_lives_in_the_data_dir(capsys: pytest.CaptureFixture[str], isolated_dirs: Path) -> None:
    code, _out, _err = run(capsys, "init")
    assert code == 0
    assert (isolated_dirs / "data" / "symdesk.sqlite3").exists()


def test_demo_then_list_and_show(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert run(capsys, "--db", str(db_path), "demo")[0] == 0
    code, out, _ = run(capsys, "--db", str(db_path), "residents", "list", "--json")
    residents = json.loads(out)
    assert code == 0 and len(residents) >= 40
    assert set(residents[0]) == {"id", "name", "short_name", "unp", "activity_codes", "site", "status", "offers", "needs"}
    first = residents[0]
    code, out, _ = run(capsys, "--db", str(db_path), "residents", "show", first["id"][:8], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["id"] == first["id"] and shown["name"] == first["name"]
    assert len(shown["offers"]) == first["offers"] and len(shown["needs"]) == first["needs"]
    for stream in shown["offers"] + shown["needs"]:
        assert {"category", "kind", "quantity", "unit", "yearly_amount"} <= set(stream)
    # by УНП, human-readable
    code, out, _ = run(capsys, "--db", str(db_path), "residents", "show", first["unp"])
    assert code == 0 and first["name"] in out
    code, out, _ = run(capsys, "--db", str(db_path), "residents", "list")
    assert code == 0 and first["unp"] in out


def test_codes_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "codes", "search", "10 01 02", "--json", "--limit", "3")
    hits = json.loads(out)
    assert code == 0 and hits[0]["code"] == "100102" and hits[0]["display_code"] == "10 01 02"
    assert set(hits[0]) == {"system", "code", "display_code", "level", "name_ru", "name_en", "hazardous", "hazard_class"}
    code, out, _ = run(capsys, "codes", "search", "распиловка древес", "--system", "activity", "--json")
    assert code == 0 and any(h["code"] == "1610" for h in json.loads(out))


def test_classifier_import_reports_rejected_rows(capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "cls.csv"
    path.write_text("Код;Наименование;Класс опасности\n5960200;Силикагель;4\n12;Плохо;4\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db_path), "--lang", "en", "classifier", "import", str(path))
    assert code == 0 and "row 3" in err and "Imported 1 codes" in out
    code, out, _ = run(capsys, "--db", str(db_path), "codes", "search", "силикагель", "--json")
    assert json.loads(out)[0]["code"] == "5960200"


def test_db_check(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    run(capsys, "--db", str(db_path), "demo")
    code, out, _ = run(capsys, "--db", str(db_path), "db", "check", "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["integrity"] == ["ok"]
    assert report["records"]["residents"] >= 40 and report["schema_revision"] == report["schema_head"]


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["--db", "{missing}", "residents", "list"], 1, "not found"),
        (["--db", "{garbage}", "db", "check"], 1, "damaged"),
        (["--db", "{db}", "classifier", "import", "{missing_file}"], 1, "not found"),
        (["residents", "frobnicate"], 2, "invalid choice"),
        (["codes", "search", "x", "--limit", "many"], 2, "invalid int"),
        (["--db", "{db}", "residents", "show", "no-such"], 1, "No resident"),
    ],
)
def test_errors_are_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], code: int, fragment: str
) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 100)
    values = {
        "missing": str(tmp_path / "absent.sqlite3"),
        "garbage": str(garbage),
        "db": str(tmp_path / "ok.sqlite3"),
        "missing_file": str(tmp_path / "absent.xlsx"),
    }
    from symdesk.services.database import open_db

    open_db(values["db"]).close()
    argv = [a.format(**values) for a in argv]
    got, _out, err = run(capsys, "--lang", "en", *argv)
    assert got == code
    lines = err.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in err


def test_newer_schema_message(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    import sqlite3

    run(capsys, "--db", str(db_path), "init")
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    code, _out, err = run(capsys, "--lang", "en", "--db", str(db_path), "residents", "list")
    assert code == 1 and "newer symdesk" in err and len(err.strip().splitlines()) == 1


def test_russian_is_the_default_language(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "init")
    assert code == 0 and "База данных готова" in out


def test_help_and_usage_errors_speak_the_language_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    """The help is written while the command line is parsed, so a top-level ``--lang`` must count
    before that; a command's own ``--lang`` (a report's language) does not change the messages."""
    def helped(*argv: str) -> str:
        with pytest.raises(SystemExit) as stop:
            main(list(argv))
        assert stop.value.code == 0
        return capsys.readouterr().out

    from symdesk import i18n

    try:
        assert "open the application window" in helped("--lang", "en", "--help")
        assert "the PDF file to write" in helped("--lang=en", "report", "zone", "--help")
        assert "the PDF file to write" in helped("--db", "x.sqlite3", "--lang", "en", "report", "zone", "--help")
        assert "файл PDF для записи" in helped("report", "zone", "--lang", "en", "--help")
        assert "открыть окно программы" in helped("--help")
        code, _out, err = run(capsys, "--lang", "en", "no-such-command")
        assert code != 0 and "invalid choice" in err
    finally:
        i18n.set_language("ru")


def test_as_a_subprocess(tmp_path: Path, isolated_dirs: Path) -> None:
    env = dict(os.environ)
    db_path = tmp_path / "sub.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "symdesk", "--db", str(db_path), "demo"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "symdesk", "--db", str(db_path), "residents", "list", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 0 and len(json.loads(done.stdout)) >= 40
    bad = subprocess.run(
        [sys.executable, "-m", "symdesk", "--db", str(tmp_path / "nope" / "x.sqlite3"), "residents", "list"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_add_edit_delete_a_resident(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    db = ["--db", str(db_path)]
    code, out, _ = run(capsys, *db, "residents", "add", "--name", "ООО «Проба»", "--unp", "190000001",
                       "--oked", "16100, 35.11", "--lat", "53.1", "--lon", "29.2", "--json")
    assert code == 0
    rid = json.loads(out)["id"]
    code, out, _ = run(capsys, *db, "residents", "edit", "190000001", "--staff", "50", "--json")
    assert code == 0 and json.loads(out)["revision"] == 2
    shown = json.loads(run(capsys, *db, "residents", "show", rid, "--json")[1])
    assert shown["staff_count"] == 50 and shown["activity_codes"] == ["16100", "3511"]
    assert run(capsys, *db, "residents", "delete", rid[:8])[0] == 0
    assert json.loads(run(capsys, *db, "residents", "list", "--json")[1]) == []
    check = json.loads(run(capsys, *db, "db", "check", "--json")[1])
    assert check["tombstones"]["residents"] == 1


def test_bad_resident_input_is_refused_whole(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    db = ["--lang", "en", "--db", str(db_path)]
    code, _out, err = run(capsys, *db, "residents", "add", "--name", "ООО «Плохо»", "--unp", "12345", "--oked", "99999")
    assert code == 1 and "UNP" in err and "99.99" in err and len(err.strip().splitlines()) == 1
    run(capsys, *db, "residents", "add", "--name", "ООО «Первый»", "--unp", "190000001")
    code, _out, err = run(capsys, *db, "residents", "add", "--name", "ООО «Второй»", "--unp", "190000001")
    assert code == 1 and "already has UNP" in err
    names = [r["name"] for r in json.loads(run(capsys, *db, "residents", "list", "--json")[1])]
    assert names == ["ООО «Первый»"]
