"""DeferredImport: an indicator while modules import, then the content; a clear failure otherwise."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Label, LoadingIndicator

from seqtui.messages import TaskFailed
from seqtui.widgets.loading import DeferredImport, importing


class Host(App[None]):
    def __init__(self, modules: list[str]) -> None:
        super().__init__()
        self.modules = modules

    def compose(self) -> ComposeResult:
        yield DeferredImport(importing(*self.modules), lambda: Label("ready", id="content"), "a slow module")


def test_indicator_then_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "seqtui_slow_module.py").write_text(textwrap.dedent("""
        import time
        time.sleep(1.5)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))

    async def scenario() -> None:
        seen: list[Message] = []
        app = Host(["seqtui_slow_module"])
        async with app.run_test(message_hook=seen.append) as pilot:
            await pilot.pause(0.1)
            assert app.query(LoadingIndicator) and not app.query("#content")
            for _ in range(200):
                await pilot.pause(0.05)
                if any(isinstance(m, DeferredImport.Loaded) for m in seen):
                    break  # posted just after the content is mounted
            assert app.query_one("#content", Label)
            assert not app.query(LoadingIndicator)
            loaded = [m for m in seen if isinstance(m, DeferredImport.Loaded)]
            assert loaded and loaded[0].seconds >= 1.4

    asyncio.run(scenario())
    sys.modules.pop("seqtui_slow_module", None)


def test_a_failed_import_is_reported() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = Host(["seqtui_no_such_module_anywhere"])
        async with app.run_test(message_hook=seen.append) as pilot:
            for _ in range(50):
                await pilot.pause(0.05)
                if any(isinstance(m, TaskFailed) for m in seen):
                    break
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[0].error, ModuleNotFoundError)
            text = str(app.query_one(".loading Label", Label).render())
            assert "could not be loaded" in text and not app.query("#content")

    asyncio.run(scenario())
