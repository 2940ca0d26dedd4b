"""Provides the compact one-line form rows the tabs' sidebars are made of, and reading them."""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from seqtui.text import REQUIRED, NumberError, parse_number
from seqtui_models.core.errors import InvalidInput

__all__ = ["REQUIRED", "field", "read_number"]


def field(label: str, widget: Widget, classes: str = "field") -> Horizontal:
    """A one-line "label  control" row (styled by the `.field` rules in app.tcss)."""
    return Horizontal(Label(label, classes="field-label"), widget, classes=classes)


def read_number(text: str, name: str, kind: type[int] | type[float] = int, **limits: Any) -> Any:
    """The number typed in a form field: :func:`seqtui.text.parse_number` (its ``low``, ``high``
    and ``blank`` limits), with the problem as :class:`InvalidInput` for a notification.

    Raises:
        InvalidInput: not a number of that kind, not finite, or out of range.
    """
    try:
        return parse_number(text, name, kind, **limits)
    except NumberError as exc:
        raise InvalidInput(f"{exc}.") from None
