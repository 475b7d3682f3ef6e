"""IS3C registry of security standards for ICT procurement."""

__version__ = "0.1.0"
