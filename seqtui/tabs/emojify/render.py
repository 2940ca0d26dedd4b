"""How the emojify tab draws a prediction, a model's description and a confusion matrix."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from seqtui.text import bar, cells_safe, signed_bar

BAR_WIDTH = 16
USER_MODEL = "emojify-v1-mine.npz"
"""The file V1 is retrained into after "Add" (in the user's models folder)."""


def render_prediction(prediction: Any, labels: Any, title: str, width: int = 45) -> Group:
    """The emoji, the top-3 probability bars and the per-word explanation of one model.

    Args:
        prediction: A ``Prediction``.
        labels: The model's label set (for the top-3 rows).
        title: Which model, shown after the emoji.
        width: Cells available; the bars shrink to fit (narrow terminals).
    """
    if prediction.declined:
        return Group(
            Text.assemble(("no emoji", "bold"), (f"   {title}", "dim")),
            Text(prediction.reason, style="yellow"),
            Text("With no word it knows, its probabilities are only its prior.", style="dim"),
        )
    head = Text.assemble((f"{cells_safe(prediction.emoji)}  {prediction.name}", "bold"), (f"   {title}", "dim"))
    if prediction.unsure:
        head.append(f"   not sure ({prediction.confidence:.0%})", style="yellow")
    names = [f"{cells_safe(labels.emoji[label])} {labels.names[label]}"[:12] for label, _ in prediction.top(3)]
    name_width = max(len(n) + 1 for n in names)  # an emoji is two cells
    top = Table.grid(padding=(0, 1))
    top.add_column(no_wrap=True, min_width=name_width)
    top.add_column(no_wrap=True)
    top.add_column(no_wrap=True, justify="right")
    bar_width = max(4, min(BAR_WIDTH, width - name_width - 9))
    for name, (label, prob) in zip(names, prediction.top(3)):
        chosen = label == prediction.label
        top.add_row(Text(name, style="bold" if chosen else ""),
                    Text(bar(prob, bar_width).ljust(bar_width), style="green" if chosen else "blue"),
                    Text(f"{prob:.1%}", style="bold" if chosen else ""))
    linear = prediction.method == "linear"
    what = f"{cells_safe(prediction.emoji)} probability lost without it"
    if linear and prediction.runner_up >= 0:
        what = f"pull towards {cells_safe(prediction.emoji)} (+) or {cells_safe(labels.emoji[prediction.runner_up])} (−)"
    elif linear:
        what = f"share of the {cells_safe(prediction.emoji)} score"
    word_width = min(max([len(w.word) + (0 if w.known else 1) + (len(w.read_as) + 2 if w.read_as else 0)
                          for w in prediction.words] + [4]), 18)
    word_width = max(4, min(word_width, width - 8))  # room for the value, however narrow
    half = min(8, (width - word_width - 10) // 2)
    with_bars = half >= 2  # too narrow for a bar: the words and their values only
    words = Table(box=None, padding=(0, 1), show_header=True, header_style="dim", expand=False)
    words.add_column("word", no_wrap=True, min_width=word_width, max_width=word_width, overflow="ellipsis")
    if with_bars:
        words.add_column("", no_wrap=True, min_width=2 * half + 1)
    words.add_column("", no_wrap=True, justify="right", min_width=5)
    scale = max([abs(w.contribution) for w in prediction.words] + [1e-9])
    for w in prediction.words:
        word = Text(w.word, style="" if w.known else "dim italic")
        if not w.known:
            word.append("?", style="yellow")
        elif w.read_as:
            word.append(f"→{w.read_as}", style="cyan")  # an emoji's meaning, or the word a typo meant
        percent = w.contribution * 100
        value = f"{w.contribution:+.2f}" if linear else (f"{percent:+.1f}%" if abs(percent) < 9.95 else f"{percent:+.0f}%")
        if with_bars:
            left, right = signed_bar(w.contribution, scale, half, axis="│")
            words.add_row(word, Text.assemble((left, "red"), (right[0], "dim"), (right[1:], "green")), value)
        else:
            words.add_row(word, Text(value, style="green" if w.contribution >= 0 else "red"))
    parts: list[Any] = [head, top, Text(""), Text(what, style="dim"), words]
    if prediction.unknown:
        how = "skipped" if linear else "read as 'unknown'"
        parts.append(Text(f"? not in GloVe ({how}): {', '.join(prediction.unknown)}", style="yellow"))
    return Group(*parts)


def describe_model(model: Any) -> Text:
    """Two short lines for the sidebar: which model, where from, and its test accuracy."""
    from seqtui_models.core.paths import data_dir

    kind = "V1 average" if model.kind == "v1" else "V2 LSTM"
    members = model.metrics.get("members") if model.kind == "v2" else None
    if isinstance(members, int) and members > 1:
        kind += f" ×{members}"
    if getattr(model, "blend", None) is not None:
        kind += " + bag"  # blended with a bag-of-words softmax (seqtui_models.emojify.blend)
    path = Path(model.path) if model.path else None
    origin = "bundled" if path is not None and path.parent == data_dir() else "trained"
    if path is not None and path.name == USER_MODEL:
        origin = "yours"
    test = model.metrics.get("test_accuracy")
    second = f"test {test:.1%}" if isinstance(test, float) else f"{len(model.labels)} classes"
    return Text.assemble((kind, "bold"), f" ({origin})\n", (second, "dim"))


def compact_count(n: int) -> str:
    """A count in at most four characters: 147, 9999, 15k, 147k, 2.5M."""
    if n < 10_000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


def render_confusion(result: Any, title: str, width: int = 60) -> Table:
    """A confusion matrix: rows are the true emoji, columns the predicted ones.

    It fits ``width`` cells rather than cutting numbers: counts over 9,999 are written 15k, and when
    even that is too wide the rows lose their names (the emoji stay), then the padding, then the
    recall column.
    """
    labels = result.labels
    counts = [[compact_count(x) for x in row] for row in result.confusion]
    count_width = max([len(x) for row in counts for x in row] + [2])
    C = len(labels.emoji)
    name_width = 2 + 1 + min(7, max(len(n) for n in labels.names))
    layouts = [(True, 1, True), (False, 1, True), (False, 0, True), (False, 0, False)]  # (names, padding, recall)
    for names, pad, recall in layouts:
        needed = (name_width if names else 2) + 2 * pad + C * (count_width + 1 + 2 * pad) + (5 + 2 * pad if recall else 0)
        if needed <= width:
            break
    table = Table(title=f"{title}: {result.accuracy:.1%} of {result.n:,}", title_justify="left", box=None,
                  padding=(0, pad), header_style="dim", title_style="bold")
    table.add_column("true \\ said" if names else "", no_wrap=True)
    for emoji in labels.emoji:
        table.add_column(cells_safe(emoji), justify="right", no_wrap=True, min_width=count_width + (1 - pad))
    if recall:
        table.add_column("recall", justify="right", no_wrap=True)
    peak = max([max(row) for row in result.confusion] + [1])
    for i, row in enumerate(result.confusion):
        cells = []
        for j, count in enumerate(row):
            strength = count / peak
            if i == j:
                style = "bold green" if count else "dim"
            else:
                style = "bold red" if strength > 0.15 else ("red" if count else "dim")
            cells.append(Text(counts[i][j], style=style))
        share = result.per_class[i]
        tail = ["–" if math.isnan(share) else f"{share:.0%}"] if recall else []
        head = f"{cells_safe(labels.emoji[i])} {labels.names[i][:7]}" if names else cells_safe(labels.emoji[i])
        table.add_row(head, *cells, *tail)
    return table


def disagreement(v1: Any, v2: Any) -> Text:
    """The note under the two predictions: they agree, or why they may not."""
    if v1.declined or v2.declined:
        return Text("No emoji: the models know none of these words.", style="dim")
    if (v1.emoji, v1.name) == (v2.emoji, v2.name):  # the same class, even if the models number them differently
        return Text(f"Both models say {cells_safe(v1.emoji)}.", style="dim")
    from seqtui_models.emojify import has_negation, tokenize

    why = ("V1 averages the words, so the negation cannot turn them; V2 reads them in order."
           if has_negation(tokenize(v1.sentence)) else
           "V1 sees only the average of the word vectors; V2 reads the words in order.")
    return Text.assemble(("The models disagree: ", "bold"), f"V1 {cells_safe(v1.emoji)}, V2 {cells_safe(v2.emoji)} — ", (why, "dim"))
