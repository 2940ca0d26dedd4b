"""RNN and LSTM cells in numpy, forward and backward: what the cells tab and ``seqtui cells`` call.

Notation (Sequence Models, week 1, "Building your RNN step by step"), used throughout:

    n_x inputs, n_a hidden units, n_y outputs, m examples in the batch, T_x time steps.
    xt (n_x, m) is the input at step t; a_prev / a_next (n_a, m) the hidden state before / after
    it; c_prev / c_next (n_a, m) the LSTM's cell state. ``*`` is the element-wise product.

    RNN   a_next  = tanh(Waa a_prev + Wax xt + ba)
          yt_pred = softmax(Wya a_next + by)
    LSTM  concat  = [a_prev; xt]                                       (n_a + n_x, m), a_prev first
          ft = σ(Wf concat + bf)    it = σ(Wi concat + bi)    ot = σ(Wo concat + bo)
          cct = tanh(Wc concat + bc)
          c_next  = ft * c_prev + it * cct
          a_next  = ot * tanh(c_next)
          yt_pred = softmax(Wy a_next + by)

    A gradient is named after what it differentiates: ``da_prev`` is ∂L/∂a_prev. As in the
    course, ``dft, dit, dcct, dot`` are the gradients w.r.t. the gates' *pre-activations*, and
    the upstream ``da`` (n_a, m, T_x) is ∂L/∂a⟨t⟩ from outside the recurrence at every step.

What is here:

- The course's cells, function for function: ``rnn_cell_forward``, ``rnn_forward`` and their
  backward passes (:mod:`.rnn`), ``lstm_cell_forward``, ``lstm_forward`` and theirs
  (:mod:`.lstm`). The sequence functions run a fused batched path (:mod:`.fused` says how and
  why) behind the course's signatures and caches.
- :func:`gradient_check` (:mod:`.gradcheck`): the backward passes against centred differences.
- :func:`explore` (:mod:`.explorer`) runs one forward and backward pass and keeps every array, to
  look at step by step.
- :class:`TrainConfig` → :func:`train` (:mod:`.toy_tasks`) trains either cell on a toy sequence
  task (the protocol of :mod:`seqtui_models.core.training`; run it with
  ``TrainingJob("seqtui_models.cells:train", config)``); :func:`load_model` reads what it saved.
"""

from __future__ import annotations

from seqtui_models.cells.explorer import ExploreRun, explore
from seqtui_models.cells.gradcheck import GRADCHECK_THRESHOLD, gradient_check
from seqtui_models.cells.lstm import (
    LSTM_PARAMETERS,
    init_lstm_parameters,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
)
from seqtui_models.cells.rnn import (
    RNN_PARAMETERS,
    init_rnn_parameters,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)
from seqtui_models.cells.toy_tasks import TASKS, TrainConfig, load_model, train

__all__ = [
    "GRADCHECK_THRESHOLD", "LSTM_PARAMETERS", "RNN_PARAMETERS", "TASKS", "ExploreRun", "TrainConfig",
    "explore", "gradient_check", "init_lstm_parameters", "init_rnn_parameters", "load_model",
    "lstm_backward", "lstm_cell_backward", "lstm_cell_forward", "lstm_forward", "rnn_backward",
    "rnn_cell_backward", "rnn_cell_forward", "rnn_forward", "train",
]
