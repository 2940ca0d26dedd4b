"""State strings: written and read back, and anything else refused in one sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seqtui_models.core.errors import InvalidInput
from seqtui.state import PREFIX, AppState, decode_state, run_state

TABS = ("cells", "dinos", "jazz", "vectors", "emojify", "dates")


def test_a_state_reads_back_as_written() -> None:
    state = AppState("dinos", "view-train", {"dinos-hidden": "64", "dinos-names": "noms é.txt"})
    text = state.encode()
    assert text.startswith(PREFIX) and "=" not in text and " " not in text  # pastes as one word
    assert decode_state(text, TABS) == state
    assert decode_state(f"  {text}\n", TABS) == state  # pasted with blanks around it


def test_a_runs_config_opens_its_train_view() -> None:
    state = run_state("dinos", {"preset": "course", "hidden": 50, "steps": 100, "names": None, "lr": 0.01})
    assert state.view == "view-train" and state.fields == {"dinos-preset": "course", "dinos-hidden": "50",
                                                            "dinos-steps": "100"}
    assert run_state("jazz", {"preset": "fast"}).fields == {}


@pytest.mark.parametrize("text, says", [
    ("", "Not a seqtui state string"),
    ("hello", "Not a seqtui state string"),
    (PREFIX + "!!!", "damaged"),
    (PREFIX + "e30", "names no tab"),  # {}
    (AppState("nope").encode(), "names no tab"),
    (PREFIX + "x" * 5000, "at most"),
])
def test_bad_strings_are_refused_with_what_to_do(text: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        decode_state(text, TABS)


@given(st.text(max_size=200))
def test_any_text_is_a_state_or_one_message(text: str) -> None:
    try:
        state = decode_state(text, TABS)
    except InvalidInput as error:
        assert "\n" not in error.message
        return
    assert state.tab in TABS


@given(st.sampled_from(TABS), st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=5))
def test_any_fields_survive_the_round_trip(tab: str, fields: dict[str, str]) -> None:
    state = AppState(tab, "view-x", fields)
    assert decode_state(state.encode(), TABS) == state
