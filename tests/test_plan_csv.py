"""The plan CSV (csv/plan.py through core.plans): round trip in both layouts, owners in bulk,
all-or-nothing refusals naming row and column, formula-safe cells."""

from __future__ import annotations

import codecs
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staircase.csv.format import CsvVariant
from staircase.csv.plan import parse_plan_csv
from staircase.domain.model import ValidationError
from staircase.domain.plan import PlanItem
from staircase.i18n import problem_text
from staircase.services import Actor, Lartrappan

ANNA = Actor("Anna")
P1, P2 = "s1-goal-linked", "s1-anytime-anywhere"
HEADER = "unit_path,practice_id,practice_title,owner,due,next_action"


def _units(store: Lartrappan) -> tuple[int, int]:
    top = store.units.create(ANNA, "Norrby kommun").id
    north = store.units.create(ANNA, "Hemtjänst Norr", top).id
    return top, north


def _items(store: Lartrappan, unit: int) -> dict[str, tuple[str, date | None, str]]:
    return {
        pid: (p.item.owner, p.item.due, p.item.action)
        for pid, p in store.plans.of_unit(unit).plans.items()
        if not p.item.is_empty
    }


@pytest.mark.parametrize("variant", list(CsvVariant))
def test_export_then_import_into_the_same_units_gives_the_plan_back(
    make_store, variant: CsvVariant
) -> None:
    source: Lartrappan = make_store("source")
    _, north = _units(source)
    source.plans.set_owner(ANNA, north, P1, "=Karin; Ek")  # a formula, the delimiter
    source.plans.set_due(ANNA, north, P1, date(2027, 3, 31))
    source.plans.set_action(ANNA, north, P1, 'Två rader:\n"boka" APT, sen @följ upp')
    source.plans.set_owner(ANNA, north, P2, "Bo")
    data = source.plans.export_csv(variant=variant)
    target: Lartrappan = make_store("target")
    _, north_there = _units(target)
    result = target.plans.import_csv(ANNA, data)
    assert _items(target, north_there) == _items(source, north)
    assert result.changed == 2
    # The same file again changes nothing: no new revision, no new who or when.
    before = target.plans.of_unit(north_there).of(P1).item
    assert target.plans.import_csv(ANNA, data).changed == 0
    assert target.plans.of_unit(north_there).of(P1).item == before


def test_the_export_is_a_template_every_active_practice_of_every_unit(store: Lartrappan) -> None:
    _top, north = _units(store)
    store.plans.set_owner(ANNA, north, P1, "Karin Ek")
    lines = store.plans.export_csv([north]).decode("utf-8").splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 1 + len(store.practices.catalogue().practices)
    assert lines[1].startswith(f"Norrby kommun > Hemtjänst Norr,{P1},")
    assert lines[1].endswith(",Karin Ek,,")
    everything = store.plans.export_csv().decode("utf-8").splitlines()
    assert len(everything) == 1 + 2 * len(store.practices.catalogue().practices)


def test_the_excel_layout_has_a_bom_semicolons_and_crlf(store: Lartrappan) -> None:
    _, north = _units(store)
    store.plans.set_owner(ANNA, north, P1, "Åsa Öberg")
    data = store.plans.export_csv([north], CsvVariant.EXCEL_SV)
    assert data.startswith(codecs.BOM_UTF8)
    first = data[len(codecs.BOM_UTF8) :].split(b"\r\n")[1].decode("utf-8")
    assert first.split(";")[3] == "Åsa Öberg"


def test_text_cells_are_formula_safe_and_come_back_exactly(store: Lartrappan) -> None:
    _, north = _units(store)
    store.plans.set_owner(ANNA, north, P1, '=HYPERLINK("http://evil")')
    store.plans.set_action(ANNA, north, P1, "+1 ring chefen")
    store.plans.set_owner(ANNA, north, P2, "'=redan")
    text = store.plans.export_csv([north]).decode("utf-8")
    assert "'=HYPERLINK" in text and "'+1 ring chefen" in text and "''=redan" in text
    store.plans.set_owner(ANNA, north, P1, "")
    store.plans.set_action(ANNA, north, P1, "")
    store.plans.set_owner(ANNA, north, P2, "")
    store.plans.import_csv(ANNA, text.encode("utf-8"))
    assert _items(store, north)[P1][0] == '=HYPERLINK("http://evil")'
    assert _items(store, north)[P1][2] == "+1 ring chefen"
    assert _items(store, north)[P2][0] == "'=redan"


def test_owners_in_bulk_a_file_with_only_an_owner_column_leaves_the_rest(
    store: Lartrappan,
) -> None:
    _, north = _units(store)
    store.plans.set_due(ANNA, north, P1, date(2027, 1, 1))
    store.plans.set_action(ANNA, north, P1, "Behålls")
    data = (
        "Unit Path;Practice-ID;Owner\r\n"  # headers in any case, semicolons, CRLF
        f"norrby kommun > hemtjänst norr;{P1};Karin Ek\r\n"
        f"Norrby kommun > Hemtjänst Norr;{P2.upper()};Bo Ström\r\n"
    ).encode()
    result = store.plans.import_csv(Actor("Importör"), data)
    assert result.changed == 2
    assert _items(store, north) == {
        P1: ("Karin Ek", date(2027, 1, 1), "Behålls"),
        P2: ("Bo Ström", None, ""),
    }
    assert store.plans.of_unit(north).of(P1).item.updated_by == "Importör"


def test_an_empty_cell_empties_the_field(store: Lartrappan) -> None:
    _, north = _units(store)
    store.plans.set_owner(ANNA, north, P1, "Karin")
    store.plans.set_due(ANNA, north, P1, date(2027, 1, 1))
    store.plans.import_csv(
        ANNA, f"unit_path,practice_id,owner,due\nNorrby kommun > Hemtjänst Norr,{P1},,\n".encode()
    )
    assert store.plans.of_unit(north).of(P1).item.is_empty


def test_a_due_date_in_the_past_imports(store: Lartrappan) -> None:
    _, north = _units(store)
    data = f"unit_path,practice_id,due\nNorrby kommun > Hemtjänst Norr,{P1},2020-02-29\n"
    store.plans.import_csv(ANNA, data.encode())
    assert store.plans.of_unit(north).of(P1).item.due == date(2020, 2, 29)


def test_a_file_with_problems_is_refused_whole_naming_row_and_column(store: Lartrappan) -> None:
    top, north = _units(store)
    store.units.create(ANNA, "Arkiv", top)
    archived = store.units.tree().find(["Norrby kommun", "Arkiv"])
    assert archived is not None
    store.units.set_archived(ANNA, archived, True)
    path = "Norrby kommun > Hemtjänst Norr"
    data = "\n".join(
        [
            "unit_path,practice_id,owner,due,next_action",
            f"{path},{P1},Karin Ek,2027-03-31,Boka APT",  # 2: fine
            f"{path},s9-nothing,Bo,,",  # 3: unknown practice
            f"{path},{P2},{'x' * 81},,",  # 4: owner too long
            f"{path},s1-measure-effect,Bo,31/03/2027,",  # 5: date format
            f"{path},s1-local-ownership,Bo,2027-02-30,",  # 6: no such day
            f"Norrby kommun > Finns inte,{P1},Bo,,",  # 7: unknown unit
            f"{path},{P1},Bo,,",  # 8: the same practice as row 2
            f"{path},s2-performance,Bo\x07,,",  # 9: a control character
            f",{P1},Bo,,",  # 10: no unit
        ]
    ).encode()
    with pytest.raises(ValidationError) as err:
        store.plans.import_csv(ANNA, data)
    found = [(p.row, p.column, p.key) for p in err.value.problems]
    assert found == [
        (3, "practice_id", "csv.practice_unknown"),
        (4, "owner", "plan.owner_too_long"),
        (5, "due", "plan.csv_due_format"),
        (6, "due", "plan.csv_due_impossible"),
        (8, "practice_id", "plan.csv_duplicate"),
        (9, "owner", "plan.owner_control_char"),
        (10, "unit_path", "csv.required_empty"),
    ]
    assert problem_text(err.value.problems[2], "sv").startswith("Rad 5, kolumn due: ")
    assert store.plans.of_unit(north).plans == {}  # nothing written, not even row 2
    # Units are checked once the file itself is sound.
    units_wrong = (
        "unit_path,practice_id,owner\n"
        f"{path},{P1},Karin\n"
        f"Norrby kommun > Finns inte,{P1},Bo\n"
        f"Norrby kommun > Arkiv,{P1},Bo\n"
    ).encode()
    with pytest.raises(ValidationError) as err:
        store.plans.import_csv(ANNA, units_wrong)
    assert [(p.row, p.column, p.key) for p in err.value.problems] == [
        (3, "unit_path", "plan.csv_unit_unknown"),
        (4, "unit_path", "plan.csv_unit_archived"),
    ]
    assert store.plans.of_unit(north).plans == {}


def test_a_snapshot_file_is_not_a_plan_file(store: Lartrappan) -> None:
    _units(store)
    snapshot_csv = (
        "unit_path,taken_at,practice_id,status\n"
        f"Norrby kommun > Hemtjänst Norr,2025-01-01,{P1},done\n"
    ).encode()
    with pytest.raises(ValidationError) as err:
        store.plans.import_csv(ANNA, snapshot_csv)
    assert [p.key for p in err.value.problems] == ["plan.csv_no_plan_columns"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "csv.empty"),
        (b"unit_path,practice_id,owner\n", "csv.no_rows"),
        (b"unit,practice,owner\nx,y,z\n", "csv.missing_columns"),
        (b'unit_path,practice_id,owner\n"Norrby kommun,s1-goal-linked,x\n', "csv.unclosed_quote"),
        (b"unit_path,practice_id,owner\nNorrby kommun,s1-goal-linked\n", "csv.field_count"),
        ("unit_path,practice_id,owner\nNörrby,s1,x\n".encode("latin-1"), "csv.not_utf8"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    store: Lartrappan, data: bytes, key: str
) -> None:
    _units(store)
    with pytest.raises(ValidationError) as err:
        store.plans.import_csv(ANNA, data)
    assert err.value.problems[0].key == key


def test_the_plan_export_leaves_out_archived_units_and_an_empty_item_is_blank(
    store: Lartrappan,
) -> None:
    _top, north = _units(store)
    store.units.set_archived(ANNA, north, True)
    lines = store.plans.export_csv().decode().splitlines()
    assert all("Hemtjänst Norr" not in line for line in lines)
    assert PlanItem(P1).is_empty


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.sampled_from(
                [
                    ",",
                    ";",
                    '"',
                    "\n",
                    "\r",
                    "\r\n",
                    "'",
                    "=",
                    "unit_path",
                    "practice_id",
                    "owner",
                    "due",
                    "next_action",
                    "s1-goal-linked",
                    "2027-02-30",
                    "2027-01-01",
                    "Norrby > Skola",
                    "\x00",
                    "\ufeff",
                    "å",
                    " ",
                    "x" * 90,
                ]
            ),
            max_size=60,
        ).map(lambda parts: "".join(parts).encode("utf-8")),
    )
)
def test_any_bytes_are_read_or_refused_with_problems_never_another_error(data: bytes) -> None:
    """The plan reader either gives rows or refuses the file with a ValidationError whose
    every problem says what is wrong: no other exception, whatever the bytes."""
    try:
        rows = parse_plan_csv(data, ["s1-goal-linked"])
    except ValidationError as err:
        assert err.problems and all(p.key for p in err.problems)
        assert all(problem_text(p, "sv") for p in err.problems)
    else:
        assert all(r.practice_id == "s1-goal-linked" and r.unit_path for r in rows)
