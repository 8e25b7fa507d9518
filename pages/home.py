"""The address "/": the chosen unit's own page, its roll-up when it has units under it,
else its checklist (see README, Links)."""

from staircase.ui.context import open_unit
from staircase.ui.widgets import chosen_unit

_, tree, unit = chosen_unit()
open_unit(tree, unit.id)
