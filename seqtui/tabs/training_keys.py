"""Provides TrainingKeys: the train / pause / stop keys of a tab that has a TrainingPanel."""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget

from seqtui.widgets.training_panel import TrainingPanel

TRAINING_BINDINGS = [
    Binding("t", "train", "Train"),
    Binding("p", "pause", "Pause/Resume"),
    Binding("s", "stop", "Stop"),
    Binding("l", "toggle_log", "Log/linear", show=False),
]


class TrainingKeys(Widget):
    """A tab whose Train view holds one TrainingPanel.

    Subclasses add ``TRAINING_BINDINGS`` to their bindings and implement
    :meth:`show_training_view`; the footer then shows Train while idle and Pause/Stop while a
    run is going (the panel refreshes it when a run starts or ends, not on every event).
    """

    async def show_training_view(self) -> None:
        """Bring the view with the TrainingPanel to the front (waiting for it if needed)."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show Train while idle, and Pause/Stop while a run is going."""
        running = any(panel.running for panel in self.query(TrainingPanel))
        if action == "train":
            return not running
        if action in ("pause", "stop"):
            return running
        return True

    async def action_train(self) -> None:
        """Show the Train view and start a run (the panel asks the tab for the job)."""
        await self.show_training_view()
        self.query_one(TrainingPanel).action_start()

    def action_pause(self) -> None:
        """Pause or resume the run."""
        for panel in self.query(TrainingPanel):
            panel.action_pause()

    def action_stop(self) -> None:
        """Stop the run (its model is saved)."""
        for panel in self.query(TrainingPanel):
            panel.action_stop()

    def action_toggle_log(self) -> None:
        """Switch the loss chart between logarithmic and linear."""
        for panel in self.query(TrainingPanel):
            panel.action_toggle_log()
