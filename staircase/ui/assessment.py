"""The current-state assessment's widgets: the walk through the eight areas, saving, and
the unit's earlier assessments with their picture.

What is typed is kept per unit in the session (keys `asm_<unit>_…`), so switching unit
never carries one unit's answers into another's assessment.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from staircase.csv.format import CsvVariant
from staircase.csv.writer import export_filename
from staircase.domain.assessment import LEVELS, Area, AreaAnswer, AssessmentModel, SourcedText
from staircase.domain.model import Status, ValidationError
from staircase.domain.moments import format_moment, now, snapshot_moment
from staircase.domain.rules import NAME_MAX, NOTE_MAX
from staircase.domain.units import UnitTree
from staircase.i18n import status_label
from staircase.services import Lartrappan
from staircase.ui.context import actor, lang, md_escape, show_problems, tr, user_name
from staircase.ui.figures import figures_table, picture, summary
from staircase.ui.widgets import flash
from staircase.views import assessment as views


def _key(unit_id: int, *parts: str) -> str:
    return "_".join(("asm", str(unit_id), *parts))


def source_caption(*texts: SourcedText, after: str = "") -> str:
    """Where the texts above come from, discreetly: the source, Lärtrappan's own, or both;
    left out when it says what the caption `after` (the one shown last) said. Returns the
    caption's words."""
    sources = sorted({text.source for text in texts})
    words = " · ".join(tr(f"assessment.source_{s}") for s in sources)
    if words != after:
        st.caption(words)
    return words


def introduction(model: AssessmentModel) -> None:
    """The disclaimer (an aid for reflection, not a scientific method) and how to use it."""
    st.info(f"{model.disclaimer(lang())}\n\n{model.guide(lang())}", icon=":material/explore:")
    source_caption(model.disclaimer, model.guide)


def walk(model: AssessmentModel, unit_id: int) -> None:
    """Every area in turn, each in its own expander."""
    chosen = sum(1 for a in model.areas if st.session_state.get(_key(unit_id, "level", a.id)))
    st.progress(
        chosen / len(model.areas),
        text=tr("assessment.progress", chosen=chosen, total=len(model.areas)),
    )
    for number, area in enumerate(model.areas, start=1):
        level = st.session_state.get(_key(unit_id, "level", area.id))
        heading = tr("assessment.area_heading", n=number, title=area.title(lang()))
        if level:
            heading = tr("assessment.area_chosen", title=heading, level=status_label(level, lang()))
        # Keyed: it stays open while its label changes to show the level chosen in it.
        with st.expander(heading, expanded=number == 1, key=_key(unit_id, "area", area.id)):
            area_section(model, area, unit_id)


def area_section(model: AssessmentModel, area: Area, unit_id: int) -> None:
    """The introduction, the trait ratings (culture), the guiding questions, the three
    levels to choose from, and the feedback of the chosen one; then a note."""
    shown = lang()  # bound once: a format_func may be called outside the script's run
    st.markdown(area.intro(lang()))
    if area.example is not None:
        st.markdown(f"*{area.example(lang())}*")
    said = source_caption(area.intro, *([area.example] if area.example else []))
    if area.traits:
        st.markdown(f"**{tr('assessment.traits_title')}**")
        for trait in area.traits:
            st.radio(
                f"**{trait.name(lang())}** – {trait.statement(lang())}",
                options=model.scale_values,
                format_func=lambda v: f"{v} {model.scale_label(v)(shown)}",
                index=None,
                horizontal=True,
                key=_key(unit_id, "trait", trait.id),
            )
        st.caption(model.scale_note(lang()))
        # Always marked: the traits are the source's, their scale the product's own.
        traits = [*(t.name for t in area.traits), *(t.statement for t in area.traits)]
        said = source_caption(*traits, *(p.label for p in model.scale), model.scale_note)
    st.markdown(f"**{tr('assessment.questions_title')}**")
    for question in area.questions:
        st.text_area(
            question.text(lang()),
            key=_key(unit_id, "answer", question.id),
            max_chars=NOTE_MAX,
            height=68,
            placeholder=tr("assessment.answer_placeholder"),
        )
    said = source_caption(*(q.text for q in area.questions), after=said)
    level = st.radio(
        tr("assessment.level_title"),
        options=[s.value for s in LEVELS],
        format_func=lambda s: status_label(s, shown),
        captions=[area.levels[s].description(lang()) for s in LEVELS],
        index=None,
        key=_key(unit_id, "level", area.id),
    )
    said = source_caption(*(area.levels[s].description for s in LEVELS), after=said)
    if level:
        feedback = area.levels[Status(level)].feedback
        st.success(
            f"**{tr('assessment.feedback_title')}**\n\n{feedback(lang())}",
            icon=":material/lightbulb:",
        )
        source_caption(feedback, after=said)
    st.text_area(tr("assessment.note"), key=_key(unit_id, "note", area.id), max_chars=NOTE_MAX)


def _given(
    model: AssessmentModel, unit_id: int
) -> tuple[dict[str, AreaAnswer], dict[str, int], dict[str, str]]:
    """What the walk holds: the areas with a chosen level, the traits rated, the answers."""
    state: Any = st.session_state
    areas = {}
    for area in model.areas:
        level = state.get(_key(unit_id, "level", area.id))
        if level:
            areas[area.id] = AreaAnswer(level, state.get(_key(unit_id, "note", area.id)) or "")
    traits = {
        tid: int(state[_key(unit_id, "trait", tid)])
        for tid in model.traits
        if state.get(_key(unit_id, "trait", tid)) is not None
    }
    answers = {qid: str(state.get(_key(unit_id, "answer", qid)) or "") for qid in model.questions}
    return areas, traits, answers


def save_form(core: Lartrappan, model: AssessmentModel, unit_id: int) -> None:
    """Date (now by default; earlier for a paper assessment), who, a comment, and save."""
    with st.container(border=True):
        st.subheader(tr("assessment.save_title"))
        st.caption(tr("assessment.save_help"))
        day_col, time_col = st.columns(2)
        today = now().date()
        day = day_col.date_input(
            tr("assessment.date"), value=today, max_value=today, key=_key(unit_id, "day")
        )
        at = time_col.time_input(
            tr("assessment.time"),
            value=None,
            key=_key(unit_id, "time"),
            help=tr("assessment.time_help"),
        )
        if actor().signed_in:  # login mode: the name comes from the identity, not a field
            saved_by = user_name()
        else:
            saved_by = st.text_input(
                tr("assessment.saved_by"),
                value=user_name(),
                max_chars=NAME_MAX,
                key=_key(unit_id, "saved_by"),
            )
        comment = st.text_area(
            tr("assessment.comment"), key=_key(unit_id, "comment"), max_chars=NOTE_MAX, height=80
        )
        if not st.button(tr("assessment.save"), type="primary", key=_key(unit_id, "save")):
            return
    areas, traits, answers = _given(model, unit_id)
    try:
        chosen_day = day if isinstance(day, date) else today
        saved = core.assessments.save(
            actor(),
            unit_id,
            areas,
            traits,
            answers,
            saved_by,
            comment,
            snapshot_moment(chosen_day, at, today),
        )
    except ValidationError as error:
        show_problems(error)
        return
    # Only a saved assessment empties the walk; a refused one keeps what was typed.
    prefix = _key(unit_id, "")
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    flash(tr("assessment.saved", when=format_moment(saved.taken_at)))
    st.rerun()


def history(
    core: Lartrappan, model: AssessmentModel, unit_id: int, *, may_delete: bool = True
) -> None:
    """The unit's earlier assessments, the eight areas over time as a picture (with its
    text alternative) and its data as a table, and deleting one (when `may_delete`)."""
    st.header(tr("assessment.history_title"))
    heads = core.assessments.of_unit(unit_id, actor=actor())
    if not heads:
        st.info(tr("assessment.history_none"))
        return
    levels = core.assessments.history([unit_id], actor=actor())
    st.dataframe(views.assessments_table(heads, levels, lang()), hide_index=True, key="asm_history")
    # As every chart: its sentence beside it, the picture, its figures as a table.
    summary(views.levels_alt(levels, model, lang()))
    picture(views.levels_svg, views.levels_alt, levels, model, lang())
    figures_table(tr("chart.text.data"), views.levels_table(levels, model, lang()))
    by_id = {h.id: h for h in heads}

    def describe(assessment_id: int) -> str:
        head = by_id[assessment_id]
        who = f" · {head.saved_by}" if head.saved_by else ""
        return format_moment(head.taken_at) + who

    if not may_delete:
        return
    with st.expander(tr("assessment.delete_title")):
        target = st.selectbox(
            tr("assessment.delete_which"), list(by_id), format_func=describe, key="asm_del"
        )
        confirmed = st.checkbox(tr("assessment.delete_confirm"), key="asm_del_confirm")
        if st.button(tr("assessment.delete"), key="asm_del_button"):
            if not confirmed:
                st.warning(tr("assessment.delete_needs_confirm"))
                return
            try:
                core.assessments.delete(actor(), target)
            except ValidationError as error:
                show_problems(error)
                return
            st.session_state.pop("asm_del_confirm", None)
            flash(tr("assessment.deleted", when=describe(target)))
            st.rerun()


def transfer_section(
    core: Lartrappan,
    unit_ids: list[int] | None,
    variant: CsvVariant,
    scope_name: str,
    *,
    may_export: bool = True,
    may_import: bool = True,
) -> None:
    """The import and export page's block for assessments: download them for the chosen
    scope and layout (who may export), or import a file, all or nothing (who may edit)."""
    # An expander that runs only when opened: the page's first view stays as it was.
    section = st.expander(
        tr("data.assessments_title"),
        key="data_asm",
        on_change="rerun",
        icon=":material/assignment:",
    )
    if not section.open:
        return
    with section:
        _transfer(core, unit_ids, variant, scope_name, may_export, may_import)


def _transfer(
    core: Lartrappan,
    unit_ids: list[int] | None,
    variant: CsvVariant,
    scope_name: str,
    may_export: bool,
    may_import: bool,
) -> None:
    st.caption(tr("data.assessments_help"))
    who = actor()
    if may_export:
        st.download_button(
            tr("data.assessments_download"),
            data=lambda: core.assessments.export_csv(unit_ids, variant, lang(), actor=who),
            file_name=export_filename(f"{tr('acsv.file_prefix')} {scope_name}", variant),
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="data_asm_download",
        )
    if not may_import:
        return
    uploaded = st.file_uploader(
        tr("data.assessments_upload"), type=["csv", "txt"], key="data_asm_upload"
    )
    if uploaded is None or not st.button(tr("data.assessments_import"), key="data_asm_import"):
        return
    try:
        result = core.assessments.import_csv(actor(), uploaded.getvalue())
    except ValidationError as error:
        st.error(tr("data.rejected", name=md_escape(uploaded.name)))
        show_problems(error)
        return
    flash(
        tr(
            "data.assessments_done",
            units=result.units_created,
            assessments=result.assessments_created,
            skipped=result.assessments_skipped,
        )
    )
    st.rerun()


def organisation_section(core: Lartrappan, tree: UnitTree, unit_id: int) -> None:
    """On the organisation page: per area of Nuläge, how many units stand on each level by
    their latest assessment."""
    distribution = core.assessments.distribution(tree, unit_id, actor=actor())
    st.subheader(tr("assessment.org_title"))
    st.caption(
        tr(
            "assessment.org_help",
            assessed=distribution.assessed,
            expected=len(distribution.expected),
        )
    )
    if distribution.assessed:
        st.table(
            views.distribution_table(distribution, core.assessments.model, lang()),
            hide_index=True,
        )
