"""Provides the dates tab (one widget per view: Translate, Evaluate; the Train view is the training panel)."""

from __future__ import annotations

from seqtui.tabs.dates.evaluate import EvaluateView
from seqtui.tabs.dates.tab import DatesTab
from seqtui.tabs.dates.translate import DateTyped, Fuzzed, TranslateView

__all__ = ["DateTyped", "DatesTab", "EvaluateView", "Fuzzed", "TranslateView"]
