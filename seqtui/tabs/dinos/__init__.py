"""The dinos tab: a character-level model that learns dinosaur names and invents new ones."""

from seqtui.tabs.dinos.inside import InsideView
from seqtui.tabs.dinos.pick import PickView
from seqtui.tabs.dinos.sample import SampleView
from seqtui.tabs.dinos.tab import DinosTab

__all__ = ["DinosTab", "InsideView", "PickView", "SampleView"]
