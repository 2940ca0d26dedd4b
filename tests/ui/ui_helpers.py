"""What the UI tests share: running a scenario, waiting for the app, typing, reading widgets."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Coroutine
from typing import Any

from rich.console import Console
from textual.app import App
from textual.widgets import Static


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run one async test scenario."""
    return asyncio.run(coro)


async def wait_until(pilot: Any, condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (fails the test after ``timeout`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await pilot.pause(0.05)


async def type_text(pilot: Any, text: str) -> None:
    """Type ``text`` key by key into the focused widget."""
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def text_of(app: App[Any], selector: str) -> str:
    """What a widget shows, as plain text (Rich renderables rendered 120 columns wide).

    Statics show their ``content``; other widgets (e.g. a Heatmap) their ``renderable``.
    """
    widget = app.query_one(selector)
    content = widget.content if isinstance(widget, Static) else widget.renderable  # type: ignore[attr-defined]
    if isinstance(content, str):
        return content
    console = Console(file=io.StringIO(), width=120)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def record_notifications(app: App[Any]) -> list[str]:
    """From now on, collect the text of every notification the app shows (newest last)."""
    seen: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return seen


async def tab_ready(pilot: Any, tab_type: type[Any], *, settle: bool = False) -> Any:
    """The tab of ``tab_type`` once it is built (TensorFlow tabs are built lazily) and ready;
    with ``settle``, also once its workers are done (its first answers are on screen)."""
    await wait_until(pilot, lambda: bool(pilot.app.query(tab_type)), timeout=120)
    tab = pilot.app.query_one(tab_type)
    await tab.wait_ready()
    if settle:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return tab
