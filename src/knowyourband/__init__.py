"""Know Your Band: recognise heavy-metal band logos and album covers in photos."""

__version__ = "0.1.0"
