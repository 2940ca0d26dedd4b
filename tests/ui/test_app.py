"""The app driven by keyboard through Textual's Pilot."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from textual.message import Message
from textual.widgets import Button, DataTable, Input, TabbedContent

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import Progress, RunResult
from seqtui.app import SeqtuiApp
from seqtui.messages import TaskFailed, TrainingFinished, TrainingProgressed
from seqtui.tabs import TAB_IDS, TABS
from seqtui.tabs.cells import CellsTab
from seqtui.widgets.dialogs import ErrorDialog, HelpScreen
from seqtui.widgets.heatmap import Heatmap
from seqtui.widgets.training_panel import TrainingPanel
from ui_helpers import record_notifications, run, wait_until


async def cells_ready(app: SeqtuiApp) -> CellsTab:
    """Wait until the app's first tab (cells) has its views and its first run drawn."""
    await app.workers.wait_for_complete()
    tab = app.query_one(CellsTab)
    await tab.wait_ready()
    return tab


def test_app_starts_on_cells_without_heavy_imports() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await cells_ready(app)
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "cells"
            assert isinstance(app.focused, object) and app.focused is not None
            assert app.focused.id == "run"  # keys of the tab work at once
            for heavy in ("tensorflow", "keras", "music21"):
                assert heavy not in sys.modules or "pytest" in sys.modules  # see the subprocess test

    run(scenario())


def test_every_pane_is_reachable_by_keyboard() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            tabs = app.query_one("#tabs", TabbedContent)
            for spec in TABS:
                await pilot.press("escape")  # a tab may have focused its text field: leave it first
                await pilot.press(spec.key)
                assert tabs.active == spec.id
                assert spec.title.startswith(spec.key)  # the strip shows the key
            await pilot.press("ctrl+pagedown")
            assert tabs.active == TAB_IDS[(len(TAB_IDS) - 1 + 1) % len(TAB_IDS)]

    run(scenario())


def test_help_screen_opens_and_closes() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            assert "LSTM cell" in app.screen.markdown and "Γf" in app.screen.markdown
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)

    run(scenario())


def test_run_and_step_through_time() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await cells_ready(app)
            await pilot.pause()
            tab = app.query_one(CellsTab)
            assert tab.run_data is not None and tab.run_data.cell == "lstm"
            shapes = app.query_one("#shapes", DataTable)
            names = [shapes.get_row_at(i)[0] for i in range(shapes.row_count)]
            assert {"x", "a", "c", "dWf", "gate f"} <= set(names)
            step_map = app.query_one("#map-step", Heatmap)
            first = step_map.values.copy()
            assert first.shape == (5, 6)  # n_a units × (a, c, f, i, c~, o)
            await pilot.press("right")
            assert tab.t == 1
            assert not (step_map.values == first).all()  # the heatmap shows the new step
            await pilot.press("left", "left")
            assert tab.t == 0  # clamped at the first step
            await pilot.press("right_square_bracket")
            assert tab.t == 1

    run(scenario())


def test_switching_to_rnn_and_new_sizes() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await cells_ready(app)
            app.query_one("#cell").value = "rnn"
            n_a = app.query_one("#size-n_a", Input)
            n_a.value = "7"
            await pilot.press("r")
            await cells_ready(app)
            await pilot.pause()
            run_data = app.query_one(CellsTab).run_data
            assert run_data.cell == "rnn" and run_data.arrays["a"].shape == (7, 10, 7)
            assert app.query_one("#map-step", Heatmap).values.shape == (7, 1)

    run(scenario())


def test_gradient_check_from_the_keyboard() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await cells_ready(app)
            await pilot.press("g")
            await cells_ready(app)
            await pilot.pause()
            table = app.query_one("#check-table", DataTable)
            rows = [table.get_row_at(i) for i in range(table.row_count)]
            assert len(rows) == 15
            assert all("pass" in str(row[3]) for row in rows)
            assert app.query_one("#cells-views", TabbedContent).active == "view-check"

    run(scenario())


def test_bad_size_gives_a_notification_not_a_crash() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40), message_hook=seen.append, notifications=True) as pilot:
            notes = record_notifications(app)
            await cells_ready(app)
            app.query_one("#size-n_a", Input).value = "100000"
            await pilot.press("r")
            await cells_ready(app)
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and isinstance(failures[0].error, InvalidInput)
            assert "n_a must be between" in str(failures[0].error)
            assert any("n_a must be between" in note for note in notes)
            assert not isinstance(app.screen, ErrorDialog)
            # the tab still works afterwards
            app.query_one("#size-n_a", Input).value = "4"
            await pilot.press("r")
            await cells_ready(app)
            await pilot.pause()
            assert app.query_one(CellsTab).run_data.arrays["a"].shape[0] == 4
            # a negative seed is refused like any bad number (it was an "Internal error" dialog)
            for key in ("r", "g"):
                seen.clear()
                app.query_one("#size-seed", Input).value = "-1"
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
                failures = [m for m in seen if isinstance(m, TaskFailed)]
                assert failures and "seed" in str(failures[0].error) and "got -1" in str(failures[0].error)
                assert app.query_one("#size-seed", Input).has_class("-invalid")
                assert not isinstance(app.screen, ErrorDialog)

    run(scenario())


def test_train_pause_resume_stop_from_the_keyboard() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await cells_ready(app)
            app.query_one("#train-steps", Input).value = "1000000"
            panel = app.query_one(TrainingPanel)
            await pilot.press("t")
            assert app.query_one("#cells-views", TabbedContent).active == "view-train"
            await wait_until(pilot, lambda: any(isinstance(m, TrainingProgressed) for m in seen))
            assert panel.running
            await pilot.press("p")
            assert panel.paused
            await pilot.pause(0.5)
            count = sum(isinstance(m, TrainingProgressed) for m in seen)
            await pilot.pause(0.5)
            assert sum(isinstance(m, TrainingProgressed) for m in seen) <= count + 1  # nothing trains while paused
            await pilot.press("p")
            assert not panel.paused
            await wait_until(pilot, lambda: sum(isinstance(m, TrainingProgressed) for m in seen) > count + 1)
            await pilot.press("s")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen))
            await cells_ready(app)
            result: RunResult = next(m for m in seen if isinstance(m, TrainingFinished)).result
            assert result.status == "stopped" and 0 < result.steps < 1_000_000
            assert result.model_path and result.model_path.endswith(".npz")
            assert not panel.running
            progress: Progress = [m for m in seen if isinstance(m, TrainingProgressed)][-1].progress
            assert progress.loss > 0 and progress.total == 1_000_000

    run(scenario())


def test_t_on_the_focused_train_button_keeps_p_and_s_working() -> None:
    """The Train button is disabled while a run goes on: the focus moves to Pause, not out of the tab."""
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await cells_ready(app)
            app.query_one("#train-steps", Input).value = "1000000"
            await pilot.press("t")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingProgressed) for m in seen))
            await pilot.press("s")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen))
            await app.workers.wait_for_complete()
            panel = app.query_one(TrainingPanel)
            await wait_until(pilot, lambda: not panel.running)
            start = app.query_one("#train-start", Button)
            start.focus()
            await pilot.pause()
            seen.clear()
            await pilot.press("t")
            await wait_until(pilot, lambda: panel.running)
            assert app.focused is not None and panel in app.focused.ancestors_with_self
            await pilot.press("p")
            assert panel.paused
            await pilot.press("p")
            await pilot.press("s")
            await wait_until(pilot, lambda: any(isinstance(m, TrainingFinished) for m in seen))
            assert next(m for m in seen if isinstance(m, TrainingFinished)).result.status == "stopped"

    run(scenario())


def test_the_cells_train_form_sends_n_a_and_lr_and_fits_its_fields_to_the_task(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Select

    jobs: list[Any] = []
    monkeypatch.setattr(TrainingPanel, "start", lambda self, job: jobs.append(job))

    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            tab = app.query_one(CellsTab)
            await tab.wait_ready()
            tab.show_view("view-train")
            await pilot.pause()
            app.query_one("#train-hidden", Input).value = "12"
            app.query_one("#train-opt", Select).value = "sgd"
            await pilot.pause()
            assert app.query_one("#train-lr", Input).value == "0.3"  # SGD's default, not Adam's 0.01
            app.query_one("#train-task", Select).value = "parity"
            await pilot.pause()
            assert app.query_one("#train-k", Input).disabled  # parity has no delay
            app.query_one("#cell", Select).value = "rnn"
            await pilot.pause()
            assert tab.views.active == "view-train"  # changing the cell does not leave the view
            await pilot.press("t")
            await pilot.pause()
            config = jobs[-1].config
            assert (config.hidden, config.optimizer, config.lr, config.task, config.cell) == (12, "sgd", 0.3, "parity", "rnn")
            app.query_one("#train-lr", Input).value = "0.05"
            app.query_one("#train-opt", Select).value = "adam"
            await pilot.pause()
            assert app.query_one("#train-lr", Input).value == "0.05"  # typed by the user: kept
            app.query_one("#train-hidden", Input).value = "0"
            await pilot.press("t")
            await pilot.pause()
            assert len(jobs) == 1 and app.query_one("#train-hidden", Input).has_class("-invalid")

    run(scenario())


def test_q_on_a_dropdown_does_not_quit_but_ctrl_q_does() -> None:
    from textual.widgets import Select

    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await cells_ready(app)
            app.query_one("#cell", Select).focus()
            await pilot.pause()
            await pilot.press("e", "q", "u", "a", "l")  # a word list typed into a dropdown reached by tab
            await pilot.pause()
            assert app.is_running
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running

    run(scenario())


def test_the_same_notification_is_shown_once_and_never_more_than_three_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.app import App

    shown: list[str] = []  # what reaches Textual's notify since the last clear
    monkeypatch.setattr(App, "notify", lambda self, message, **kwargs: shown.append(message))
    monkeypatch.setattr(App, "clear_notifications", lambda self: shown.clear())

    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)):
            await app.workers.wait_for_complete()
            shown.clear()
            for _ in range(6):
                app.notify("Your file has 3 bad lines.", severity="warning")
            assert shown == ["Your file has 3 bad lines."]
            for i in range(5):
                app.notify(f"message {i}")
                assert len(shown) <= 3
            assert shown[-1] == "message 4"

    run(scenario())


def test_a_notification_is_plain_text_so_brackets_in_a_command_survive(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.app import App

    seen: list[tuple[str, bool]] = []
    monkeypatch.setattr(App, "notify", lambda self, message, **kwargs: seen.append((message, kwargs["markup"])))

    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)):
            app.query_one(CellsTab).notify("Playback needs the audio extra: pip install 'seqtui[audio]'.")
            assert seen[-1] == ("Playback needs the audio extra: pip install 'seqtui[audio]'.", False)

    run(scenario())


def test_bad_training_option_is_reported() -> None:
    async def scenario() -> None:
        seen: list[Message] = []
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await cells_ready(app)
            app.query_one("#train-k", Input).value = "0"
            await pilot.press("t")
            await pilot.pause()
            failures = [m for m in seen if isinstance(m, TaskFailed)]
            assert failures and "k must be between" in str(failures[0].error)
            assert not app.query_one(TrainingPanel).running

    run(scenario())


def test_an_internal_error_becomes_a_dialog_with_a_log(seqtui_home: Any) -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            app.post_message(TaskFailed(ZeroDivisionError("boom"), "testing"))
            await pilot.pause()
            assert isinstance(app.screen, ErrorDialog)
            assert "ZeroDivisionError: boom" in app.screen.message_text
            logs = list((seqtui_home / "logs").glob("crash-*.log"))
            assert logs and "ZeroDivisionError" in logs[0].read_text()
            await pilot.press("escape")
            assert not isinstance(app.screen, ErrorDialog)

    run(scenario())


@pytest.mark.parametrize("size, small", [((60, 20), True), ((80, 24), False)])
def test_too_small_terminal_says_so(size: tuple[int, int], small: bool) -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert app.has_class("-too-small") is small
            if small:
                text = str(app.query_one("#too-small").render())
                assert "needs at least 80×24" in text
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert not app.has_class("-too-small")

    run(scenario())


def test_tab_option_opens_that_tab() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="cells")
        async with app.run_test(size=(80, 24)):
            assert app.query_one("#tabs", TabbedContent).active == "cells"

    run(scenario())


def test_the_app_quits_when_its_terminal_is_gone() -> None:
    import os

    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            assert app._terminal_fd is None  # headless: nothing to watch
            read_end, write_end = os.pipe()  # a descriptor that is no (longer a) terminal
            try:
                app._terminal_fd = read_end
                app._check_terminal()
                await pilot.pause()
                assert app._exit  # quitting, as q would
            finally:
                os.close(read_end)
                os.close(write_end)

    run(scenario())


def test_an_unhandled_error_ends_the_app_with_one_line_and_a_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seqtui_home: Any
) -> None:
    import seqtui.app
    from seqtui.__main__ import open_app

    class BrokenApp(SeqtuiApp):
        def on_ready(self) -> None:
            raise ZeroDivisionError("boom")

        def run(self, *args: Any, **kwargs: Any) -> Any:
            return super().run(headless=True, size=(100, 30))

    monkeypatch.setattr(seqtui.app, "SeqtuiApp", BrokenApp)
    assert open_app(None) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("seqtui stopped on an internal error; details in ")
    assert "Traceback" not in err and "ZeroDivisionError" not in err
    logs = list((seqtui_home / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text() and "boom" in logs[0].read_text()


def test_q_during_a_training_run_asks_first() -> None:
    async def scenario() -> None:
        app = SeqtuiApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await app.query_one(CellsTab).wait_ready()
            panel = app.query_one(TrainingPanel)
            panel.running = True  # as while a run is going
            await pilot.press("escape", "q")
            await pilot.pause()
            from seqtui.widgets.dialogs import ConfirmDialog

            assert isinstance(app.screen, ConfirmDialog) and app.is_running
            await pilot.press("n")
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmDialog) and app.is_running
            panel.running = False
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running

    run(scenario())


def test_cells_escape_leaves_a_size_field_and_v_cycles_the_views() -> None:
    async def scenario() -> None:
        app = SeqtuiApp(tab="cells")
        async with app.run_test(size=(120, 40)) as pilot:
            tab = app.query_one(CellsTab)
            await app.workers.wait_for_complete()
            await tab.wait_ready()
            await pilot.pause()
            field = app.query_one("#size-n_a", Input)
            field.value = ""
            field.focus()
            await pilot.press("4", "q", "v")  # the field takes them (a number field drops letters): not keys
            assert app.is_running and field.value == "4"
            assert tab.views.active == "view-step"
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is app.query_one("#run")
            await pilot.press("v")
            await pilot.pause()
            assert tab.views.active == "view-check" and app.focused is app.query_one("#check-table")
            await pilot.press("2")
            await pilot.pause()
            assert app.query_one("#tabs", TabbedContent).active == "dinos"

    run(scenario())
