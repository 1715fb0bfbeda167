"""Plain-language views: the Markdown summaries and readable tables the notebooks display.

Analyses (:mod:`helpers.audience`, :mod:`helpers.campaigns`, :mod:`helpers.crisis`, :mod:`helpers.triage`)
return data; the modules here turn it into prose for a strategist, one module per notebook domain:

* :mod:`helpers.views.audience` — notebook 01;
* :mod:`helpers.views.triage` — notebook 01's draft answers;
* :mod:`helpers.views.campaigns` — notebook 02;
* :mod:`helpers.views.crisis` — notebook 03;
* :mod:`helpers.views.sentiment` — notebook 04;
* :mod:`helpers.views.findings` — the "Key numbers" table every notebook ends with;
* :mod:`helpers.views.reliability` — the "not measured reliably" sentence of sentiment figures.

Markdown carries numbers only; user text appears in tables, which pandas escapes when rendered.
"""
from __future__ import annotations

from helpers.views import audience, campaigns, crisis, findings, reliability, sentiment, triage
from helpers.views.findings import findings_table

__all__ = ["audience", "campaigns", "crisis", "findings", "reliability", "sentiment", "triage", "findings_table"]
