"""The lake: store backends, every store key, the commit protocol, the reader, schemas and table rows.

It imports no stage.
"""
