"""Provides state strings: a tab's settings as one string to share, like TensorFlow Playground's URL hash.

``seqtui --state STRING`` opens the app on the tab, view and settings the string holds; F3 in a tab
shows its string and copies it to the clipboard; ``seqtui runs show`` gives a run's. The string is
``seqtui1:`` and the URL-safe base64 of compact JSON ``{"tab", "view", "fields", "settings"}``:
``fields`` maps a form field's id to its text, ``settings`` a tab's other settings (temperature,
top-k …) to their values. Nothing here imports Textual, so the CLI writes the same strings.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seqtui_models.core.errors import InvalidInput

PREFIX = "seqtui1:"
MAX_LENGTH = 4096
"""A longer string is refused before it is decoded."""


@dataclass(frozen=True)
class AppState:
    """Where the app opens and what its tab's settings are.

    Attributes:
        tab: The tab's id (``dinos``).
        view: The view's id in that tab (``view-train``), or empty.
        fields: Form field id → its text.
        settings: The tab's other settings (reactive attributes) → their values.
    """

    tab: str
    view: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)

    def encode(self) -> str:
        """The state string."""
        body = {"tab": self.tab, "view": self.view, "fields": dict(self.fields), "settings": dict(self.settings)}
        raw = json.dumps({k: v for k, v in body.items() if v}, separators=(",", ":"), ensure_ascii=False)
        return PREFIX + base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_state(text: str, tabs: tuple[str, ...]) -> AppState:
    """Read a state string (see the module docstring).

    Raises:
        InvalidInput: not a seqtui state string, damaged, or naming a tab that does not exist.
    """
    text = text.strip()
    if not text.startswith(PREFIX):
        raise InvalidInput(f"Not a seqtui state string (they start with {PREFIX!r}): copy it whole with F3 in a tab.")
    if len(text) > MAX_LENGTH:
        raise InvalidInput(f"A state string is at most {MAX_LENGTH:,} characters (got {len(text):,}).")
    payload = text[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
        body = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidInput("The state string is damaged (cut short or mistyped): copy it whole with F3 in a tab.") from None
    if not isinstance(body, dict) or body.get("tab") not in tabs:
        raise InvalidInput(f"The state string names no tab of seqtui (its tabs: {', '.join(tabs)}).")
    fields = body.get("fields") or {}
    settings = body.get("settings") or {}
    if not isinstance(fields, dict) or not isinstance(settings, dict) or not isinstance(body.get("view", ""), str):
        raise InvalidInput("The state string is damaged (its settings are not a table): copy it whole with F3 in a tab.")
    return AppState(str(body["tab"]), str(body.get("view", "")), {str(k): str(v) for k, v in fields.items()},
                    dict(settings))


# Each trainable tab's sidebar field for a training setting, so that a run's config becomes the
# state string of the tab that trains it (``seqtui runs show``).
TRAIN_FIELDS: dict[str, dict[str, str]] = {
    "dinos": {"preset": "dinos-preset", "cell": "dinos-cell", "hidden": "dinos-hidden", "steps": "dinos-steps",
              "names": "dinos-names"},
}


def run_state(task: str, config: Mapping[str, Any]) -> AppState:
    """The state that opens ``task``'s Train view with a run's settings in its form."""
    mapping = TRAIN_FIELDS.get(task, {})
    fields = {field_id: str(config[key]) for key, field_id in mapping.items() if config.get(key) is not None}
    return AppState(task, "view-train", fields)
