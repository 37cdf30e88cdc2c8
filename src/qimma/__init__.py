"""qimma (قمة): forecast the outcome of multi-actor negotiations."""

__version__ = "0.1.0"
