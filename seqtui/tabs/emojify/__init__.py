"""The emojify tab: a sentence's emoji from two models side by side, explained word by word."""

from seqtui.tabs.emojify.add import AddView
from seqtui.tabs.emojify.evaluate import EvaluateView
from seqtui.tabs.emojify.predict import PredictView
from seqtui.tabs.emojify.tab import EmojifyTab

__all__ = ["AddView", "EmojifyTab", "EvaluateView", "PredictView"]
