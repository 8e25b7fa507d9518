"""Units and practices: create, rename, archive units; add the organisation's own practices."""

import streamlit as st

from staircase.domain.model import STEPS, Dimension, ValidationError
from staircase.domain.rules import NAME_MAX, TITLE_MAX
from staircase.ui.context import (
    actor,
    current_organisation,
    get_core,
    lang,
    show_problems,
    tr,
    unit_tree,
)
from staircase.ui.widgets import flash, show_flash
from staircase.views.tables import custom_practice_table, units_table

core = get_core()
tree = unit_tree(core)
# The organisation chosen in the sidebar: lists stay short however many units the database has.
organisation = current_organisation(tree)
active = [u.id for u in tree.ordered(under=organisation)] if organisation is not None else []
everyone = tree.archive_choices(organisation)

st.title(tr("units.title"))
show_flash()
if organisation is not None:
    st.dataframe(units_table(tree, lang(), organisation), hide_index=True, key="units_table")

new, rename, archive, practices = st.tabs(
    [
        tr("units.tab_new"),
        tr("units.tab_rename"),
        tr("units.tab_archive"),
        tr("units.tab_practices"),
    ]
)

with new, st.form("units_new_form"):
    name = st.text_input(tr("units.name"), max_chars=NAME_MAX, key="units_new_name")
    parent = st.selectbox(
        tr("units.parent"),
        [None, *active],
        format_func=lambda i: tr("units.no_parent") if i is None else tree.label(i),
        key="units_new_parent",
    )
    if st.form_submit_button(tr("units.create"), type="primary"):
        try:
            created = core.units.create(actor(), name, parent)
            st.session_state.pop("units_new_name", None)
            flash(tr("units.created", name=created.name))
            st.rerun()
        except ValidationError as error:
            show_problems(error)

with rename, st.form("units_rename_form"):
    target = st.selectbox(tr("units.which"), active, format_func=tree.label, key="units_ren_id")
    new_name = st.text_input(tr("units.new_name"), max_chars=NAME_MAX, key="units_ren_name")
    if st.form_submit_button(tr("units.rename"), type="primary"):
        try:
            core.units.rename(actor(), target, new_name)
            flash(tr("units.renamed", name=new_name.strip()))
            st.rerun()
        except ValidationError as error:
            show_problems(error)

with archive, st.form("units_archive_form"):
    st.caption(tr("units.archive_help"))
    target = st.selectbox(
        tr("units.which"),
        everyone,
        format_func=lambda i: (
            tree.label(i) + (f" ({tr('units.archived')})" if tree.units[i].archived else "")
        ),
        key="units_arch_id",
    )
    if st.form_submit_button(tr("units.archive_or_restore")):
        archiving = not tree.units[target].archived
        try:
            core.units.set_archived(actor(), target, archiving)
            flash(tr("units.archived_done" if archiving else "units.restored_done"))
            st.rerun()
        except ValidationError as error:
            show_problems(error)

with practices:
    st.caption(tr("units.practices_help"))
    catalogue = core.practices.catalogue(actor=actor())
    own = [p for p in catalogue.practices if p.custom]
    if own:
        st.dataframe(custom_practice_table(own, lang()), hide_index=True, key="units_own")
    with st.form("units_practice_form"):
        step = st.selectbox(
            tr("units.practice_step"),
            STEPS,
            format_func=lambda s: f"{s}. {catalogue.step(s).title(lang())}",
            key="units_pr_step",
        )
        sv_col, en_col = st.columns(2)
        title_sv = sv_col.text_input(tr("units.title_sv"), max_chars=TITLE_MAX, key="units_pr_tsv")
        title_en = en_col.text_input(tr("units.title_en"), max_chars=TITLE_MAX, key="units_pr_ten")
        text_sv = sv_col.text_area(tr("units.description_sv"), key="units_pr_dsv")
        text_en = en_col.text_area(tr("units.description_en"), key="units_pr_den")
        dimensions = st.multiselect(
            tr("units.dimensions"),
            [d.value for d in Dimension],
            format_func=lambda d: tr(f"dimension.{d}"),
            key="units_pr_dims",
        )
        if st.form_submit_button(tr("units.add_practice"), type="primary"):
            try:
                added = core.practices.add(
                    actor(), step, title_sv, title_en, text_sv, text_en, dimensions
                )
                for key in ("units_pr_tsv", "units_pr_ten", "units_pr_dsv", "units_pr_den"):
                    st.session_state.pop(key, None)
                flash(tr("units.practice_added", title=added.title(lang())))
                st.rerun()
            except ValidationError as error:
                show_problems(error)
    if own:
        with st.form("units_practice_archive_form"):
            retired = st.selectbox(
                tr("units.retire_which"),
                [p.id for p in own],
                format_func=lambda pid: catalogue.practice(pid).title(lang()),
                key="units_pr_retire",
            )
            if st.form_submit_button(tr("units.retire")):
                try:
                    core.practices.archive(actor(), retired)
                    flash(tr("units.retired"))
                    st.rerun()
                except ValidationError as error:
                    show_problems(error)
