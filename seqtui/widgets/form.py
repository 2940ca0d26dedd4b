"""Provides the compact one-line form rows the tabs' sidebars are made of."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label


def field(label: str, widget: Widget, classes: str = "field") -> Horizontal:
    """A one-line "label  control" row (styled by the `.field` rules in app.tcss)."""
    return Horizontal(Label(label, classes="field-label"), widget, classes=classes)
