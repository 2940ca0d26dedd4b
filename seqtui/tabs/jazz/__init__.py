"""Provides the jazz tab (one widget per view: Solo, Music, Train; the statistics renderers in ``stats``)."""

from __future__ import annotations

from seqtui.tabs.jazz.tab import JazzTab

__all__ = ["JazzTab"]
