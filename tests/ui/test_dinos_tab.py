"""The dinos tab driven by keyboard: sampling, beam search, looking inside, picking, training."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from seqtui_models import dinos
from seqtui_models.core.errors import DataFileError
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed, TrainingFinished, TrainingProgressed
from seqtui.tabs.dinos import DinosTab
from seqtui.widgets.training_panel import TrainingPanel
from ui_helpers import run, wait_until


async def ready(app: SeqtuiApp, pilot: Any) -> DinosTab:
    tab = app.query_one(DinosTab)
    await tab.wait_ready()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return tab


def rows(app: SeqtuiApp) -> list[list[Any]]:
    table = app.query_one("#dinos-names-table", DataTable)
    return [table.get_row_at(i) for i in range(table.row_count)]


def test_opens_with_names_from_the_bundled_model() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            assert tab.model is not None and "lstm" in tab.model.describe()
            names = rows(app)
            assert len(names) == 10
            assert all(str(row[3]) in ("train", "val", "new") for row in names)
            assert app.focused is app.query_one("#dinos-names-table")

    run(scenario())


def test_number_key_opens_the_tab_lazily() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert not app.query(DinosTab)  # not built at start-up
            await pilot.press("2")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "dinos"
            await ready(app, pilot)
            assert len(rows(app)) == 10

    run(scenario())


def test_beam_search_lists_the_most_probable_names_first() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("b")
            await app.workers.wait_for_complete()
            await pilot.pause()
            logps = [item.logprob for item in tab.names]
            assert logps == sorted(logps, reverse=True) and len(logps) == 10
            expected = dinos.beam_search(tab.model, 32, n=10)
            assert [item.name for item in tab.names] == [item.name for item in expected]

    run(scenario())


def test_temperature_and_top_k_keys() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            assert tab.temperature == 1.0 and tab.top_k == 0
            await pilot.press("comma", "comma")
            await pilot.press("right_square_bracket")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.temperature < 1.0 and tab.top_k == 1
            settings = str(app.query_one("#sample-settings", Static).render())
            assert f"{tab.temperature:.1f}" in settings and "top-k 1" in settings
            # top-k 1 is greedy decoding: every sample is the same single most probable name
            assert len({item.name for item in tab.names}) == 1
            await pilot.press("o")
            await app.workers.wait_for_complete()
            assert tab.new_only

    run(scenario())


def test_look_inside_matches_the_model() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("i")
            await pilot.pause()
            assert app.query_one("#dinos-views", TabbedContent).active == "view-inside"
            name = app.query_one("#dinos-inspect", Input).value
            assert name == tab.names[0].name
            view = dinos.inspect_name(tab.model, name, top_k=4)
            assert math.isclose(view.logprob, tab.names[0].logprob, rel_tol=1e-6, abs_tol=1e-6)
            assert tab.inspection == view
            console = Console(file=io.StringIO(), width=120)
            console.print(tab.inside_table)
            text = console.file.getvalue()
            assert name in text
            for step in view.steps:  # every character's probability is on screen
                assert f"{step.prob:.2f}" in text

    run(scenario())


def test_pick_the_next_character_yourself() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("v", "v")  # Sample → Inside → Pick
            assert app.query_one("#dinos-views", TabbedContent).active == "view-pick"
            options = app.query_one("#pick-options", OptionList)
            first = dinos.next_char_candidates(tab.model, "", top_k=1)[0].char
            await pilot.press("enter")
            assert tab.picked == first
            await pilot.press("down", "enter")
            second = dinos.next_char_candidates(tab.model, first, top_k=2)[1].char
            assert tab.picked == first + second
            await pilot.press("backspace")
            assert tab.picked == first
            assert options.option_count == 10

    run(scenario())


def test_train_and_stop_then_sample_from_the_new_model() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            tab = await ready(app, pilot)
            old = tab.model
            app.query_one("#dinos-steps", Input).value = "100000"
            await pilot.press("t")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingProgressed) and m.progress.metrics for m in seen))
            await pilot.press("s")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen))
            await app.workers.wait_for_complete()
            await pilot.pause()
            result = next(m for m in seen if isinstance(m, TrainingFinished)).result
            assert result.status == "stopped" and Path(result.model_path).is_file()
            assert tab.model is not old and tab.model.cell == "gru"
            assert not app.query_one(TrainingPanel).running

    run(scenario())


def test_a_bad_names_file_is_reported_not_trained(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")

    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await ready(app, pilot)
            app.query_one("#dinos-names", Input).value = str(empty)
            await pilot.press("t")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[0].error, DataFileError)
            assert not app.query_one(TrainingPanel).running

    run(scenario())


def test_more_and_fewer_names() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="dinos")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = await ready(app, pilot)
            await pilot.press("plus")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.count == 20 and len(rows(app)) == 20
            await pilot.press("minus", "minus")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert tab.count == 5 and len(rows(app)) == 5

    run(scenario())
