"""Provides VectorsView: what every view of the vectors tab shares (vectors, queries, errors)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Select, Static, TabPane
from textual.worker import Worker, WorkerState

from seqtui.messages import TaskFailed
from seqtui.tabs.vectors.render import restriction_state
from seqtui.text import shorten_runs
from seqtui_models.core.errors import InvalidInput, SeqtuiError

if TYPE_CHECKING:
    from seqtui_models.vectors import WordVectors


class InvalidField(InvalidInput):
    """A value typed in a field is wrong (an unknown word, a malformed expression …).

    Args:
        message: What is wrong and what to do (the backend's "did you mean …").
        field: The id of the Input it came from, to mark it.
        title: The notification's title.
    """

    def __init__(self, message: str, field: str, title: str | None = None) -> None:
        super().__init__(message, title)
        self.field = field


@contextmanager
def blame(field: str) -> Iterator[None]:
    """Turn the InvalidInput raised inside into an :class:`InvalidField` naming ``field``."""
    try:
        yield
    except InvalidField:
        raise
    except InvalidInput as exc:
        raise InvalidField(exc.message, field, exc.title) from exc


def running(worker: Worker[Any] | None) -> bool:
    """Whether ``worker`` is still to finish."""
    return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)


@dataclass
class Progressed(Message, bubble=False):
    """Cancellable work (a benchmark, a file being read) got further; a flood is coalesced."""

    progress: Any

    def can_replace(self, message: Message) -> bool:
        """A newer progress event supersedes this one."""
        return isinstance(message, Progressed)


@dataclass
class WordChosen(Message):
    """Enter on a word of a table: the tab shows that word's neighbours."""

    word: str


class VectorsView(TabPane):
    """A view of the vectors tab: a pane whose query runs on the vectors the tab hands down.

    The tab binds :attr:`wv`, :attr:`restricted` and :attr:`active_view` to its own. The view
    answers its example when first shown, and again when shown after the vectors (or, for
    :attr:`USES_RESTRICTED` views, the restriction) changed; enter in a field and ``ctrl+g``
    ask at once. Queries run in threads (:meth:`ask`); their results go to :meth:`answered`;
    an error marks the field at fault, replaces the hint, and goes to the app's one handler.
    """

    DEFAULT_CSS = """
    VectorsView {
        height: 1fr;
        margin: 1 1 0 1;  /* not padding: the app's TabPane rule sets that, and app rules win */
    }
    VectorsView .vectors-form {
        height: 1;
        & .op {
            width: auto;
            color: $text-muted;
        }
        & > Input {
            width: 12;
        }
        & > Select {
            width: 16;
        }
        & .vectors-field {
            width: auto;
            margin-right: 2;
        }
        & .vectors-field Input {
            width: 12;
        }
        & .vectors-field Select {
            width: 10;
        }
        & .vectors-field.wide {
            width: 1fr;
        }
        & .vectors-field.wide Input {
            width: 1fr;
        }
        & .vectors-field.short {
            width: 9;
            margin-left: 2;
        }
        & .vectors-field.short Input {
            width: 5;
        }
    }
    VectorsView .vectors-field {
        height: 1;
    }
    VectorsView .vectors-label {
        width: auto;
        margin-right: 1;
        color: $text-muted;
    }
    VectorsView .vectors-settings, VectorsView .vectors-status-line, VectorsView ProgressBar {
        height: 1;
    }
    VectorsView .vectors-hint {
        height: auto;
        max-height: 3;
        color: $text-muted;
        &.-error {
            color: $error;
            text-style: bold;
        }
    }
    VectorsView .vectors-result {
        height: auto;
        padding: 0 0 1 0;
    }
    VectorsView .vectors-note {
        height: auto;
    }
    VectorsView .vectors-table {
        height: 1fr;
        border: round $primary 40%;
        border-title-color: $text;
        &:focus {
            border: round $accent;
        }
    }
    """

    TITLE: ClassVar[str] = ""
    HINT: ClassVar[str] = ""
    """The line under the form: what to type. A query's error replaces it until the next answer."""
    AUTO: ClassVar[bool] = True
    """Whether the view answers by itself when shown (the benchmark and the file loader wait for a key)."""
    USES_RESTRICTED: ClassVar[bool] = False
    """Whether ctrl+r (input words excluded or not) changes this view's answers."""
    METHOD_SELECT: ClassVar[str] = ""
    """The Select that ctrl+t cycles through :attr:`METHODS` (empty: none)."""
    METHODS: ClassVar[tuple[str, ...]] = ()

    wv: reactive[WordVectors | None] = reactive(None, init=False)
    """The word vectors in use (the tab's); None while the default ones load."""
    restricted: reactive[bool] = reactive(True, init=False)
    """Input words are excluded from the answers (the tab's)."""
    active_view: reactive[str] = reactive("", init=False)
    """The id of the view in front (the tab's)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(self.TITLE, id=id)
        self._answered_for: tuple[Any, ...] | None = None
        self._answers: dict[str, Callable[[Any], None]] = {}
        self._cancellable: Worker[Any] | None = None

    @property
    def shown(self) -> bool:
        """Whether this view is in front."""
        return self.active_view == self.id

    def hint(self) -> Static:
        """The hint line under the form."""
        return self.query_one(".vectors-hint", Static)

    # -- answering ---------------------------------------------------------------------------

    def run_query(self) -> None:
        """Read the form and ask the view's question(s) (:meth:`ask`)."""

    def _answer_key(self) -> tuple[Any, ...]:
        return (self.wv, self.restricted) if self.USES_RESTRICTED else (self.wv,)

    def _answer_if_stale(self) -> None:
        if self.AUTO and self.shown and self.wv is not None and self._answer_key() != self._answered_for:
            self.run_query()

    def watch_wv(self, wv: WordVectors | None) -> None:
        self._answer_if_stale()

    def watch_restricted(self, restricted: bool) -> None:
        for line in self.query(".vectors-settings").results(Static):
            line.update(restriction_state(restricted))
        self._answer_if_stale()

    def watch_active_view(self) -> None:
        self._answer_if_stale()

    def ask(
        self, group: str, job: Callable[[WordVectors], Any], answer: Callable[[Any], None]
    ) -> Worker[Any] | None:
        """Run ``job(wv)`` in a thread (replacing the group's running one); ``answer`` gets its result.

        Before the vectors are loaded nothing runs (None): the view asks again once they are.
        """
        wv = self.wv
        if wv is None:
            return None
        self._answered_for = self._answer_key()
        return self.start(group, partial(job, wv), answer)

    def start(self, group: str, work: Callable[[], Any], answer: Callable[[Any], None]) -> Worker[Any]:
        """Run ``work()`` in a thread (replacing the group's running one); ``answer`` gets its result."""
        self._answers[group] = answer
        return self.run_worker(work, name=group, group=group, thread=True, exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show an answer, or the error at its field."""
        worker: Worker[Any] = event.worker
        if event.state == WorkerState.SUCCESS:
            self.clear_error()
            answer = self._answers.get(worker.group)
            if answer is not None:
                answer(worker.result)
        elif event.state == WorkerState.ERROR and worker.error is not None:
            self.failed(worker.error)
        elif event.state == WorkerState.CANCELLED:
            self.cancelled(worker.group)
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self.refresh_bindings()

    def cancelled(self, group: str) -> None:
        """A worker of ``group`` was cancelled (by escape, or by a newer query of its group)."""

    # -- errors ------------------------------------------------------------------------------

    def failed(self, error: BaseException) -> None:
        """Mark the field at fault, say what is wrong in the hint, and tell the app's handler (which
        notifies only what the hint could not say)."""
        if isinstance(error, InvalidField):
            for field in self.query(f"#{error.field}").results(Input):
                field.add_class("-invalid")
        shown = isinstance(error, SeqtuiError)
        if isinstance(error, SeqtuiError):
            hint = self.hint()
            hint.update(shorten_runs(error.message))
            hint.add_class("-error")
        self.post_message(TaskFailed(error, f"vectors {self.TITLE.lower()}", shown=shown))

    def clear_error(self) -> None:
        """Put the hint back and unmark the fields."""
        hint = self.hint()
        if hint.has_class("-error"):
            hint.remove_class("-error")
            hint.update(self.HINT)
        for field in self.query("Input.-invalid").results(Input):
            field.remove_class("-invalid")

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submitted(event.input.id or "")

    def submitted(self, field_id: str) -> None:
        """Enter in a field: ask the view's question (a view may ask only the part that field is for)."""
        self.run_query()

    # -- keys --------------------------------------------------------------------------------

    def cycle_method(self) -> None:
        """Choose the next method (ctrl+t); the Select's change asks again."""
        if not self.METHOD_SELECT:
            return
        select: Select[str] = self.query_one(self.METHOD_SELECT, Select)
        methods = self.METHODS
        select.value = methods[(methods.index(str(select.value)) + 1) % len(methods)]

    def start_cancellable(self, group: str, work: Callable[[], Any], answer: Callable[[Any], None]) -> None:
        """:meth:`start` work that escape cancels (a benchmark, a file being read)."""
        self._cancellable = self.start(group, work, answer)
        self.refresh_bindings()

    @property
    def busy(self) -> bool:
        """Whether cancellable work is going."""
        return running(self._cancellable)

    def cancel(self) -> bool:
        """Cancel the view's cancellable work; return whether there was any."""
        if self._cancellable is None or not self.busy:
            return False
        self._cancellable.cancel()
        return True
