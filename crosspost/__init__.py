"""crosspost: track how news articles travel across republishing sites."""

__version__ = "0.1.0"
