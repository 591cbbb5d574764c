"""Swing models: from a baseline result and a scenario to seat-level shares."""

from seatcast.swing.models import MODELS, SwingModel, make_model, register
from seatcast.swing.project import Projection, project
from seatcast.swing.scenario import Scenario, scenario

__all__ = ["MODELS", "Projection", "Scenario", "SwingModel", "make_model", "project",
           "register", "scenario"]
