"""Situational Crisis Communication Theory (Coombs): the crisis types and the response each one calls for.

One table behind notebook 03 (:func:`helpers.crisis.scct_strategies`), the recommendations
(:mod:`helpers.publish.recommend`) and the crisis playbook. A plain constant with no imports, so that pages and
runs can read it without loading the analyses.
"""
from __future__ import annotations

from typing import Any

__all__ = ["SCCT"]

#: SCCT (Coombs): crisis clusters and the response strategies the playbook recommends for each; the one table
#: behind notebook 03, the recommendations and the playbook (``label`` and ``response`` per language)
SCCT: dict[str, dict[str, Any]] = {
    "victim": {
        "attribution": "weak: the organisation is seen as a victim too (natural disaster, rumour, outside attack)",
        "strategies": [
            "Instructing information: what happened, what people should do now, where to get help.",
            "Adjusting information: express concern for those affected; explain what is being done.",
            "Bolstering: remind the community of past good work and thank those who stand by you.",
            "If there is a history of similar crises, treat it as the next cluster up (accidental).",
        ],
        "label": {"en": "victim", "ru": "«жертва»"},
        "response": {
            "en": "give instructing information (what people should do now) and show concern; add diminishing explanations only if there is a history of similar crises",
            "ru": "дайте инструктирующую информацию (что людям делать сейчас) и проявите участие; объяснения, смягчающие ответственность, — только при истории похожих кризисов",
        },
    },
    "accidental": {
        "attribution": "low to moderate: unintended (technical failure, product fault without negligence)",
        "strategies": [
            "Instructing and adjusting information first, fast and in every language the audience writes in.",
            "Diminish: explain the cause honestly and that it was not intended; never blame the people affected.",
            "Add rebuilding (apology, practical remedy) if the organisation has a similar history or a weak "
            "reputation.",
            "Keep updates coming until the service is back; say when the next update is due.",
        ],
        "label": {"en": "accidental", "ru": "«случайность»"},
        "response": {
            "en": "explain the cause without minimising the harm, state the fix; move to a full apology if such failures have happened before",
            "ru": "объясните причину, не преуменьшая вред, и назовите исправление; при повторяющихся сбоях переходите к полному извинению",
        },
    },
    "preventable": {
        "attribution": "strong: people were put at risk knowingly or by negligence (misconduct, data mishandling)",
        "strategies": [
            "Rebuild: a full apology that takes responsibility, without hedging.",
            "Compensation or concrete remedies for those affected, and the steps that prevent a repeat.",
            "Instructing and adjusting information alongside: who is affected and what they should do.",
            "Avoid denial and scapegoating: with strong attribution they backfire.",
        ],
        "label": {"en": "preventable", "ru": "«предотвратимый»"},
        "response": {
            "en": "rebuild: a full apology, responsibility, corrective action and, where fitting, compensation — never deny or shift blame",
            "ru": "восстановление: полное извинение, принятие ответственности, исправление и, где уместно, компенсация — без отрицания и перекладывания вины",
        },
    },
}
