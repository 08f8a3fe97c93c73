"""The two demo nights the report tests run through the pipeline (a module, not the conftest:
test modules cannot import a conftest reliably when other test folders have one too)."""

from __future__ import annotations

import datetime as dt

from tests.demoweb import DEMO_DATE

NIGHTS = (DEMO_DATE - dt.timedelta(days=1), DEMO_DATE)
