"""symseq: symbolic integration and ODE solving with verified sequence-to-sequence models.

Import costs are kept low here: torch and the models load only when a command needs them.
"""

__version__ = "0.1.0"
