"""Provides how the dates tab draws a translation, a fuzz verdict and an evaluation's summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from seqtui.text import plural

if TYPE_CHECKING:
    from seqtui_models.dates import EvalResult, Hunt, Translation


def shown_char(ch: str) -> str:
    """How an input character is labelled on the heatmap (spaces as a middle dot)."""
    return "·" if ch == " " else (ch if ch.isprintable() else "?")


def prob_style(prob: float) -> str:
    """Colour of a character by the model's confidence in it."""
    return "green" if prob >= 0.9 else ("yellow" if prob >= 0.5 else "red")


def score_style(exact_match: float) -> str:
    """Colour of a format family's exact match: green when all right, red below 99%."""
    return "green" if exact_match >= 0.999 else ("yellow" if exact_match >= 0.99 else "red")


def render_translation(translation: Translation) -> Text:
    """The model's ten characters (each coloured by its probability), the verdict and any notes.

    The ✓ appears only for an answer that passed every check; an ambiguous date shows every
    reading, a declined one the reason (and the output stays dim: it is not an answer).
    """
    verdict = translation.verdict
    text = Text()
    overruled = verdict.status == "date" and verdict.iso is not None and verdict.iso != translation.iso
    if overruled:  # the text settles what the model could not ("09/12/1992 (DD/MM/YYYY)")
        text.append(verdict.iso or "", style="bold green")
    else:
        for ch, p in zip(translation.iso, translation.char_probs):
            text.append(ch, style=f"bold {prob_style(p)}" if verdict.status == "date" else "dim")
    text.append("   ")
    if overruled:
        text.append("✓ a date", style="bold green")
        text.append(f" — {verdict.reason}; the model wrote {translation.iso}", style="yellow")
    elif verdict.status == "date":
        text.append("✓ a date", style="bold green")
    elif verdict.status == "ambiguous":
        text.append(f"? ambiguous: {' or '.join(verdict.readings)} ({verdict.reason})", style="bold yellow")
    else:
        text.append(f"✗ {verdict.reason}", style="bold red")
    if not translation.valid_date and verdict.status != "date":
        text.append(f"\nthe model's output is not a calendar date: {translation.problem}", style="dim")
    text.append(f"   confidence {translation.confidence:.1%}", style="dim" if translation.confidence >= 0.5 else "yellow")
    if translation.read != translation.input.strip():
        text.append(f"\nread {translation.read!r} from the text", style="dim")
    for note in translation.notes:
        text.append("\n" + note, style="yellow")
    return text


def render_fuzz(hunt: Hunt, count: int) -> Text:
    """What a hunt found: the input, what it means, the verdict, and how many tries it took."""
    verdict = hunt.translation.verdict
    told = verdict.iso or (" or ".join(verdict.readings) if verdict.readings else verdict.reason)
    headline = {
        "wrong": (f"✗ told wrong after {plural(hunt.found_at, 'try')}", "bold red"),
        "declined": (f"no wrong answer in {plural(hunt.tries, 'try')}; declined at try {hunt.found_at}", "yellow"),
        "right": (f"✓ nothing missed in {plural(hunt.tries, 'try')}", "bold green"),
    }[hunt.outcome]
    return Text.assemble(
        (f"fuzz #{count} ", "bold"), headline, (f"  ({hunt.pair.family}) ", "dim"), (repr(hunt.pair.human), "bold"),
        ("  means ", "dim"), hunt.expected.replace("ambiguous:", "ambiguous: "), ("  told ", "dim"), (told, "bold"),
    )


def attention_title(translation: Translation) -> str:
    """The heatmap's title, with the share of attention that went to padding when it is not nil."""
    title = "attention α: output characters ↓, characters read →"
    if any(p > 0.005 for p in translation.pad_attention):
        title += f" (≤ {max(translation.pad_attention):.0%} of a row on padding)"
    return title


def render_evaluation(result: EvalResult) -> Text:
    """Two lines: the exact match, how many pairs from where, and the outputs that are not dates;
    then what users are told after the checks: right, declined, wrong."""
    source = Path(result.source).name if Path(result.source).is_file() else result.source
    n = result.n
    return Text.assemble(
        ("exact match ", "dim"), (f"{result.exact_match:.2%}", "bold"), (f" of {n:,} · {source}", "dim"),
        ("\ntold users: ", "dim"), (f"right {result.right / n:.1%}", "bold green"),
        (f" · declined {result.declined / n:.1%}", "yellow"),
        (f" · wrong {result.told_wrong / n:.1%} ({result.told_wrong:,})", "bold red" if result.told_wrong else "dim"),
        (f" · {plural(result.invalid_dates, 'output')} not a date" if result.invalid_dates else "", "red"),
        (f" · {plural(result.truncated, 'input')} cut at T_x" if result.truncated else "", "yellow"),
    )
