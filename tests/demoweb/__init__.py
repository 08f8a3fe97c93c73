"""The bundled demo web: deterministic fake news sites for demos and tests.

Six sites (``SITE_NAMES``) plus an optional ``faultyreprint`` full of crawler traps,
all generated from fixed seeds and served on local ports by :class:`DemoWeb`::

    with DemoWeb(faults=True) as web:
        truth = planted_truth(web)
"""

from tests.demoweb.articles import DEMO_DATE, FAULT_SITE, SITE_NAMES, build_corpus
from tests.demoweb.faults import FAULTS
from tests.demoweb.truth import planted_truth
from tests.demoweb.web import DemoWeb

__all__ = ["DEMO_DATE", "FAULTS", "FAULT_SITE", "SITE_NAMES", "DemoWeb", "build_corpus", "planted_truth"]
