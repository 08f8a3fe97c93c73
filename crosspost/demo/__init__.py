"""The bundled demo web: deterministic fake news sites for demos and tests.

Six sites (``SITE_NAMES``) plus an optional ``faultyreprint`` full of crawler traps,
all generated from fixed seeds and served on local ports by :class:`DemoWeb`::

    with DemoWeb(faults=True) as web:
        truth = planted_truth(web)
"""

from crosspost.demo.articles import DEMO_DATE, FAULT_SITE, SITE_NAMES, build_corpus
from crosspost.demo.faults import FAULTS
from crosspost.demo.truth import planted_truth
from crosspost.demo.web import DemoWeb

__all__ = ["DEMO_DATE", "FAULTS", "FAULT_SITE", "SITE_NAMES", "DemoWeb", "build_corpus", "planted_truth"]
