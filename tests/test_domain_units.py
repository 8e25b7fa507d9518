"""The unit tree (domain): links by id."""

from staircase.domain.model import Unit
from staircase.domain.units import UnitTree


def test_a_link_names_a_unit_by_its_id_only_when_it_is_one_to_show() -> None:

    tree = UnitTree(
        {
            1: Unit(1, "Norrby kommun", None),
            2: Unit(2, "Vård och omsorg", 1),
            6: Unit(6, "Söderby kommun", None),
            7: Unit(7, "Arkiv", 6, archived=True),
            8: Unit(8, "Skola", 6),
        }
    )
    assert tree.resolve_link("2") == 2
    assert tree.resolve_link("8") == 8  # any organisation, not only the first
    assert tree.resolve_link("08") == 8
    for raw in [
        None,
        "",
        "7",  # archived
        "999999",
        "0",
        "-2",
        "+2",
        " 2",
        "2 ",
        "2.0",
        "1e0",
        "abc",
        "Vård och omsorg · Norrby kommun",  # a label, as links carried before
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "２",  # a full-width digit
        "١",  # an Arabic-Indic digit
        "²",
        "9" * 19,
        "9" * 3000,
    ]:
        assert tree.resolve_link(raw) is None, raw
