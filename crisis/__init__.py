"""Crisis-response runbooks as code: the domain core, free of any user interface."""

__version__ = "0.1.0"
