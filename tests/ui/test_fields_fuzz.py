"""Property-based tests of every text field of every tab: whatever is typed, an answer or one clear message.

Each example opens the app on one tab and types a drawn sequence of texts into its fields (every
``Input`` of the tab, shown or not), submitting each as Enter would. Numbers in and far out of
range, NaN, paths to folders, devices and nowhere, pasted junk and any Unicode. A failure that is
not a user-fixable :class:`~seqtui_models.core.errors.SeqtuiError`, an "Internal error" dialog, a
crash or work that does not finish fails the test.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.message import Message
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed
from seqtui.widgets.dialogs import ErrorDialog
from seqtui_models.core.errors import SeqtuiError
from ui_helpers import run

TYPED = st.one_of(
    st.integers(-5, 40).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e9", "10000000000", "nan", "inf", "-inf", "0.5", "3.7", "1,000", "ten", "٣",
                     "/", "/proc", "/proc/self/mem", "/nonexistent/x.csv", "~/", "..", "/dev/zero", "x" * 5000,
                     "Dm7 G7 Cmaj7", "9/10/70", "king - man + woman", "i love you", "\t", "a,b,c", "🍕🍕", "\x1b[31m"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
)
FUZZ = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def fuzz_tab(tab: str, ready: Any, typed: list[tuple[int, str]], tmp_home: Path) -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab=tab)
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app)
            await asyncio.wait_for(settle(app), 120)
            fields = [f for f in app.query(Input) if _in_tab(f, tab)]
            assert fields, "no fields found"
            for index, text in typed:
                field = fields[index % len(fields)]
                if field.disabled:
                    continue
                field.value = text
                await pilot.pause()
                await field.action_submit()
                await pilot.pause()
                await asyncio.wait_for(settle(app), 120)
                for screen in app.screen_stack:
                    if isinstance(screen, ErrorDialog):
                        pytest.fail(f"a dialog after {text!r} in #{field.id}: {screen.title}: {screen.message}")
            bugs = [m.error for m in seen if isinstance(m, TaskFailed) and not isinstance(m.error, SeqtuiError)]
            assert not bugs, bugs
            for worker in list(app.workers):
                worker.cancel()
        assert not app.crash_report

    run(scenario())


async def settle(app: SeqtuiApp) -> None:
    """Wait for the running workers. One cancelled by a newer one (typing translates as you type)
    is normal; one that failed must have failed with a user-fixable error."""
    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass
        except WorkerFailed as failed:
            assert isinstance(failed.error, SeqtuiError), failed.error


def _in_tab(field: Input, tab: str) -> bool:
    return any(getattr(a, "id", None) == f"{tab}-tab" for a in field.ancestors)


async def _wait_tab(app: SeqtuiApp, name: str) -> None:
    cls = {"cells": "CellsTab", "dinos": "DinosTab", "vectors": "VectorsTab", "emojify": "EmojifyTab",
           "dates": "DatesTab", "jazz": "JazzTab"}[name]
    for _ in range(1200):
        found = [w for w in app.query("*") if type(w).__name__ == cls]
        if found:
            await asyncio.wait_for(found[0].wait_ready(), 180)
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the {name} tab never appeared")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files the fields write (models, exports) land in a temporary home."""
    monkeypatch.setenv("SEQTUI_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


steps = st.lists(st.tuples(st.integers(0, 50), TYPED), min_size=8, max_size=14)


@pytest.mark.parametrize("tab", ["cells", "dinos", "vectors", "emojify"])
def test_numpy_tab_fields(tab: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from seqtui.tabs.emojify import EmojifyTab

    monkeypatch.setattr(EmojifyTab, "LOAD_V2", False)

    @FUZZ
    @given(typed=steps)
    def check(typed: list[tuple[int, str]]) -> None:
        fuzz_tab(tab, lambda app: _wait_tab(app, tab), typed, home)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("tab", ["jazz", "dates"])
def test_tensorflow_tab_fields(tab: str, home: Path) -> None:
    @FUZZ
    @given(typed=steps)
    def check(typed: list[tuple[int, str]]) -> None:
        fuzz_tab(tab, lambda app: _wait_tab(app, tab), typed, home)

    check()
