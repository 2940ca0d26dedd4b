"""The tabs of seqtui, one per task, in the course's order.

This module imports no Textual, so the CLI can read the tab ids cheaply.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget


@dataclass(frozen=True)
class TabSpec:
    """A tab of the app.

    Attributes:
        id: The pane id and the CLI task name.
        title: What the tab strip shows.
        widget: ``"module:Class"`` of the tab's widget, imported when the tab is first opened.
        key: The number key that opens it: the exercise's place in the course (1–6), fixed
            whichever tabs are shipped, so a key never changes meaning.
    """

    id: str
    title: str
    widget: str
    key: str

    def load(self) -> type[Widget]:
        """Import and return the tab's widget class."""
        module, _, name = self.widget.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


# A tab is listed here only once it works end to end.
TABS: tuple[TabSpec, ...] = (
    TabSpec("cells", "1 Cells", "seqtui.tabs.cells:CellsTab", "1"),
    TabSpec("dinos", "2 Dinos", "seqtui.tabs.dinos:DinosTab", "2"),
    TabSpec("jazz", "3 Jazz", "seqtui.tabs.jazz:JazzTab", "3"),
    TabSpec("vectors", "4 Vectors", "seqtui.tabs.vectors:VectorsTab", "4"),
    TabSpec("emojify", "5 Emojify", "seqtui.tabs.emojify:EmojifyTab", "5"),
    TabSpec("dates", "6 Dates", "seqtui.tabs.dates:DatesTab", "6"),
)

TAB_IDS: tuple[str, ...] = tuple(spec.id for spec in TABS)
