"""Situational Crisis Communication Theory (Coombs): the crisis types and the response each one calls for.

One table behind notebook 03 (:func:`helpers.crisis.scct_strategies`), the recommendations
(:mod:`helpers.publish.recommend`) and the crisis playbook. A plain constant with no imports, so that pages and
runs can read it without loading the analyses.
"""
from __future__ import annotations

from typing import Any

from helpers.i18n import N_

__all__ = ["SCCT"]

#: SCCT (Coombs): crisis clusters and the response strategies the playbook recommends for each; the one table
#: behind notebook 03, the recommendations and the playbook (``label`` and ``response``: English message ids, translated through the catalogs)
SCCT: dict[str, dict[str, Any]] = {
    "victim": {
        "attribution": N_("weak: the organisation is seen as a victim too (natural disaster, rumour, outside attack)"),
        "strategies": [
            "Instructing information: what happened, what people should do now, where to get help.",
            "Adjusting information: express concern for those affected; explain what is being done.",
            "Bolstering: remind the community of past good work and thank those who stand by you.",
            "If there is a history of similar crises, treat it as the next cluster up (accidental).",
        ],
        "label": N_("victim"),
        "response": N_("give instructing information (what people should do now) and show concern; add diminishing explanations only if there is a history of similar crises"),
    },
    "accidental": {
        "attribution": N_("low to moderate: unintended (technical failure, product fault without negligence)"),
        "strategies": [
            "Instructing and adjusting information first, fast and in every language the audience writes in.",
            "Diminish: explain the cause honestly and that it was not intended; never blame the people affected.",
            "Add rebuilding (apology, practical remedy) if the organisation has a similar history or a weak "
            "reputation.",
            "Keep updates coming until the service is back; say when the next update is due.",
        ],
        "label": N_("accidental"),
        "response": N_("explain the cause without minimising the harm, state the fix; move to a full apology if such failures have happened before"),
    },
    "preventable": {
        "attribution": N_("strong: people were put at risk knowingly or by negligence (misconduct, data mishandling)"),
        "strategies": [
            "Rebuild: a full apology that takes responsibility, without hedging.",
            "Compensation or concrete remedies for those affected, and the steps that prevent a repeat.",
            "Instructing and adjusting information alongside: who is affected and what they should do.",
            "Avoid denial and scapegoating: with strong attribution they backfire.",
        ],
        "label": N_("preventable"),
        "response": N_("rebuild: a full apology, responsibility, corrective action and, where fitting, compensation — never deny or shift blame"),
    },
}
