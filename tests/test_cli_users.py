"""The command line of issue #15: users grant/revoke/list, audit export/prune, person
export/erase; their messages and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from staircase.__main__ import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from staircase.domain.model import Status
from staircase.services import Actor, Lartrappan


@pytest.fixture
def url(db_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")
    url = db_url("users")
    store = Lartrappan(url)
    try:
        root = store.units.create(Actor(""), "Norrby kommun")
        unit = store.units.create(Actor(""), "Hemtjänst", root.id)
        store.checklist.set_status(Actor("Eva Berg"), unit.id, "s1-goal-linked", Status.DONE)
    finally:
        store.close()
    return url


def run(url: str, *args: str) -> int:
    return main(["--db", url, *args])


def test_grant_list_revoke(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(url, "users", "grant", "Boss@Norrby.se", "admin") == EXIT_OK
    assert "boss@norrby.se" in capsys.readouterr().out
    assert (
        run(url, "users", "grant", "eva@norrby.se", "editor", "--unit", "Norrby kommun > Hemtjänst")
        == EXIT_OK
    )
    capsys.readouterr()
    assert run(url, "users", "list") == EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        "boss@norrby.se\tadmin\t(hela databasen)",
        "eva@norrby.se\teditor\tNorrby kommun > Hemtjänst",
    ]
    assert (
        run(
            url, "users", "revoke", "eva@norrby.se", "editor", "--unit", "Norrby kommun > Hemtjänst"
        )
        == EXIT_OK
    )
    capsys.readouterr()
    run(url, "users", "list")
    assert capsys.readouterr().out.splitlines() == ["boss@norrby.se\tadmin\t(hela databasen)"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "grant", "eva", "editor", "--unit", "Norrby kommun"], "ingen e-postadress"),
        (["users", "grant", "eva@norrby.se", "chef", "--unit", "Norrby kommun"], "finns inte"),
        (["users", "grant", "eva@norrby.se", "admin", "--unit", "Norrby kommun"], "hela databasen"),
        (["users", "grant", "eva@norrby.se", "viewer"], "--unit"),
        (["users", "grant", "eva@norrby.se", "viewer", "--unit", "Ingenstans"], "Ingenstans"),
        (["users", "revoke", "eva@norrby.se", "viewer", "--unit", "Norrby kommun"], "ingen sådan"),
        (["audit", "prune", "--keep-days", "0"], "minst 1"),
        (["person", "erase", "ingen@norrby.se"], "Ingenting finns lagrat"),
    ],
)
def test_bad_input_is_rejected_with_a_message(
    url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(url, *args) == EXIT_REJECTED
    assert message in capsys.readouterr().err
    run(url, "users", "list")
    assert capsys.readouterr().out == ""


def test_a_group_without_its_action_is_a_usage_error(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for group in ("users", "audit", "person"):
        assert run(url, group) == EXIT_USAGE
        assert "--help" in capsys.readouterr().err


def test_audit_export_and_prune(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "audit.csv"
    assert run(url, "audit", "export", str(target)) == EXIT_OK
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("at,actor,email,action")
    assert "Eva Berg" in text
    capsys.readouterr()
    assert run(url, "audit", "prune") == EXIT_OK  # no retention set: keep
    assert "allt behålls" in capsys.readouterr().out
    assert run(url, "audit", "prune", "--keep-days", "30") == EXIT_OK
    assert "0 poster" in capsys.readouterr().out


def test_person_export_and_erase(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(url, "person", "export", "eva@norrby.se", "--name", "Eva Berg") == EXIT_OK
    extract = json.loads(capsys.readouterr().out)
    assert extract["authored"]["practice_state"][0]["updated_by"] == "Eva Berg"
    assert run(url, "person", "erase", "eva@norrby.se", "--name", "Eva Berg") == EXIT_OK
    assert "Tidigare användare 1" in capsys.readouterr().out
    run(url, "audit", "export", "-")
    out = capsys.readouterr().out
    assert "Eva Berg" not in out and "person.erase" in out
