"""Provides the jazz tab's statistics renderers: a solo's figures beside the training music's."""

from __future__ import annotations

from rich.table import Table

from seqtui_models.jazz import Improvisation, note_name


def _share(value: float | None) -> str:
    """A share as a percentage, or a dash when there is none."""
    return "–" if value is None else f"{value:.0%}"


def stats_line(improvisation: Improvisation) -> str:
    """The statistics in one line (for narrow terminals, where the table is hidden)."""
    stats, train = improvisation.stats, improvisation.train_stats
    versus = f" (trained {train.chord_tones:.0%})" if train else ""
    return (f"chord tones {stats.chord_tones:.0%}{versus} · scale {stats.scale_tones:.0%} · approach "
            f"{stats.approach_tones:.0%} · {stats.notes_per_bar:.1f} notes/bar · longest copied run {stats.longest_copy}")


def stats_frame(improvisation: Improvisation) -> tuple[str, str]:
    """The figures that fit on the piano roll's frame when nothing fits under it (80×24): the
    solo's size, seed and novelty above; its tones (the training music's in brackets) below."""
    stats, train, cfg = improvisation.stats, improvisation.train_stats, improvisation.config
    versus = f" (trained {train.chord_tones:.0%})" if train else ""
    title = f"{stats.notes} notes · seed {cfg.seed} · {stats.notes_per_bar:.1f}/bar · copied run {stats.longest_copy}"
    tones = f"chord {stats.chord_tones:.0%}{versus} · scale {stats.scale_tones:.0%}"
    return title, f"{tones} · approach {stats.approach_tones:.0%}"


def stats_table(improvisation: Improvisation) -> Table:
    """The solo's statistics beside the training music's."""
    stats, train = improvisation.stats, improvisation.train_stats
    table = Table(box=None, padding=(0, 1), title="statistics", title_justify="left", expand=False)
    table.add_column("", style="dim", no_wrap=True)
    table.add_column("solo", justify="right", no_wrap=True)
    table.add_column("trained", justify="right", style="dim", no_wrap=True)

    def pitch_range(low: int | None, high: int | None) -> str:
        sharps = improvisation.solo.sharps
        return "–" if low is None or high is None else f"{note_name(low, sharps)}–{note_name(high, sharps)}"

    rows = (
        ("chord tones", _share(stats.chord_tones), _share(train.chord_tones if train else None)),
        ("scale tones", _share(stats.scale_tones), _share(train.scale_tones if train else None)),
        ("approach", _share(stats.approach_tones), _share(train.approach_tones if train else None)),
        ("other", _share(stats.other_tones), _share(train.other_tones if train else None)),
        ("notes/bar", f"{stats.notes_per_bar:.1f}", f"{train.notes_per_bar:.1f}" if train else "–"),
        ("range", pitch_range(stats.low, stats.high), pitch_range(train.low, train.high) if train else "–"),
        ("copied run", f"{stats.longest_copy}", ""),
    )
    for row in rows:
        table.add_row(*row)
    return table
