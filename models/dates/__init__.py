"""Date translation with attention: human-written dates in, ISO dates (YYYY-MM-DD) out.

The dates task's public API — what the dates tab and ``seqtui dates`` call, and the only module
outside this package that they import. Dataclasses in, dataclasses out:

- Data (:mod:`.data`): :func:`generate` makes (human, ISO, family) :class:`DatePair` s in the
  :data:`FAMILIES` of formats; :func:`heldout_pairs` draws an evaluation set from days training
  never sees; :func:`read_pairs` reads ``input<TAB>iso`` files.
- Vocabularies (:mod:`.vocab`): :class:`Vocab` (:data:`COURSE_VOCAB`, :data:`BEST_VOCAB`), the
  output's :data:`MACHINE_CHARS` and :data:`TY`, :func:`check_iso` (a real calendar date?).
- Training (:mod:`.config`, :mod:`.training`): :func:`preset_config` / :class:`TrainConfig` →
  :func:`train` (the protocol of :mod:`seqtui_models.core.training`; Keras, run in a thread:
  ``TrainingJob("seqtui_models.dates:train", config, isolate=False)``) → ``RunResult`` whose
  ``payload["model"]`` is the :class:`DateModel`.
- Models (:mod:`.model`): :func:`load_model` / :func:`save_model` / :func:`default_model` (the
  bundled ``data/dates.keras``); :func:`warm_up` imports Keras and the networks ahead of time.
- Translating (:mod:`.translation`): :func:`translate` → :class:`Translation`: the ISO string,
  each character's probability, the confidence, the attention matrix (T_y × the characters
  read), whether the output is a real calendar date, and whether the input was cut at T_x;
  :func:`translate_many` for a batch.
- Fuzzing (:mod:`.hunting`): :func:`hunt` perturbs held-out dates until the model is told wrong
  (or declines) and says how many tries it took.
- Cross-examining (:mod:`.checks`): :func:`locate` finds the date's stretch of a text (times and
  surrounding words left out) and :func:`examine` checks the model's answer against the text:
  a :class:`Verdict` — a date, ambiguous with every reading, or declined with the reason. Every
  :class:`Translation` carries one.
- Evaluating (:mod:`.evaluation`): :func:`evaluate` → :class:`EvalResult`: the network's exact
  match overall and per format family, and what users are told (right / declined / wrong, with
  :data:`NOT_A_DATE` and :data:`AMBIGUOUS` lines), the mistakes.

Two presets (the networks are in :mod:`.net`). ``course`` is the assignment: its 37-character
input vocabulary (lower-case letters of English month and day names, digits, space, '.', '/',
<unk>, <pad>), its preprocessing (``string_to_int``: lower-case, commas dropped, cut at
T_x = 30), its model (52,960 parameters) and its optimiser (Adam, lr 0.005, decay 0.01 per step,
batch 100, categorical cross-entropy on each of the 10 outputs). ``best`` is ours: a vocabulary
of every letter, digit and the punctuation people type in dates (case folded: 'J' and 'j' are one
entry — the only normalisation; spaces, commas and everything else reach the network as typed),
T_x = 40, masked padding, attention for all steps at once with input-dependent queries, larger
batches, a higher learning rate with a cosine schedule, and half its data in real-world formats.

Losses are cross-entropies in nats per output character. Exact match counts a date right only if
all 10 characters are. Importing this package does not import TensorFlow or Keras: training,
loading a model and :func:`warm_up` do.
"""

from __future__ import annotations

from seqtui_models.core.frameworks import quiet_tensorflow
from seqtui_models.dates.config import PRESETS, TrainConfig, preset_config
from seqtui_models.dates.data import FAMILIES, DatePair, families, generate
from seqtui_models.dates.checks import Verdict, examine, locate
from seqtui_models.dates.evaluation import (
    AMBIGUOUS, NOT_A_DATE, EvalResult, FamilyScore, Mistake, evaluate, heldout_pairs, outcome, read_pairs,
)
from seqtui_models.dates.model import (
    DEFAULT_MODEL, DateModel, default_model, load_model, save_model,
)
from seqtui_models.dates.training import cosine_lr, train
from seqtui_models.dates.translation import (
    Translation, check_readable, translate, translate_many, years_outside_training,
)
from seqtui_models.dates.hunting import Hunt, hunt
from seqtui_models.dates.vocab import (
    BEST_VOCAB, COURSE_VOCAB, MACHINE_CHARS, TY, Vocab, check_iso, decode, encode_iso,
)

# TensorFlow writes start-up notices straight to file descriptor 2 when it is first imported; in
# the app that is the screen. No module above imports it; training, loading and warm_up do, later
# (a user's own settings win).
quiet_tensorflow()

__all__ = [
    "DatePair", "FAMILIES", "families", "generate", "heldout_pairs", "read_pairs",
    "Vocab", "COURSE_VOCAB", "BEST_VOCAB", "MACHINE_CHARS", "TY", "check_iso", "decode", "encode_iso",
    "TrainConfig", "PRESETS", "preset_config", "train", "cosine_lr",
    "DateModel", "save_model", "load_model", "default_model", "DEFAULT_MODEL", "warm_up",
    "Translation", "translate", "translate_many", "check_readable", "years_outside_training",
    "Hunt", "hunt",
    "EvalResult", "FamilyScore", "Mistake", "evaluate", "outcome", "NOT_A_DATE", "AMBIGUOUS",
    "Verdict", "examine", "locate",
]


def warm_up() -> None:
    """Import what translating needs: Keras, and the networks with their custom layers registered.

    Takes seconds the first time and nothing after; the tab runs it in a thread behind a loading
    indicator. Loading or training a model without it is fine: they pay the import then.
    """
    from seqtui_models.dates import net  # noqa: F401 - imports Keras; registers the layers model files name
