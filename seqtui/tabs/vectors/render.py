"""Provides what the vectors views draw alike: coloured bars, result tables, form controls, notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select

from seqtui import text

if TYPE_CHECKING:
    from seqtui_models.vectors import Neighbour

BAR = 12
"""Cells of a bar in a table (each half of a signed bar)."""
POSITIVE, NEGATIVE = "yellow", "cyan"


def signed_bar(value: float, width: int = BAR, scale: float = 1.0) -> Text:
    """A bar for a value in [−scale, scale]: left of the centre line when negative, right when positive."""
    left, right = text.signed_bar(value, scale=scale, width=width)
    return Text.assemble((left, NEGATIVE), ("│", "dim"), (right, POSITIVE))


def bar(value: float, width: int = BAR) -> Text:
    """A bar for a value in [0, 1], in eighths of a cell."""
    return Text(text.bar(value, width), style=POSITIVE)


def word_input(value: str, id: str, placeholder: str = "", **kwargs: Any) -> Input:
    """A compact one-line field."""
    return Input(value, placeholder=placeholder, id=id, compact=True, **kwargs)


def labelled(label: str, widget: Widget, size: str = "") -> Horizontal:
    """A "label control" pair of a form; ``size`` "wide" takes the room left, "short" fits a number.

    Its own classes (not the sidebars' ``field``), so the app's sidebar rules leave it alone.
    """
    return Horizontal(Label(label, classes="vectors-label"), widget, classes=f"vectors-field {size}".rstrip())


def choices(options: Sequence[str], id: str) -> Select[str]:
    """A compact Select of ``options``, the first chosen."""
    return Select([(o, o) for o in options], value=options[0], allow_blank=False, id=id, compact=True)


def results_table(id: str, columns: Sequence[tuple[str, int]]) -> DataTable[Any]:
    """A table of results, one row per word (enter on a row selects it)."""
    table: DataTable[Any] = DataTable(id=id, cursor_type="row", zebra_stripes=True, classes="vectors-table")
    for label, width in columns:
        table.add_column(label, width=width)
    return table


def restriction_state(restricted: bool) -> Text:
    """The settings line of the views whose answers may be input words."""
    state = (
        Text.assemble(("input words excluded", "bold"), (" (as in gensim and the course)", "dim"))
        if restricted
        else Text.assemble(("unrestricted", "bold reverse"), (" input words may be answers (Nissim et al. 2020)", "dim"))
    )
    return Text.assemble(state, ("  ctrl+r toggles", "dim"))


def restriction_note(restricted: bool, hidden: Sequence[Neighbour]) -> Text:
    """What a restricted search hid: the input words that would have come first, if any."""
    if hidden:
        words = ", ".join(f"'{n.word}' ({n.score:.4f})" for n in hidden)
        return Text.assemble(
            ("Restricted: ", "bold"), f"unrestricted, {words} would come first — ",
            ("ctrl+r", "bold"), " shows it (Nissim et al. 2020).",
        )
    if restricted:
        return Text("Restricted, yet no input word beats the answer: nothing is hidden.", style="dim")
    return Text("Unrestricted: input words may be answers.", style="dim")


def ranked_rows(table: DataTable[Any], ranking: Sequence[Neighbour], inputs: frozenset[str] = frozenset()) -> None:
    """Fill ``table`` (#, word, score, bar, note) with a ranking; input words are marked."""
    table.clear()
    for rank, n in enumerate(ranking, 1):
        is_input = n.word in inputs
        word = Text(n.word, style="bold red" if is_input else "bold" if rank == 1 else "")
        note = Text("an input word", style="bold red") if is_input else ""
        table.add_row(str(rank), word, f"{n.score:.4f}", bar(n.score), note)
