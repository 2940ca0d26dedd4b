"""The Runs screen (F2): curves overlaid, load a run or a file, remember it across restarts, delete, resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import DataTable, Input, TabbedContent

from seqtui_models.core.runs import find_run, list_runs
from seqtui_models.core.training import Control
from seqtui_models.dinos import preset_config, train
from seqtui.app import SeqtuiApp
from seqtui.messages import TrainingFinished
from seqtui.tabs.dinos import DinosTab
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.loss_chart import LossChart
from seqtui.widgets.runs import RunsScreen
from ui_helpers import run, tab_ready, wait_until


def train_two_runs() -> list[str]:
    """Two short runs of the bundled names, different sizes, newest first."""
    ids = []
    for hidden in (8, 12):
        config = preset_config("fast", hidden=hidden, steps=30, eval_every=10, patience=0, sample_every=1000, seed=1)
        ids.append(train(config, control=Control()).metrics["run"])
    return [r.id for r in list_runs("dinos")]


async def open_runs(app: SeqtuiApp, pilot: Any) -> RunsScreen:
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(app.screen, RunsScreen) and app.screen.runs)
    await pilot.pause()
    assert isinstance(app.screen, RunsScreen)
    return app.screen


def test_compare_curves_load_a_run_and_reopen_with_it() -> None:
    ids = train_two_runs()

    async def first_session() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, DinosTab, settle=True)
            assert tab.model_source == "bundled"
            screen = await open_runs(app, pilot)
            table = screen.query_one("#runs-table", DataTable)
            assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == ids
            chart = screen.query_one(LossChart)
            assert len(chart.series_names) == 1  # the highlighted run's curve
            await pilot.press("space", "down")
            assert set(screen.compared) == {ids[0]}
            assert len(chart.series_names) == 2  # both curves, overlaid
            assert find_run(ids[1]).command in str(screen.query_one("#runs-detail").render())
            await pilot.press("enter")  # load the second run's model
            await wait_until(pilot, lambda: tab.model_source == ids[1])
            assert tab.model.hidden == find_run(ids[1]).config["hidden"]
            assert ids[1] in str(tab.query_one("#dinos-model").render())
            # the same run again: a model like the one in use (same cell, size, alphabet) replaces it
            first_model = tab.model
            await open_runs(app, pilot)
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: tab.model is not first_model)
            assert tab.model_source == ids[1] and not app.crash_report  # type: ignore[attr-defined]

    async def second_session() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, DinosTab, settle=True)
            assert tab.model_source == ids[1]  # the tab reopens with the model chosen last time
            assert tab.model.hidden == find_run(ids[1]).config["hidden"]

    run(first_session())
    run(second_session())


def test_a_deleted_remembered_run_falls_back_to_the_bundled_model() -> None:
    ids = train_two_runs()

    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, DinosTab, settle=True)
            screen = await open_runs(app, pilot)
            await pilot.press("enter")
            await wait_until(pilot, lambda: tab.model_source == ids[0])
            screen = await open_runs(app, pilot)
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("y")
            await wait_until(pilot, lambda: len(screen.runs) == 1)
            assert [r.id for r in list_runs("dinos")] == ids[1:]

        again = SeqtuiApp(tab="dinos")
        async with again.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, DinosTab, settle=True)
            assert tab.model_source == "bundled"  # its model is gone: back to the bundled one

    run(scenario())


def test_resume_a_run_in_the_training_panel(tmp_path: Path) -> None:
    ids = train_two_runs()

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(110, 36), message_hook=seen.append) as pilot:
            await tab_ready(pilot, DinosTab, settle=True)
            await open_runs(app, pilot)
            await pilot.press("r")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen), timeout=120)
            assert app.query_one("#dinos-views", TabbedContent).active == "view-train"
            result = next(m for m in seen if isinstance(m, TrainingFinished)).result
            resumed = find_run(result.metrics["run"])
            assert resumed.resumed_from == ids[0] and resumed.history[0][0] == 31

    run(scenario())


def test_a_model_file_by_path_and_a_screenshot(tmp_path: Path, seqtui_home: Path) -> None:
    ids = train_two_runs()
    copy = tmp_path / "mine.npz"
    copy.write_bytes((find_run(ids[1]).model_path or Path()).read_bytes())

    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, DinosTab, settle=True)
            screen = await open_runs(app, pilot)
            screen.query_one("#runs-path", Input).focus()
            screen.query_one("#runs-path", Input).value = str(tmp_path / "nothing.npz")
            await pilot.press("enter")
            assert isinstance(app.screen, RunsScreen)  # a missing file: said, and the screen stays
            screen.query_one("#runs-path", Input).value = str(copy)
            await pilot.press("enter")
            await wait_until(pilot, lambda: tab.model_source == "mine.npz")
            await pilot.press("f12")
            await pilot.pause()
            shots = list((seqtui_home / "screenshots").glob("dinos-*.svg"))
            assert len(shots) == 1 and shots[0].read_text(encoding="utf-8").lstrip().startswith("<svg")

    run(scenario())


def test_a_state_string_opens_the_tab_with_its_settings_and_f3_copies_the_tabs() -> None:
    from seqtui.state import AppState, decode_state
    from seqtui.tabs import TAB_IDS

    state = AppState("dinos", "view-train", {"dinos-preset": "course", "dinos-hidden": "40", "dinos-steps": "123"})

    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos", state=state)
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, DinosTab, settle=True)
            await wait_until(pilot, lambda: app.query_one("#dinos-views", TabbedContent).active == "view-train")
            assert app.query_one("#dinos-hidden", Input).value == "40"  # after the course preset filled it
            assert app.query_one("#dinos-steps", Input).value == "123"
            assert str(app.query_one("#dinos-preset").value) == "course"
            await pilot.press("f3")
            copied = decode_state(app.clipboard, tuple(TAB_IDS))
            assert copied.tab == "dinos" and copied.view == "view-train"
            assert copied.fields["dinos-hidden"] == "40" and copied.fields["dinos-preset"] == "course"
            assert tab.state() == copied

    run(scenario())


@pytest.mark.slow
@pytest.mark.parametrize("task", ["jazz", "dates"])
def test_the_keras_tabs_load_a_model_file_and_reopen_with_it(tmp_path: Path, task: str) -> None:
    import shutil

    from seqtui_models.core.paths import data_file
    from seqtui.tabs.dates import DatesTab
    from seqtui.tabs.jazz import JazzTab

    tab_type = {"jazz": JazzTab, "dates": DatesTab}[task]

    mine = tmp_path / f"mine-{task}.keras"
    shutil.copy(data_file(f"{task}.keras"), mine)

    async def first() -> None:
        app = SeqtuiApp(tab=task)
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, tab_type, settle=True)
            assert tab.model_source == "bundled"
            await pilot.press("f2")
            await wait_until(pilot, lambda: isinstance(app.screen, RunsScreen))
            app.screen.query_one("#runs-path", Input).focus()
            app.screen.query_one("#runs-path", Input).value = str(mine)
            await pilot.press("enter")
            await wait_until(pilot, lambda: tab.model_source == mine.name, timeout=120)
            assert mine.name in str(tab.query_one(f"#{task}-model").render())

    async def second() -> None:
        app = SeqtuiApp(tab=task)
        async with app.run_test(size=(110, 36)) as pilot:
            tab = await tab_ready(pilot, tab_type, settle=True)
            assert tab.model_source == mine.name  # reopened with the file chosen last time

    run(first())
    run(second())
