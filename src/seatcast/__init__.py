"""seatcast: polls to seats, seats to decisions, for UK general elections."""

from seatcast.swing import Projection, project, scenario

__version__ = "0.1.0"
__all__ = ["Projection", "__version__", "project", "scenario"]
