"""Provides the vectors tab (one widget per view: similarity, analogy, neighbours, odd one out, bias, benchmark, files)."""

from __future__ import annotations

from seqtui.tabs.vectors.tab import VectorsTab
from seqtui.tabs.vectors.view import InvalidField, VectorsView

__all__ = ["InvalidField", "VectorsTab", "VectorsView"]
