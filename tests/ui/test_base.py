"""TaskTab, the frame every tab shares: views, escape, ctrl+g, worker routing, fields, trained models."""

from __future__ import annotations

from typing import Any

import pytest
from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from ui_helpers import record_notifications, run, wait_until

from seqtui.messages import TaskFailed
from seqtui.tabs.base import TaskTab, View, handles
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import RunResult


class ToyTab(TaskTab):
    """Two views (a field with a table, and a training panel) and a worker."""

    TASK = "toy"
    VIEWS = (
        View("toy-view-a", "A", focus="#toy-field", rest="#toy-table", run="compute"),
        View("toy-view-train", "Train", focus="#toy-panel"),
    )

    def __init__(self) -> None:
        super().__init__(id="toy-tab")
        self.results: list[Any] = []
        self.errors: list[BaseException] = []
        self.model = "old"

    def compose(self) -> ComposeResult:
        with Horizontal():
            with TabbedContent(id="toy-views"):
                with TabPane("A", id="toy-view-a"):
                    yield Input(id="toy-field")
                    yield DataTable(id="toy-table")
                    yield Static("", id="toy-out")
                with TabPane("Train", id="toy-view-train"):
                    yield TrainingPanel(id="toy-panel")

    def on_mount(self) -> None:
        self.ready()

    def action_compute(self) -> None:
        self._compute(self.text("#toy-field"))

    @work(thread=True, exit_on_error=False, group="compute")
    def _compute(self, text: str) -> int:
        if text == "boom":
            raise InvalidInput("boom is not a number of mine")
        return len(text)

    @handles("compute")
    def _computed(self, length: int) -> None:
        self.results.append(length)

    @handles("compute", "error")
    def _compute_failed(self, error: BaseException) -> None:
        self.errors.append(error)


class ToyApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield ToyTab()

    def on_task_failed(self, message: TaskFailed) -> None:
        self.seen.append(message)


async def started(pilot: Any) -> ToyTab:
    tab = pilot.app.query_one(ToyTab)
    await tab.wait_ready()
    tab.focus_default()
    await pilot.pause()
    return tab


def test_views_cycle_and_each_gives_the_keyboard_to_its_widget() -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await started(pilot)
            assert app.focused is app.query_one("#toy-field")
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert tab.views.active == "toy-view-train" and tab.active_view == "toy-view-train"
            assert app.focused is app.query_one(TrainingPanel)
            await pilot.press("v")  # no field has the focus: v cycles too
            await pilot.pause()
            assert tab.views.active == "toy-view-a" and app.focused is app.query_one("#toy-field")
            await pilot.press("v")  # in a field, v is typed
            assert app.query_one("#toy-field", Input).value == "v"

    run(scenario())


def test_while_a_view_changes_the_keyboard_stays_in_the_tab_so_a_quick_key_is_not_lost() -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await started(pilot)
            tab.show_view("toy-view-train")
            # Before the new view's widget takes the focus, the view strip holds it (not nobody),
            # so a key typed in between still reaches the tab's bindings.
            assert app.focused is not None and tab in app.focused.ancestors
            await pilot.pause()
            assert app.focused is app.query_one(TrainingPanel)

    run(scenario())


def test_escape_leaves_a_field_for_the_views_results_so_letters_are_keys_again() -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await started(pilot)
            await pilot.press("t")  # typed into the field, not a training run
            assert app.query_one("#toy-field", Input).value == "t"
            assert not app.query_one(TrainingPanel).running
            await pilot.press("escape")
            assert app.focused is app.query_one("#toy-table")
            assert tab.check_action("train", ()) is True

    run(scenario())


def test_ctrl_g_runs_the_view_and_worker_outcomes_reach_their_handlers() -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await started(pilot)
            await pilot.press("a", "b", "c", "ctrl+g")
            await wait_until(pilot, lambda: tab.results == [3])
            app.query_one("#toy-field", Input).value = "boom"
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: tab.errors and app.seen)
            assert "boom is not a number" in str(tab.errors[0])
            assert isinstance(app.seen[0], TaskFailed) and app.seen[0].source == "compute"
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert tab.check_action("run_view", ()) is False  # the Train view runs nothing

    run(scenario())


def test_a_bad_number_names_the_field_and_marks_it() -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30)) as pilot:
            tab = await started(pilot)
            field = app.query_one("#toy-field", Input)
            field.value = "0"
            with pytest.raises(InvalidInput, match="steps must be a whole number ≥ 1"):
                tab.number("#toy-field", "steps", low=1)
            assert field.has_class("-invalid")
            field.value = "12"
            assert tab.number("#toy-field", "steps", low=1) == 12 and not field.has_class("-invalid")

    run(scenario())


@pytest.mark.parametrize("new, answer, adopted", [(0.9, None, True), (0.5, "n", False), (0.5, "y", True)])
def test_a_trained_model_is_adopted_only_if_it_scores_as_well_or_the_user_says_so(
    new: float, answer: str | None, adopted: bool
) -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            tab = await started(pilot)
            notes = record_notifications(app)
            result = RunResult("finished", 10, 10, 1.0, 0.3, metrics={"accuracy": new}, model_path="/tmp/new.npz")

            def adopt() -> None:
                tab.model = "new"

            tab.offer_model(result, adopt=adopt, metric="accuracy", current=0.8, higher_is_better=True,
                            show=lambda v: f"{v:.0%}")
            await pilot.pause()
            if answer is None:
                assert not isinstance(app.screen, ConfirmDialog)
            else:
                assert isinstance(app.screen, ConfirmDialog) and "scores accuracy 50%" in app.screen.question
                await pilot.press(answer)
                await pilot.pause()
            assert (tab.model == "new") is adopted
            if answer == "n":
                assert any("Still using the current model (accuracy 80%)" in n for n in notes)

    run(scenario())


def test_a_run_that_learned_nothing_is_said_when_it_is_offered() -> None:
    async def scenario() -> None:
        app = ToyApp()
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            tab = await started(pilot)
            notes = record_notifications(app)
            result = RunResult("finished", 10, 10, 1.0, 0.3, metrics={"accuracy": 0.9, "warning": "It did not learn."})
            tab.offer_model(result, adopt=lambda: None, metric="accuracy", current=None, higher_is_better=True)
            await pilot.pause()
            assert notes == ["It did not learn."]

    run(scenario())
