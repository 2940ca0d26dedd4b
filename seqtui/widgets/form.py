"""Provides the compact one-line form rows the tabs' sidebars are made of."""

from __future__ import annotations

import math
from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from seqtui_models.core.errors import InvalidInput

REQUIRED: Any = object()
"""``blank=REQUIRED``: an empty field is an error, not a default."""


def field(label: str, widget: Widget, classes: str = "field") -> Horizontal:
    """A one-line "label  control" row (styled by the `.field` rules in app.tcss)."""
    return Horizontal(Label(label, classes="field-label"), widget, classes=classes)


def read_number(text: str, name: str, kind: type[int] | type[float] = int, *, blank: Any = REQUIRED) -> Any:
    """The number typed in a form field.

    Args:
        text: What the field holds.
        name: What the user calls it, for the message.
        kind: ``int`` (a whole number) or ``float`` (any finite number).
        blank: What an empty field means; by default it is an error.

    Raises:
        InvalidInput: not a number of that kind, or not finite.
    """
    text = text.strip()
    if not text and blank is not REQUIRED:
        return blank
    what = "a whole number" if kind is int else "a number"
    try:
        value = kind(text)
    except ValueError:
        raise InvalidInput(f"{name} must be {what} (got {text!r}).") from None
    if not math.isfinite(value):
        raise InvalidInput(f"{name} must be a finite number (got {text!r}).")
    return value
