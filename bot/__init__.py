"""Programme Bot: answers questions about UN Programme 2 (Political affairs)."""

__version__ = "0.1.0"
