"""Dinosaur Island: a character-level language model that learns names and invents new ones.

The dinos task's public API — what the dinos tab and ``seqtui dinos`` call, and the only module
outside this package that they import. Dataclasses in, dataclasses out:

- Names (:mod:`.data`): :func:`load_names` → :class:`NameSet` (any names file, normalised, split
  90/10 with a fixed seed); :func:`read_names`, :func:`normalise_name`, :class:`Vocab`.
- Training (:mod:`.config`, :mod:`.training`): :func:`preset_config` / :class:`TrainConfig`
  (:data:`PRESETS`) → :func:`train` (the protocol of :mod:`seqtui_models.core.training`; run it
  with ``TrainingJob("seqtui_models.dinos:train", config)``) → ``RunResult`` whose
  ``payload["model"]`` is the trained :class:`CharModel`.
- Models (:mod:`.model`): :class:`CharModel`; :func:`load_model` / :func:`save_model` /
  :func:`default_model` (the bundled ``data/dinos.npz``). The file format is described there.
- Generating (:mod:`.sampling`): :func:`sample_names` (temperature, top-k, prefix, seed, maximum
  length) and :func:`beam_search` → :class:`SampledName` (name, log-probability, novelty).
- Looking inside (:mod:`.inspection`): :func:`inspect_name` → :class:`NameInspection` (each
  character's probability and the top alternatives); :func:`next_char_candidates` →
  :class:`Candidate` (the "pick the next character yourself" mode); :func:`name_logprob` (a whole
  name) and :func:`prefix_logprob` (the start of one).
- Measuring (:mod:`.evaluation`): :func:`evaluate` → :class:`EvalResult` (nats per character on
  any names file).

Two presets. ``course`` is the assignment's loop, run by the assignment's own functions
(:mod:`.course`, re-exported here: ``clip``, ``sample``, ``optimize``, ``rnn_forward``,
``rnn_backward``, ``update_parameters`` …): a tanh RNN with 50 hidden units, one name per SGD
step, every gradient entry clipped to [−5, 5], learning rate 0.01, the hidden state carried from
name to name. ``fast`` is the same kind of model trained on many names at once (:mod:`.net`:
padding and masking, Adam, RNN/LSTM/GRU cells, dropout and weight decay), with early stopping on
the validation loss.

Every loss is a **negative log-likelihood per character in nats**: −(1/N) Σ log P(next char),
over all N predicted characters *including* each name's end token; perplexity is exp of it.
A name's log-probability is log P(its characters, then '\\n') under the model at temperature 1.
"""

from __future__ import annotations

from seqtui_models.dinos.config import PRESETS, TrainConfig, preset_config, resumed_config
from seqtui_models.dinos.course import (
    clip,
    initialize_parameters,
    optimize,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
    sample,
    update_parameters,
)
from seqtui_models.dinos.data import END, NameSet, Vocab, load_names, normalise_name, read_names
from seqtui_models.dinos.evaluation import EvalResult, evaluate
from seqtui_models.dinos.inspection import (
    Candidate, CharStep, NameInspection, inspect_name, name_logprob, next_char_candidates, prefix_logprob,
)
from seqtui_models.dinos.model import (
    DEFAULT_MODEL, CharModel, default_model, load_model, save_model,
)
from seqtui_models.dinos.sampling import SampledName, beam_search, sample_names
from seqtui_models.dinos.training import train

__all__ = [
    "END", "NameSet", "Vocab", "load_names", "read_names", "normalise_name",
    "TrainConfig", "PRESETS", "preset_config", "resumed_config", "train", "CharModel",
    "save_model", "load_model", "default_model", "DEFAULT_MODEL",
    "SampledName", "sample_names", "beam_search",
    "CharStep", "NameInspection", "inspect_name", "Candidate", "next_char_candidates", "prefix_logprob",
    "EvalResult", "evaluate", "name_logprob",
    "clip", "sample", "optimize", "rnn_forward", "rnn_backward", "update_parameters",
    "rnn_step_forward", "rnn_step_backward", "initialize_parameters",
]
