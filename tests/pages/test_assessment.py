"""Nuläge page: walk an area, choose a level and see its feedback, save, see it in the
history with the chart's text alternative and table; every text of the model is shown."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from staircase.domain.assessment import LEVELS, AreaAnswer, load_assessment_model
from staircase.services import Actor, Lartrappan

PAGE = "pages/assessment.py"
A1 = "a1-learning-organisation"
MODEL = load_assessment_model()


def _pictures(at: AppTest) -> list[tuple[str, str]]:
    """(SVG, text alternative) of every picture on the page."""
    out = []
    for image in at.get("image"):
        for img in image.proto.imgs:
            assert img.url.startswith("data:image/svg+xml;base64,")
            out.append((base64.b64decode(img.url.split(",", 1)[1]).decode(), img.alt))
    return out


def _texts(at: AppTest) -> str:
    """Everything the page shows as text: markdown, captions, alerts, labels, options."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header"):
        parts += [str(e.value) for e in at.get(kind)]
    for widget in (*at.radio, *at.text_area):
        parts.append(str(widget.label))
    for radio in at.radio:
        parts += list(radio.proto.captions)
        parts += list(radio.options)
    parts += [str(e.label) for e in at.expander]
    return "\n".join(parts)


def test_walk_an_area_choose_a_level_see_feedback_save_and_see_it_in_the_history(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr")
    at = open_page(PAGE, unit.id, user="Karin Ek")
    assert not at.exception
    assert "inte en vetenskaplig metod" in at.info[0].value
    assert "inga sparade nulägesbedömningar" in at.info[1].value
    level = at.radio(key=f"asm_{unit.id}_level_{A1}")
    assert level.value is None  # nothing chosen is not "not started"
    assert list(level.proto.captions) == [MODEL.area(A1).levels[s].description.sv for s in LEVELS]
    assert not at.success
    at.text_area(key=f"asm_{unit.id}_answer_a1-vision-exists").input("Ja, sedan i våras.")
    level.set_value("in_progress").run()
    feedback = MODEL.area(A1).levels[LEVELS[1]].feedback.sv
    assert [s.value for s in at.success] == [f"**Återkoppling**\n\n{feedback}"]
    assert "1. Lärande organisation – På väg" in [e.label for e in at.expander]
    at.radio(key=f"asm_{unit.id}_trait_a2-trust").set_value(3)
    at.text_area(key=f"asm_{unit.id}_comment").input("APT i november")
    at.button(key=f"asm_{unit.id}_save").click().run()
    assert not at.exception and not at.error
    assert "är sparad" in at.success[0].value

    [saved] = store.assessments.of_unit(unit.id)
    head, content = store.assessments.get(saved.id)
    assert (head.saved_by, head.comment) == ("Karin Ek", "APT i november")
    assert content.areas == {A1: AreaAnswer("in_progress", "")}
    assert content.traits == {"a2-trust": 3}
    assert content.answers == {"a1-vision-exists": "Ja, sedan i våras."}
    # The walk is empty again, and the history lists the assessment.
    assert at.radio(key=f"asm_{unit.id}_level_{A1}").value is None
    history = at.dataframe[0].value
    assert list(history["Kommentar"]) == ["APT i november"]
    assert list(history["På väg"]) == [1]
    # The chart: a picture with its one-sentence text alternative, and its data as a table.
    [(svg, alt)] = _pictures(at)
    assert alt == (
        "Nuläge i de åtta områdena enligt 1 bedömningar från {day} till {day}. Senast: "
        "0 Vi får det att hända, 1 På väg, 0 I startblocken och 7 inte bedömda."
    ).format(day=saved.taken_at.date().isoformat())
    assert svg.count('data-level="in_progress"') == 1 and svg.count('data-level="none"') == 7
    assert alt.replace("\\", "") in [c.value.replace("\\", "") for c in at.caption]  # beside it
    table = at.table[-1].value  # the chart's figures
    assert table["Område"].iloc[0] == "1. Lärande organisation"
    assert table.iloc[0, 1] == "◐ På väg" and table.iloc[7, 1] == "– Inte bedömt"


def test_a_refused_save_keeps_what_was_typed(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola")
    at = open_page(PAGE, unit.id)
    at.button(key=f"asm_{unit.id}_save").click().run()
    assert "Bedömningen är tom" in at.error[0].value
    assert store.assessments.of_unit(unit.id) == []


def test_history_chart_over_time_and_delete(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola")
    first = store.assessments.save(
        Actor(""),
        unit.id,
        {A1: AreaAnswer("not_started")},
        {},
        {},
        "Anna",
        "Första",
        datetime(2025, 3, 1, 9, 0),
    )
    store.assessments.save(
        Actor(""),
        unit.id,
        {A1: AreaAnswer("done"), "a8-measurement": AreaAnswer("in_progress")},
        {},
        {},
        "Anna",
        "Andra",
        datetime(2025, 9, 1, 9, 0),
    )
    at = open_page(PAGE, unit.id, lang="en")
    [(svg, alt)] = _pictures(at)
    assert svg.count("<rect") > 16
    assert "by 2 assessments from 2025-03-01 to 2025-09-01" in alt
    assert "Latest: 1 Making it happen, 1 On the way, 0 Not started and 6 not assessed" in alt
    table = at.table[-1].value
    assert list(table.columns) == ["Area", "2025-03-01 09:00", "2025-09-01 09:00"]
    assert list(table.iloc[0]) == [
        "1. Learning organisation",
        "○ Not started",
        "✓ Making it happen",
    ]
    at.selectbox(key="asm_del").set_value(first.id)
    at.button(key="asm_del_button").click().run()
    assert "Tick the box" in at.warning[0].value
    assert len(store.assessments.of_unit(unit.id)) == 2
    at.checkbox(key="asm_del_confirm").check()
    at.button(key="asm_del_button").click().run()
    assert [a.comment for a in store.assessments.of_unit(unit.id)] == ["Andra"]
    assert "has been deleted" in at.success[0].value


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_text_of_the_model_is_reachable_from_the_page(
    open_page: Callable[..., AppTest], store: Lartrappan, lang: str
) -> None:
    """Open every area, choose each level in turn: every text of data/assessment.yaml shows
    (each feedback under its level), and each text's source is marked."""
    unit = store.units.create(Actor(""), "Skola")
    at = open_page(PAGE, unit.id, lang=lang)
    shown = _texts(at)
    for level in LEVELS:
        for area in MODEL.areas:
            at.radio(key=f"asm_{unit.id}_level_{area.id}").set_value(level.value)
        at.run()
        assert not at.exception
        shown += "\n" + _texts(at)
    missing = [where for where, text in MODEL.texts() if text(lang) not in shown]  # type: ignore[arg-type]
    assert not missing, missing
    # ... and in its own language: the other language's text does not stand in for it.
    other = "en" if lang == "sv" else "sv"
    foreign = [
        where
        for where, text in MODEL.texts()
        if text(other) != text(lang) and text(other) in shown  # type: ignore[arg-type]
    ]
    assert not foreign, foreign
    source, own = (
        ("Källa: SKR/Adda", "Lärtrappans egen text")
        if lang == "sv"
        else ("Source: SKR/Adda", "Lärtrappan's own text")
    )
    assert source in shown and own in shown


def test_the_data_page_imports_assessments_all_or_nothing(
    open_page: Callable[..., AppTest], store: Lartrappan, tmp_path: Path
) -> None:
    source = Lartrappan(f"sqlite:///{tmp_path / 'source.db'}")
    unit = source.units.create(Actor(""), "Skola")
    source.assessments.save(
        Actor(""),
        unit.id,
        {A1: AreaAnswer("done", "Klar")},
        {"a2-trust": 2},
        {},
        "Anna",
        "=1+1",
        datetime(2025, 3, 1, 9, 0),
    )
    data = source.assessments.export_csv()
    source.close()
    store.units.create(Actor(""), "Befintlig")
    at = open_page("pages/data.py", None)
    assert "Ladda ner nulägesbedömningarna" not in [b.label for b in at.get("download_button")]
    at.session_state["data_asm"] = True  # the expander opened
    at.run()
    assert [b.label for b in at.get("download_button")][-1] == "Ladda ner nulägesbedömningarna"
    broken = data.replace(b",done,", b",klar,")
    at.file_uploader(key="data_asm_upload").set_value(("nulage.csv", broken, "text/csv"))
    at.session_state["data_asm"] = True
    at.run()
    at.session_state["data_asm"] = True
    at.button(key="data_asm_import").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "nulage.csv" in errors and "Rad 2, kolumn value" in errors
    assert [u.name for u in store.units.tree().ordered()] == ["Befintlig"]
    at.file_uploader(key="data_asm_upload").set_value(("nulage.csv", data, "text/csv"))
    at.session_state["data_asm"] = True
    at.run()
    at.session_state["data_asm"] = True
    at.button(key="data_asm_import").click().run()
    assert not at.exception
    assert "1 nya bedömningar" in at.success[0].value
    assert store.assessments.export_csv() == data
