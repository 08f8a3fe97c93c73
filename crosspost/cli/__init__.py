"""The ``crosspost`` command line and its export formats."""
