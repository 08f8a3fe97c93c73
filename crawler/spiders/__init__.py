"""Spiders of the crosspost crawler."""
