"""Units and practices page: create under a parent, rename, archive, own practices."""

from staircase.services import Actor, Lartrappan

PAGE = "pages/units.py"


def test_create_a_unit_under_a_parent(open_page, store: Lartrappan):
    parent = store.units.create(Actor(""), "Norrby kommun")
    at = open_page(PAGE, parent.id)
    at.text_input(key="units_new_name").set_value("Vård och omsorg")
    at.selectbox(key="units_new_parent").set_value(parent.id)
    at.button(key="FormSubmitter:units_new_form-Skapa enhet").click().run()
    tree = store.units.tree()
    child = tree.find(["Norrby kommun", "Vård och omsorg"])
    assert child is not None and tree.units[child].parent_id == parent.id
    assert "Vård och omsorg" in at.success[0].value
    # The rerun after the write shows the new unit in the picker and the table (no stale tree).
    assert any(o.startswith("Vård och omsorg") for o in at.sidebar.selectbox(key="unit").options)
    assert at.dataframe[0].value.iloc[:, 0].str.endswith("Vård och omsorg").any()


def test_duplicate_sibling_name_is_refused_with_a_message(open_page, store: Lartrappan):
    parent = store.units.create(Actor(""), "Norrby kommun")
    store.units.create(Actor(""), "Skola", parent.id)
    at = open_page(PAGE, parent.id)
    at.text_input(key="units_new_name").set_value("skola")
    at.selectbox(key="units_new_parent").set_value(parent.id)
    at.button(key="FormSubmitter:units_new_form-Skapa enhet").click().run()
    assert "finns redan en enhet" in at.error[0].value
    assert len(store.units.tree().units) == 2


def test_rename_and_archive(open_page, store: Lartrappan):
    root = store.units.create(Actor(""), "Norrby kommun")
    unit = store.units.create(Actor(""), "Gamla namnet", root.id)
    other = store.units.create(Actor(""), "Annan", root.id)
    at = open_page(PAGE, other.id)
    at.selectbox(key="units_ren_id").set_value(unit.id)
    at.text_input(key="units_ren_name").set_value("Nya namnet")
    at.button(key="FormSubmitter:units_rename_form-Byt namn").click().run()
    assert store.units.tree().units[unit.id].name == "Nya namnet"
    at.selectbox(key="units_arch_id").set_value(unit.id)
    at.button(key="FormSubmitter:units_archive_form-Arkivera eller återställ").click().run()
    assert store.units.tree().units[unit.id].archived
    assert unit.id not in [u.id for u in store.units.tree().ordered()]
    assert "arkiverad" in at.success[0].value


def test_add_an_own_practice_and_it_appears_in_the_checklist(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Hemtjänst")
    at = open_page(PAGE, unit.id)
    at.selectbox(key="units_pr_step").set_value(2)
    at.text_input(key="units_pr_tsv").set_value("Reflektion på varje APT")
    at.multiselect(key="units_pr_dims").set_value(["people"])
    at.button(key="FormSubmitter:units_practice_form-Lägg till arbetssätt").click().run()
    own = [p for p in store.practices.catalogue().practices if p.custom]
    assert [(p.step, p.title.sv) for p in own] == [(2, "Reflektion på varje APT")]
    checklist = open_page("pages/checklist.py", unit.id)
    assert len(checklist.main.segmented_control) == 11


def test_own_practice_needs_a_title(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Hemtjänst")
    at = open_page(PAGE, unit.id)
    at.multiselect(key="units_pr_dims").set_value(["people"])
    at.button(key="FormSubmitter:units_practice_form-Lägg till arbetssätt").click().run()
    assert "rubrik på svenska" in at.error[0].value
    assert not [p for p in store.practices.catalogue().practices if p.custom]


def test_the_page_lists_only_the_chosen_organisations_units(open_page, store: Lartrappan):
    """At national scale the lists must not hold every unit of every organisation."""
    norrby = store.units.create(Actor(""), "Norrby kommun")
    school = store.units.create(Actor(""), "Björkskolan", norrby.id)
    soderby = store.units.create(Actor(""), "Söderby kommun")
    store.units.create(Actor(""), "Hamnskolan", soderby.id)
    at = open_page(PAGE, school.id)
    listed = list(at.dataframe[0].value.iloc[:, 0])
    assert listed == ["Norrby kommun", "Norrby kommun > Björkskolan"]
    assert at.selectbox(key="units_ren_id").options == [
        "Norrby kommun",
        "Norrby kommun > Björkskolan",
    ]
    # The sidebar offers both organisations; choosing the other lists its units instead.
    at.sidebar.selectbox(key="organisation").set_value(soderby.id).run()
    listed = list(at.dataframe[0].value.iloc[:, 0])
    assert listed == ["Söderby kommun", "Söderby kommun > Hamnskolan"]
    assert at.sidebar.selectbox(key="unit").value == soderby.id
