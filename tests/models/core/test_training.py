"""The shared training protocol: progress, pause, resume, stop, spawned runs, Keras adapter."""

from __future__ import annotations

import os

import threading
import time
from dataclasses import dataclass

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import (
    Control, Progress, Reporter, RunResult, TrainingCrashed, TrainingJob, keras_callback, run_job,
)


@dataclass(frozen=True)
class CountConfig:
    steps: int = 50
    sleep: float = 0.0
    fail_at: int = -1
    crash_at: int = -1


def count_train(config: CountConfig, *, control: Control, on_progress=None) -> RunResult:
    """A tiny training function obeying the protocol: loss = 1 / step."""
    reporter = Reporter(config.steps, on_progress, control, min_interval=0.0)
    step = 0
    stopped = False
    while step < config.steps:
        if control.checkpoint():
            stopped = True
            break
        step += 1
        if step == config.fail_at:
            raise InvalidInput("bad value at step %d" % step)
        if step == config.crash_at:
            raise ZeroDivisionError("boom")
        if config.sleep:
            time.sleep(config.sleep)
        reporter.report(step, 1.0 / step, {"val_loss": 2.0 / step}, samples=("s%d" % step,))
    return reporter.result(stopped, step, metrics={"final": step}, payload={"steps": step})


TARGET = f"{__name__}:count_train"


def test_reporter_sends_complete_events() -> None:
    events: list[Progress] = []
    result = count_train(CountConfig(steps=10), control=Control(), on_progress=events.append)
    assert result.status == "finished" and result.steps == 10 and result.total == 10
    assert [e.step for e in events] == list(range(1, 11))
    last = events[-1]
    assert last.loss == pytest.approx(0.1)
    assert last.metrics["val_loss"] == pytest.approx(0.2)
    assert last.fraction == 1.0 and last.eta == 0.0
    assert last.samples == ("s10",)
    assert result.history[0] == (1, 1.0) and len(result.history) == 10
    assert result.summary()["final"] == 10 and result.summary()["status"] == "finished"


def test_reporter_throttles_but_forced_events_pass() -> None:
    events: list[Progress] = []
    reporter = Reporter(100, events.append, min_interval=60.0)
    for step in range(1, 101):
        reporter.report(step, 1.0, force=step == 100)
    assert [e.step for e in events] == [1, 100]
    assert len(reporter.history) == 100


def test_a_stopped_run_sends_its_last_step_so_the_progress_line_and_stopped_at_agree() -> None:
    events: list[Progress] = []
    reporter = Reporter(21_240, events.append, min_interval=60.0)
    for step in range(1, 1063):  # throttled: only step 1 goes out
        reporter.report(step, 2.0 - step / 1000)
    assert events[-1].step == 1
    result = reporter.result(True, 1062)
    assert events[-1].step == result.steps == 1062 and events[-1].loss == result.loss
    reporter.result(True, 1062)
    assert len(events) == 2  # nothing more to say the second time


def test_history_is_thinned() -> None:
    reporter = Reporter(10_000, None)
    for step in range(10_000):
        reporter.report(step, float(step))
    result = reporter.result(False, 10_000, max_history=100)
    assert len(result.history) == 101 and result.history[-1] == (9999, 9999.0)


def test_history_stays_bounded_and_evenly_spaced_however_long_the_run() -> None:
    from seqtui_models.core.training import HISTORY_POINTS

    reporter = Reporter(1_000_003, None)
    for step in range(1, 1_000_004):
        reporter.report(step, 1.0 / step)
        assert len(reporter.history) < 2 * HISTORY_POINTS
    steps = [s for s, _ in reporter.history]
    gaps = {b - a for a, b in zip(steps, steps[1:])}
    assert steps[0] == 1 and len(gaps) == 1  # every point the same distance apart
    result = reporter.result(False, 1_000_003, max_history=HISTORY_POINTS * 2)
    assert result.history[-1] == (1_000_003, 1.0 / 1_000_003)  # the last step is always there


def test_stop_leaves_a_stopped_result() -> None:
    control = Control()
    events: list[Progress] = []

    def on_progress(p: Progress) -> None:
        events.append(p)
        if p.step == 5:
            control.stop()

    result = count_train(CountConfig(steps=50), control=control, on_progress=on_progress)
    assert result.status == "stopped" and result.steps == 5


def test_pause_blocks_until_resume_and_pauses_are_not_timed() -> None:
    control = Control()
    control.pause()
    done: list[RunResult] = []
    thread = threading.Thread(target=lambda: done.append(count_train(CountConfig(steps=3), control=control)))
    thread.start()
    time.sleep(0.3)
    assert not done and control.paused
    control.resume()
    thread.join(5)
    assert done and done[0].status == "finished"
    assert control.paused_seconds >= 0.25
    assert done[0].seconds < 0.25


def test_stop_wakes_a_paused_run() -> None:
    control = Control()
    control.pause()
    done: list[RunResult] = []
    thread = threading.Thread(target=lambda: done.append(count_train(CountConfig(steps=3), control=control)))
    thread.start()
    time.sleep(0.1)
    control.stop()
    thread.join(5)
    assert done[0].status == "stopped" and done[0].steps == 0


def test_in_thread_job_runs_directly() -> None:
    result = run_job(TrainingJob(TARGET, CountConfig(steps=4), isolate=False))
    assert result.steps == 4 and result.payload == {"steps": 4}


@pytest.mark.slow
def test_spawned_job_relays_events_and_result() -> None:
    events: list[Progress] = []
    result = run_job(TrainingJob(TARGET, CountConfig(steps=20)), on_progress=events.append)
    assert result.status == "finished" and result.payload == {"steps": 20}
    assert [e.step for e in events] == list(range(1, 21))


def blas_threads_train(config: CountConfig, *, control: Control, on_progress=None) -> RunResult:
    """Reports how many threads the BLAS of the process it runs in uses."""
    from threadpoolctl import threadpool_info

    threads = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return Reporter(1, None).result(False, 1, payload={"threads": threads})


@pytest.mark.slow
def test_a_spawned_job_uses_one_blas_thread_and_leaves_the_parents_environment_alone() -> None:
    before = dict(os.environ)
    result = run_job(TrainingJob(f"{__name__}:blas_threads_train", CountConfig()))
    assert dict(os.environ) == before
    threads = result.payload["threads"]
    assert threads and set(threads) == {1}


@pytest.mark.slow
def test_spawned_job_can_be_paused_and_stopped() -> None:
    control = Control()
    events: list[Progress] = []

    def on_progress(p: Progress) -> None:
        events.append(p)
        if p.step == 3:
            control.pause()
            threading.Timer(0.3, control.stop).start()

    result = run_job(TrainingJob(TARGET, CountConfig(steps=100_000, sleep=0.01)), on_progress, control)
    assert result.status == "stopped"
    # The pause took hold within a step or two and nothing ran after it.
    assert 3 <= result.steps <= 6
    assert events[-1].step == result.steps


@pytest.mark.slow
def test_spawned_job_errors_keep_their_kind() -> None:
    with pytest.raises(InvalidInput, match="bad value at step 3"):
        run_job(TrainingJob(TARGET, CountConfig(steps=10, fail_at=3)))
    with pytest.raises(TrainingCrashed, match="ZeroDivisionError: boom") as info:
        run_job(TrainingJob(TARGET, CountConfig(steps=10, crash_at=2)))
    assert "Traceback" in info.value.details


@pytest.mark.slow
def test_keras_adapter_reports_every_batch_and_stops() -> None:
    import numpy as np
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    control = Control()
    events: list[Progress] = []

    def on_progress(p: Progress) -> None:
        events.append(p)
        if p.step == 6:
            control.stop()


    reporter = Reporter(4 * 5, on_progress, control, unit="batch", min_interval=0.0)
    callback = keras_callback(reporter, control, steps_per_epoch=4)
    model.fit(x, y, batch_size=16, epochs=5, verbose=0, callbacks=[callback])
    assert callback.stopped
    steps = [e.step for e in events]
    assert steps[:6] == [1, 2, 3, 4, 4, 5] or steps[:5] == [1, 2, 3, 4, 4]
    assert max(steps) <= 8  # it stopped within the epoch in which stop was asked
    assert all(np.isfinite(e.loss) for e in events)


@pytest.mark.slow
def test_keras_adapter_reports_each_batch_loss_not_the_running_mean() -> None:
    import numpy as np
    import keras

    # A learning rate of zero keeps the weights fixed, so each batch's loss can be computed
    # afterwards and compared with what the adapter reported.
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x = np.random.default_rng(1).normal(size=(48, 3)).astype("float32")
    y = (3 * x.sum(axis=1, keepdims=True)).astype("float32")
    control = Control()
    events: list[Progress] = []
    reporter = Reporter(2 * 3, events.append, control, unit="batch", min_interval=0.0)
    callback = keras_callback(reporter, control, steps_per_epoch=3)
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[callback])

    expected = [float(np.mean((model.predict(x[i:i + 16], verbose=0) - y[i:i + 16]) ** 2)) for i in (0, 16, 32)]
    per_batch = {e.step: e.loss for e in events}
    assert [per_batch[s] for s in (1, 2, 3)] == pytest.approx(expected, rel=1e-4)
    assert [per_batch[s] for s in (4, 5, 6)] == pytest.approx(expected, rel=1e-4)
    assert len(set(round(v, 3) for v in expected)) == 3  # the batches differ, so a mean would not pass


def test_a_stopped_run_is_worse_only_when_both_scores_say_so() -> None:
    def run(status: str, score: object) -> RunResult:
        return RunResult(status, 1, 10, 0.1, 1.0, metrics={"acc": score})  # type: ignore[arg-type]

    assert run("stopped", 0.5).stopped_worse_than({"acc": 0.9}, "acc")
    assert not run("stopped", 0.95).stopped_worse_than({"acc": 0.9}, "acc")
    assert not run("finished", 0.5).stopped_worse_than({"acc": 0.9}, "acc")  # a finished run always counts
    assert not run("stopped", None).stopped_worse_than({"acc": 0.9}, "acc")  # nothing to compare
    assert not run("stopped", 0.5).stopped_worse_than({}, "acc")
    assert not run("stopped", 0.5).stopped_worse_than(None, "acc")
