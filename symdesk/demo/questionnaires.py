"""Questionnaires of the demo zone's current campaign, made up deterministically.

Most residents answered (some verified, some complete, some drafts); planned
residents and a few others have not. The resource-efficiency answers are
plausible for the resident's sector and size, with a few deliberate outliers
so that comparisons within a sector have something to find. The same input
always gives the same questionnaires.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from symdesk.demo.zone_file import DemoZone, demo_id
from symdesk.domain.questionnaire import Questionnaire, QuestionnaireStatus
from symdesk.domain.records import RecordMeta
from symdesk.domain.resident import Resident, ResidentStatus

# Per employee per year: electricity MWh, heat Gcal, gas thousand m³, water m³,
# and production (unit, amount). Orders of magnitude for Belarusian plants.
SECTOR_INTENSITY: dict[str, tuple[float, float, float, float, str, float]] = {
    "01": (30, 60, 8, 900, "т", 40),
    "03": (20, 10, 1, 4000, "т", 6),
    "10": (22, 30, 4, 450, "т", 55),
    "11": (25, 35, 5, 600, "тыс. дал", 8),
    "13": (15, 12, 1.5, 120, "тыс. м²", 9),
    "14": (5, 4, 0.4, 30, "тыс. шт", 2.5),
    "16": (28, 20, 2, 60, "м³", 120),
    "17": (40, 45, 6, 350, "т", 90),
    "20": (60, 55, 12, 300, "т", 70),
    "21": (30, 25, 3, 250, "тыс. упак.", 30),
    "22": (35, 10, 1, 40, "т", 45),
    "23": (50, 25, 20, 150, "т", 250),
    "24": (80, 30, 25, 120, "т", 60),
    "25": (20, 12, 2, 60, "т", 15),
    "26": (12, 8, 0.5, 40, "тыс. шт", 40),
    "28": (15, 12, 1.5, 45, "шт", 6),
    "29": (14, 10, 1.2, 40, "шт", 12),
    "31": (12, 10, 1, 35, "шт", 150),
    "35": (40, 20, 180, 300, "Гкал", 1500),
    "36": (30, 6, 0.5, 200, "тыс. м³", 60),
    "37": (30, 6, 0.5, 200, "тыс. м³", 60),
    "38": (15, 6, 1, 80, "т", 300),
    "45": (6, 8, 0.5, 30, "нормо-ч", 1200),
    "49": (5, 5, 0.3, 20, "тыс. т·км", 250),
    "52": (8, 6, 0.5, 25, "тыс. т", 3),
}
SERVICE_INTENSITY = (5, 6, 0.3, 25, "", 0.0)

RAW_MATERIALS = {
    "10": "молоко, мясо, зерно, масличные",
    "11": "солод, хмель, вода, сахар",
    "13": "пряжа полиэфирная и хлопковая",
    "16": "круглый лес, пиломатериалы",
    "17": "макулатура, целлюлоза, крахмал",
    "20": "этиленгликоль, терефталевая кислота, сырьё для техуглерода",
    "22": "гранулы полиэтилена и полипропилена",
    "23": "цемент, щебень, песок, глина",
    "24": "чугунный и стальной лом, кокс, формовочные смеси",
    "25": "металлопрокат, гальванические растворы",
    "31": "ДСП, МДФ, фурнитура, лаки",
    "35": "природный газ",
    "38": "отходы, вторичное сырьё",
}
MEASURES = (
    "частотные приводы насосов и вентиляторов",
    "светодиодное освещение",
    "возврат конденсата",
    "утилизация тепла дымовых газов",
    "оборотное водоснабжение",
    "раздельный сбор отходов",
    "учёт энергоресурсов по цехам",
)
SURVEYORS = ("Ковалёва Н. С.", "Жук А. В.", "Мельников Д. И.")
NOT_SURVEYED = 3  # active residents left without a questionnaire, besides planned ones
OUTLIER_EVERY = 11  # every 11th surveyed resident uses about twice its sector's electricity


def _answers(resident: Resident, rng: random.Random, outlier: bool, full: bool) -> dict[str, Any]:
    division = resident.activity_codes[0][:2] if resident.activity_codes else ""
    elec, heat, gas, water, unit, output = SECTOR_INTENSITY.get(division, SERVICE_INTENSITY)
    staff = max(resident.staff_count or 10, 5)

    def vary(base: float, spread: float = 0.25) -> float:
        return base * staff * rng.uniform(1 - spread, 1 + spread)

    answers: dict[str, Any] = {
        "electricity_mwh": round(vary(elec) * (2.2 if outlier else 1.0), 1),
        "heat_gcal": round(vary(heat), 1),
    }
    if full:
        answers["gas_thousand_m3"] = round(vary(gas), 1)
        answers["water_m3"] = round(vary(water), -1)
        if unit:
            answers["production_volume"] = round(vary(output, 0.2), 1)
            answers["production_unit"] = unit
        answers["raw_materials"] = RAW_MATERIALS.get(division, "")
        answers["saving_measures"] = "; ".join(rng.sample(MEASURES, rng.randint(1, 3)))
        answers["cleaner_production_interest"] = rng.choice(("yes", "yes", "maybe", "no"))
    return {k: v for k, v in answers.items() if v not in ("", None)}


def demo_questionnaires(demo: DemoZone, form_id: str, form_version: str) -> list[Questionnaire]:
    """One questionnaire of the latest campaign for most residents of the demo zone."""
    campaign = max(demo.campaigns, key=lambda c: c.year)
    start = campaign.start_date or date(campaign.year, 3, 1)
    rng = random.Random(20260302)
    active = [r for r in demo.residents if r.status is not ResidentStatus.PLANNED]
    skipped = {r.id for r in active[7 :: max(1, len(active) // NOT_SURVEYED)][:NOT_SURVEYED]}
    result = []
    for n, resident in enumerate(r for r in active if r.id not in skipped):
        status = (QuestionnaireStatus.VERIFIED, QuestionnaireStatus.COMPLETE, QuestionnaireStatus.DRAFT)[n % 3]
        draft = status is QuestionnaireStatus.DRAFT
        result.append(
            Questionnaire(
                resident_id=resident.id,
                campaign_id=campaign.id,
                status=status,
                surveyor=SURVEYORS[n % len(SURVEYORS)],
                survey_date=None if draft and n % 2 else start + timedelta(days=rng.randint(0, 100)),
                consent_to_share=n % 7 != 3,
                form_id=form_id,
                form_version=form_version,
                answers=_answers(resident, rng, outlier=n % OUTLIER_EVERY == 5, full=not draft or n % 2 == 0),
                meta=RecordMeta(id=demo_id("questionnaire", campaign.id, resident.id)),
            )
        )
    return result
