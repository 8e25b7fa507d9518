"""Import and export: snapshots as one tidy CSV, for Excel and other systems."""

import streamlit as st

from staircase.csv.checks import MAX_IMPORT_BYTES
from staircase.csv.format import CsvVariant
from staircase.domain.access import Right
from staircase.domain.model import ValidationError
from staircase.ui.assessment import transfer_section
from staircase.ui.context import (
    actor,
    current_unit,
    get_core,
    lang,
    md_escape,
    show_problems,
    tr,
    unit_tree,
)
from staircase.ui.download import export_download
from staircase.ui.widgets import flash, show_flash

core = get_core()
tree = unit_tree(core)
unit = current_unit(tree)
who = actor()

st.title(tr("data.title"))
show_flash()

may_export = who.access is None or who.access.has(Right.EXPORT)
may_import = who.access is None or who.access.has(Right.EDIT)
if may_export:
    st.header(tr("data.export_title"))
    st.caption(tr("data.export_help"))
    scopes = ["unit", "subtree", "all"] if unit is not None else ["all"]
    scope = st.segmented_control(
        tr("data.scope"),
        scopes,
        format_func=lambda s: tr(f"data.scope_{s}", unit=md_escape(unit.name) if unit else ""),
        default=scopes[0],
        required=True,
        key="data_scope",
    )
    variant = st.segmented_control(
        tr("data.variant"),
        list(CsvVariant),
        format_func=lambda v: tr(f"data.variant_{v}"),
        default=CsvVariant.PLAIN,
        required=True,
        key="data_variant",
    )
    export_download(core, tree, unit.id if unit else None, scope, CsvVariant(variant))
else:  # an editor imports only: the blocks below need no choice of scope or layout
    scope, variant = ("unit" if unit is not None else "all"), CsvVariant.PLAIN
unit_ids = tree.export_scope(unit.id if unit else None, scope)

uploaded = None
if may_import:
    st.header(tr("data.import_title"))
    st.caption(tr("data.import_help", max_mb=MAX_IMPORT_BYTES // (1024 * 1024)))
    uploaded = st.file_uploader(tr("data.upload"), type=["csv", "txt"], key="data_upload")
if uploaded is not None and st.button(tr("data.import"), type="primary", key="data_import"):
    try:
        result = core.transfer.import_csv(actor(), uploaded.getvalue())
    except ValidationError as error:
        st.error(tr("data.rejected", name=md_escape(uploaded.name)))
        show_problems(error)
    else:
        flash(
            tr(
                "data.imported",
                snapshots=result.snapshots_created,
                skipped=result.snapshots_skipped,
                units=result.units_created,
                practices=result.practices_created,
            )
        )
        st.rerun()

# In an expander that runs only when opened: the page's first view stays as it was.
plan_section = st.expander(
    tr("plan.data_title"), key="data_plan", on_change="rerun", icon=":material/flag:"
)
if plan_section.open:
    with plan_section:
        st.caption(tr("plan.data_help"))
        scope_label = unit.name if unit is not None and scope != "all" else tr("data.file_all")
        if may_export:
            st.download_button(
                tr("plan.data_download"),
                data=lambda: core.plans.export_csv(
                    unit_ids, CsvVariant(variant), lang(), actor=who
                ),
                file_name=core.plans.export_filename(scope_label, CsvVariant(variant), lang()),
                mime="text/csv",
                icon=":material/download:",
                on_click="ignore",
                key="data_plan_download",
            )
        plan_file = (
            st.file_uploader(tr("plan.data_upload"), type=["csv", "txt"], key="data_plan_upload")
            if may_import
            else None
        )
        if plan_file is not None and st.button(tr("plan.data_import"), key="data_plan_import"):
            try:
                plan_result = core.plans.import_csv(actor(), plan_file.getvalue())
            except ValidationError as error:
                st.error(tr("data.rejected", name=md_escape(plan_file.name)))
                show_problems(error)
            else:
                flash(
                    tr(
                        "plan.data_imported",
                        changed=plan_result.changed,
                        same=plan_result.unchanged,
                    )
                )
                st.rerun()

# Current-state assessments ("Nuläge"): the same scope and layout as the snapshots above.
name = unit.name if unit is not None and unit_ids is not None else tr("data.file_all")
transfer_section(
    core, unit_ids, CsvVariant(variant), name, may_export=may_export, may_import=may_import
)
