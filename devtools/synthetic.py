"""Large synthetic data sets for benchmarks (``manage.py generate_synthetic``).

``generate`` fills a database that holds no real records with many realistic initiatives and
everything around them. Distributions are skewed as in real reporting: a few countries,
organisations, sectors and funding models are very common and most are rare. Titles and
summaries combine a vocabulary of everyday words with invented place names, so full-text
search meets both common and rare words. The same seed gives the same data.

Rows are written with PostgreSQL ``COPY`` in chunks inside one transaction, so a failure leaves
nothing behind; foreign keys and plain indexes are set aside meanwhile and rebuilt at the end.
Generated initiatives and organisations have slugs starting with ``synthetic-``; ``generate``
refuses to touch a database that holds any other.
"""

import datetime
import hashlib
import random
import time
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import connection, transaction
from django.utils import translation
from django.utils.text import slugify
from django_countries import countries as country_names

from funding.models import FundingContribution, FundingModel
from initiatives.browse.search import SEARCH_CONFIG, STEMMING, fold_accents
from initiatives.models import (
    Indicator,
    Initiative,
    InitiativeCountry,
    InitiativeSector,
    InitiativeTranslation,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from initiatives.services import MODERATION_FIELDS
from learning.models import Lesson
from organisations.models import NetworkMembership, Organisation, OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus, ResultType
from reference.models import Country, Modality, Sector, SustainableDevelopmentGoal

PREFIX = "synthetic-"
CHUNK = 5_000  # initiatives built and written at a time
FIRST_YEAR, LAST_YEAR = 1995, 2025
UTC = datetime.UTC

State = Initiative.State
Role = Participation.Role
Stance = PrincipleEvidence.Stance
Strength = PrincipleEvidence.Strength
DocumentType = Source.DocumentType
Kind = NonMonetaryContribution.Kind
Involvement = Initiative.GovernmentInvolvement

Progress = Callable[[str], Any]


class SyntheticDataError(Exception):
    """The database is not one synthetic data may be written to (nothing was written)."""


# --- Random choices ---


class SeededRandom(random.Random):
    """``random.Random`` with quicker ``randint`` and ``choice`` (a float each): the standard
    ones are exact but several times slower, and they run millions of times here."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence):
        return seq[int(self.random() * len(seq))]


class Picker:
    """Draws items with fixed relative weights from a seeded ``random.Random``."""

    def __init__(self, items: Iterable, weights: Iterable[float]):
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        if not self.items or len(self.items) != len(self.cumulative):
            raise ValueError("A picker needs as many weights as items, and at least one.")
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        index = bisect(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]  # min: float rounding at the top

    def __len__(self) -> int:
        return len(self.items)

    def distinct(self, rng: random.Random, k: int, exclude: Sequence = ()) -> list:
        """Up to ``k`` different items, none of them in ``exclude``."""
        chosen: list = []
        for _ in range(k * 20):
            if len(chosen) == k:
                break
            item = self(rng)
            if item not in chosen and item not in exclude:
                chosen.append(item)
        return chosen


def zipf(items: Iterable, exponent: float = 1.0) -> Picker:
    """The first item most likely, the n-th about 1/n^exponent as likely: a long tail."""
    items = list(items)
    return Picker(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])


def weighted(pairs: dict) -> Picker:
    return Picker(pairs.keys(), pairs.values())


def counts(*weights: float) -> Picker:
    """How many of something: 0, 1, 2… with these weights (weight 0 rules a count out)."""
    return Picker(range(len(weights)), weights)


def _words(text: str) -> list[str]:
    return text.split()


# --- Vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """Words and sentence patterns to write titles, summaries and descriptions in a language."""

    activities: list[str]
    topics: list[tuple[str, str]]  # (phrase, DAC sector code it belongs to)
    groups: list[str]
    titles: list[str]
    openings: list[str]
    results: list[str]
    details: list[str]
    people: list[str]
    result_nouns: list[str]


ENGLISH = Vocabulary(
    activities=[
        "Farmer-to-farmer exchanges",
        "Peer learning visits",
        "Training of trainers",
        "Community mentoring",
        "Exchange visits",
        "Participatory workshops",
        "Strategic dialogue",
        "Learning routes",
        "Field schools",
        "Twinning of cooperatives",
        "Technical accompaniment",
        "Study tours",
        "Community radio exchanges",
        "Joint action research",
        "Toolkits and coaching",
        "Leadership training",
        "Horizontal learning",
        "Community-led mapping",
    ],
    topics=[
        ("native seed banks", "31166"),
        ("agroecology", "31120"),
        ("urban housing rights", "16030"),
        ("community savings", "24040"),
        ("microfinance for women", "24040"),
        ("social accountability", "15150"),
        ("post-earthquake reconstruction", "73010"),
        ("rainwater harvesting", "14031"),
        ("primary health care", "12220"),
        ("maternal health", "12261"),
        ("HIV prevention", "13040"),
        ("land rights", "15160"),
        ("participatory budgeting", "15112"),
        ("fisheries co-management", "31320"),
        ("school gardens", "43072"),
        ("solar energy for villages", "23210"),
        ("waste pickers' cooperatives", "32130"),
        ("disaster risk reduction", "74020"),
        ("climate adaptation", "41010"),
        ("women's leadership", "15170"),
        ("youth employment", "16020"),
        ("cooperative marketing", "32130"),
        ("adult literacy", "11231"),
        ("citizen monitoring of public services", "15150"),
        ("indigenous knowledge", "41030"),
        ("forest stewardship", "41030"),
        ("legal aid", "15160"),
        ("domestic workers' rights", "15160"),
        ("street vendors' organising", "16020"),
        ("community sanitation", "14030"),
        ("drip irrigation", "31120"),
        ("beekeeping", "31163"),
        ("dairy cooperatives", "31163"),
        ("housing finance", "16040"),
        ("slum upgrading", "16040"),
        ("community health workers", "12281"),
        ("vocational training", "11330"),
        ("ending violence against women", "15180"),
        ("food security", "43072"),
        ("rural development", "43040"),
        ("local governance", "15112"),
        ("resilient housing", "73010"),
        ("water committees", "14030"),
        ("agricultural extension", "31166"),
        ("solidarity economy", "43010"),
    ],
    groups=[
        "smallholder farmers",
        "women's groups",
        "youth collectives",
        "rural cooperatives",
        "urban poor federations",
        "fishing communities",
        "indigenous communities",
        "community health workers",
        "local councils",
        "street vendors",
        "domestic workers",
        "pastoralists",
        "savings groups",
        "teachers",
        "midwives",
        "waste pickers",
        "landless workers",
        "refugee families",
        "people living with HIV",
        "persons with disabilities",
    ],
    titles=[
        "{activity} on {topic} for {group} in {recipient}",
        "{activity} on {topic} between {provider} and {recipient}",
        "{topic_cap} with {group} of {place}, {recipient}",
        "From {provider} to {recipient}: {activity_lower} on {topic}",
        "{group_cap} of {provider} and {recipient} share {topic}",
        "{activity} for {group} in {place} ({recipient})",
        "{topic_cap} in {place}: {activity_lower} with {group}",
    ],
    openings=[
        "Organisations from {provider} worked with {group} in {place}, {recipient}, on "
        "{topic} through {activity_lower}.",
        "{group_cap} in {recipient} learned about {topic} from peers in {provider}, with "
        "{activity_lower} and follow-up visits.",
        "A partnership of {group} from {provider} and {recipient} to improve {topic} in {place}.",
        "{activity} brought {group} from {provider} to {place}, {recipient}, to compare how "
        "they approach {topic}.",
    ],
    results=[
        "By {year}, {number} households had joined {result_noun}.",
        "About {number} {people} took part, {share} per cent of them women.",
        "{number} {people} were trained and {number2} went on to train others.",
        "The partners report {number} new {result_noun} in and around {place}.",
        "Within {small} years, {number} {people} had set up {result_noun} of their own.",
    ],
    details=[
        "The work started when {group} in {recipient} asked for advice from peers who had "
        "faced similar problems in {provider}.",
        "Visits went both ways: {people} from {place} also travelled to {provider} to see "
        "{topic} in practice.",
        "Local authorities were kept informed and, in some districts, joined the training.",
        "Participants adapted the methods to local conditions instead of copying them.",
        "Most of the cost was met by the communities themselves, with small grants for travel.",
        "A mid-term review found that women took on more leadership roles than planned.",
        "The exchanges continued after the funding ended, through a network the partners set "
        "up together.",
        "Records of every meeting were kept in the local language and shared by community radio.",
        "Coordination with other donors in {recipient} remained informal.",
        "{people_cap} trained in the first year became trainers in the second.",
    ],
    people=[
        "farmers",
        "women",
        "young people",
        "households",
        "health workers",
        "community leaders",
        "teachers",
        "fishers",
        "residents",
    ],
    result_nouns=[
        "savings groups",
        "seed banks",
        "community kitchens",
        "water committees",
        "housing cooperatives",
        "citizen report cards",
        "producer cooperatives",
        "health posts",
        "youth clubs",
        "school gardens",
    ],
)

PORTUGUESE = Vocabulary(
    activities=[
        "Intercâmbio de agricultor a agricultor",
        "Visitas de aprendizagem",
        "Formação de formadores",
        "Mentoria comunitária",
        "Diálogo entre pares",
        "Oficinas participativas",
        "Rotas de aprendizagem",
    ],
    topics=[
        ("sementes crioulas", "31166"),
        ("bancos comunitários de sementes", "31166"),
        ("agroecologia", "31120"),
        ("habitação popular", "16040"),
        ("poupança comunitária", "24040"),
        ("microcrédito", "24040"),
        ("controle social", "15150"),
        ("reconstrução após desastres", "73010"),
        ("captação de água da chuva", "14031"),
        ("saúde comunitária", "12220"),
        ("direitos das mulheres", "15170"),
        ("emprego juvenil", "16020"),
        ("cooperativas de catadores", "32130"),
        ("segurança alimentar", "43072"),
        ("economia solidária", "43010"),
        ("educação popular", "11231"),
    ],
    groups=[
        "agricultores familiares",
        "grupos de mulheres",
        "jovens",
        "cooperativas rurais",
        "comunidades quilombolas",
        "pescadores artesanais",
        "associações de moradores",
        "agentes comunitários de saúde",
    ],
    titles=[
        "{activity} sobre {topic} com {group} em {recipient}",
        "{activity} entre {provider} e {recipient}: {topic}",
        "{topic_cap} para {group} de {place}, {recipient}",
    ],
    openings=[
        "Organizações de {provider} trabalharam com {group} em {place}, {recipient}, sobre "
        "{topic}.",
        "{group_cap} de {recipient} aprenderam sobre {topic} com parceiros de {provider}.",
    ],
    results=[
        "Até {year}, {number} famílias participaram.",
        "Cerca de {number} pessoas foram formadas, {share} por cento delas mulheres.",
        "Os parceiros contam {number} novos grupos em {place}.",
    ],
    details=[
        "As visitas aconteceram nos dois sentidos e as comunidades adaptaram os métodos.",
        "A maior parte dos custos foi coberta pelas próprias comunidades.",
        "As autoridades locais acompanharam algumas das oficinas.",
    ],
    people=["agricultores", "mulheres", "jovens", "famílias"],
    result_nouns=["grupos de poupança", "bancos de sementes", "cooperativas"],
)

SPANISH = Vocabulary(
    activities=[
        "Intercambio de campesino a campesino",
        "Visitas de aprendizaje",
        "Formación de formadores",
        "Acompañamiento técnico",
        "Diálogo entre pares",
        "Talleres participativos",
        "Rutas de aprendizaje",
    ],
    topics=[
        ("semillas nativas", "31166"),
        ("agroecología", "31120"),
        ("vivienda social", "16040"),
        ("ahorro comunitario", "24040"),
        ("microfinanzas", "24040"),
        ("contraloría social", "15150"),
        ("reconstrucción tras el terremoto", "73010"),
        ("cosecha de agua de lluvia", "14031"),
        ("salud comunitaria", "12220"),
        ("derechos de las mujeres", "15170"),
        ("empleo juvenil", "16020"),
        ("cooperativas de recicladores", "32130"),
        ("seguridad alimentaria", "43072"),
        ("presupuesto participativo", "15112"),
        ("gestión del riesgo de desastres", "74020"),
    ],
    groups=[
        "pequeños productores",
        "grupos de mujeres",
        "jóvenes",
        "cooperativas rurales",
        "comunidades indígenas",
        "pescadores artesanales",
        "juntas de vecinos",
        "promotoras de salud",
    ],
    titles=[
        "{activity} sobre {topic} con {group} en {recipient}",
        "{activity} entre {provider} y {recipient}: {topic}",
        "{topic_cap} para {group} de {place}, {recipient}",
    ],
    openings=[
        "Organizaciones de {provider} trabajaron con {group} en {place}, {recipient}, sobre "
        "{topic}.",
        "{group_cap} de {recipient} aprendieron sobre {topic} con sus pares de {provider}.",
    ],
    results=[
        "Hasta {year}, participaron {number} familias.",
        "Unas {number} personas recibieron formación; el {share} por ciento eran mujeres.",
        "Las organizaciones cuentan {number} nuevos grupos en {place}.",
    ],
    details=[
        "Las visitas fueron en ambos sentidos y las comunidades adaptaron los métodos.",
        "Las propias comunidades cubrieron la mayor parte de los costos.",
        "Las autoridades municipales participaron en algunos talleres.",
    ],
    people=["campesinos", "mujeres", "jóvenes", "familias"],
    result_nouns=["grupos de ahorro", "bancos de semillas", "cooperativas"],
)

FRENCH = Vocabulary(
    activities=[
        "Échanges de paysan à paysan",
        "Visites d'apprentissage",
        "Formation de formateurs",
        "Accompagnement technique",
        "Dialogue entre pairs",
        "Ateliers participatifs",
    ],
    topics=[
        ("semences paysannes", "31166"),
        ("agroécologie", "31120"),
        ("logement social", "16040"),
        ("épargne communautaire", "24040"),
        ("microfinance", "24040"),
        ("redevabilité sociale", "15150"),
        ("reconstruction après le séisme", "73010"),
        ("santé communautaire", "12220"),
        ("droits des femmes", "15170"),
        ("emploi des jeunes", "16020"),
        ("sécurité alimentaire", "43072"),
        ("gouvernance locale", "15112"),
    ],
    groups=[
        "petits producteurs",
        "groupements de femmes",
        "jeunes",
        "coopératives rurales",
        "communautés de pêcheurs",
        "associations de quartier",
        "agents de santé communautaire",
    ],
    titles=[
        "{activity} sur {topic} avec {group} en {recipient}",
        "{activity} entre {provider} et {recipient} : {topic}",
        "{topic_cap} pour {group} de {place}, {recipient}",
    ],
    openings=[
        "Des organisations de {provider} ont travaillé avec {group} à {place}, {recipient}, "
        "sur {topic}.",
        "{group_cap} de {recipient} ont appris de leurs pairs de {provider} sur {topic}.",
    ],
    results=[
        "En {year}, {number} ménages y participaient.",
        "Environ {number} personnes ont été formées, dont {share} pour cent de femmes.",
        "Les partenaires comptent {number} nouveaux groupes à {place}.",
    ],
    details=[
        "Les visites ont eu lieu dans les deux sens et les communautés ont adapté les méthodes.",
        "Les communautés ont pris en charge la plus grande partie des coûts.",
        "Les autorités locales ont suivi certains ateliers.",
    ],
    people=["paysans", "femmes", "jeunes", "ménages"],
    result_nouns=["groupes d'épargne", "banques de semences", "coopératives"],
)

VOCABULARIES = {"en": ENGLISH, "pt": PORTUGUESE, "es": SPANISH, "fr": FRENCH}

# The language organisations of a country usually write in, where it is not English.
COUNTRY_LANGUAGE = {
    **dict.fromkeys(["BR", "MZ", "AO", "CV", "GW", "ST", "TL"], "pt"),
    **dict.fromkeys(_words("MX CO AR PE BO EC GT HN NI SV PY CU DO CR VE CL UY PA"), "es"),
    **dict.fromkeys(
        _words("SN CI ML BF NE HT CM CD CG GA TD BJ TG GN MG BI RW CF DJ KM MA TN DZ MR"), "fr"
    ),
}

# Countries in the order of how often they appear; the rest follow in a seeded order.
PROVIDER_HEAD = _words("BR IN ZA MX CN ID CO TR AR KE TH PH EG NG CL MY PE BD GH VN EC MA SN PK LK")
RECIPIENT_HEAD = _words(
    "MZ HT BD KH ET NP AO GT BO HN TZ UG MW SN KE ML NI PY ZW ZM LA TL SS SO AF YE CD MG RW "
    "PE CO IN ZA NG GH BF NE SL LR"
)
DONOR_COUNTRIES = _words("NO SE DE GB NL DK FR JP CA US CH ES IT KR AU BE FI IE")
FRAGILE = set(_words("HT SS SO AF YE CD CF ML TD NE BF SD SY MM ET MZ LY IQ PS BI"))
CONFLICT = set(_words("SS SO AF YE CD CF ML SD SY MM LY IQ PS"))
DISASTER_PRONE = set(_words("HT NP MZ PH PK MW TR SY BD MM"))

# First choices for sectors, SDGs, modalities and funding models; the rest form the tail.
SDG_HEAD = [1, 2, 5, 16, 17, 10, 11, 4, 3, 6, 8, 13]
MODALITY_WEIGHTS = {
    "training": 30,
    "exchange-visits": 26,
    "peer-dialogue": 20,
    "tools-and-methods": 14,
    "mentoring": 10,
}
FUNDING_MODEL_WEIGHTS = {
    "citizen-donations": 30,
    "triangular": 22,
    "provider-government": 15,
    "beneficiary-resources": 14,
    "mixed-other": 12,
    "private-sector": 7,
}
PRINCIPLE_WEIGHTS = {
    "ownership": 35,
    "inclusive-partnerships": 28,
    "results": 22,
    "transparency-accountability": 15,
}
CURRENCY_OF = {"BR": "BRL", "IN": "INR", "ZA": "ZAR", "MX": "MXN", "CN": "CNY", "KE": "KES"}

ACTOR_TYPE_WEIGHTS = {
    OrganisationType.NATIONAL_NGO: 30,
    OrganisationType.COMMUNITY_BASED: 18,
    OrganisationType.NETWORK: 8,
    OrganisationType.SOCIAL_MOVEMENT: 6,
    OrganisationType.FAITH_BASED: 6,
    OrganisationType.INTERNATIONAL_NGO: 5,
    OrganisationType.ACADEMIC: 6,
    OrganisationType.LOCAL_GOVERNMENT: 6,
    OrganisationType.NATIONAL_GOVERNMENT: 3,
    OrganisationType.PRIVATE_SECTOR: 4,
    OrganisationType.FOUNDATION: 4,
    OrganisationType.MULTILATERAL: 1,
    OrganisationType.TRADITIONAL_DONOR: 2,
}
OWNER_TYPES = {
    OrganisationType.NATIONAL_NGO,
    OrganisationType.COMMUNITY_BASED,
    OrganisationType.NETWORK,
    OrganisationType.SOCIAL_MOVEMENT,
    OrganisationType.FAITH_BASED,
    OrganisationType.INTERNATIONAL_NGO,
    OrganisationType.ACADEMIC,
}
FUNDER_TYPES = {
    OrganisationType.FOUNDATION,
    OrganisationType.TRADITIONAL_DONOR,
    OrganisationType.NATIONAL_GOVERNMENT,
    OrganisationType.PRIVATE_SECTOR,
    OrganisationType.MULTILATERAL,
    OrganisationType.INTERNATIONAL_NGO,
}

ORGANISATION_PATTERNS = {
    OrganisationType.NATIONAL_NGO: [
        "{place} Centre for {focus}",
        "Association for {focus} in {place}",
        "{place} {focus} Trust",
        "Institute for {focus} and {focus2}",
    ],
    OrganisationType.COMMUNITY_BASED: [
        "{place} {group} Association",
        "{group} Committee of {place}",
        "{place} Neighbourhood {group} Union",
    ],
    OrganisationType.SOCIAL_MOVEMENT: [
        "Movement of {group} of {country}",
        "{country} {group} Movement",
    ],
    OrganisationType.FAITH_BASED: [
        "{place} Diocesan Relief Service",
        "{country} Council of Churches, Development Desk",
        "Islamic Relief Committee of {place}",
    ],
    OrganisationType.NETWORK: [
        "{region} Network for {focus}",
        "{country} Alliance of {group}",
        "Federation of {group} of {country}",
    ],
    OrganisationType.INTERNATIONAL_NGO: ["{focus} International", "Global {focus} Partnership"],
    OrganisationType.NATIONAL_GOVERNMENT: [
        "{country} Agency for International Cooperation",
        "Ministry of {focus}, {country}",
    ],
    OrganisationType.LOCAL_GOVERNMENT: ["Municipality of {place}", "{place} District Council"],
    OrganisationType.PRIVATE_SECTOR: ["{place} {product} Company", "{surname} & Partners"],
    OrganisationType.ACADEMIC: [
        "University of {place}",
        "{place} Institute of Development Studies",
    ],
    OrganisationType.MULTILATERAL: ["{region} Development Fund", "Regional Commission for {focus}"],
    OrganisationType.FOUNDATION: ["{surname} Foundation", "{place} Community Foundation"],
    OrganisationType.TRADITIONAL_DONOR: [
        "{country} Development Agency",
        "{country} Ministry of Foreign Affairs",
    ],
}
FOCUSES = [
    "Rural Development",
    "Housing Rights",
    "Social Accountability",
    "Agroecology",
    "Women's Rights",
    "Community Health",
    "Water and Sanitation",
    "Popular Education",
    "Solidarity Economy",
    "Citizen Participation",
    "Disaster Recovery",
    "Land and Territory",
    "Youth Leadership",
    "Food Sovereignty",
]
ORGANISATION_GROUPS = [
    "Farmers",
    "Women",
    "Fishers",
    "Youth",
    "Slum Dwellers",
    "Waste Pickers",
    "Landless Workers",
    "Seed Guardians",
    "Street Vendors",
    "Domestic Workers",
]
PRODUCTS = ["Solar", "Seeds", "Water", "Cooperative Trading", "Building Materials", "Mobile"]
SURNAMES = _words(
    "Mendes Okafor Nkosi Sharma Osei Banda Tran Santos Quispe Haddad Mwangi Diallo Lim Reyes "
    "Kamau Rahman Silva Moyo Ochieng Nguyen"
)

OUTCOME_TITLES = [
    "{number} {people} use what they learned about {topic}",
    "{result_noun_cap} set up in {place}",
    "Local authorities in {place} adopted the approach",
    "Partners kept meeting after the project ended",
    "{people_cap} run their own {result_noun}",
    "Women hold {share} per cent of committee seats",
]
OUTCOME_NARRATIVES = [
    "Follow-up visits found most groups still active a year later.",
    "The change was reported by participants and confirmed by the local council.",
    "Figures come from the partners' own monitoring records.",
    "",
]
INDICATORS = [
    ("Households in savings groups", "households"),
    ("Seed varieties conserved", "varieties"),
    ("People trained", "people"),
    ("Community plans adopted by the council", "plans"),
    ("Women in leadership roles", "%"),
    ("Water points working", "water points"),
    ("Houses rebuilt", "houses"),
    ("Cooperatives registered", "cooperatives"),
]
EVIDENCE = {
    "ownership": {
        Stance.SUPPORTS: [
            "{group_cap} in {place} chose the activities and ran the meetings themselves.",
            "Recipient organisations set the agenda of each exchange visit.",
        ],
        Stance.CHALLENGES: [
            "Plans were drawn up in {provider} and only presented to partners in {recipient}.",
        ],
    },
    "results": {
        Stance.SUPPORTS: [
            "Partners tracked {number} {people} over three years and shared the figures.",
            "An external review confirmed the reported change in {place}.",
        ],
        Stance.CHALLENGES: ["No baseline was recorded, so changes cannot be measured."],
    },
    "inclusive-partnerships": {
        Stance.SUPPORTS: [
            "Local government, community groups and a university worked together on {topic}.",
        ],
        Stance.CHALLENGES: [
            "Other donors working on {topic} in {recipient} were not consulted.",
        ],
    },
    "transparency-accountability": {
        Stance.SUPPORTS: [
            "Budgets and reports were read out at open community meetings in {place}.",
        ],
        Stance.CHALLENGES: ["Spending was reported to the funder only, not to communities."],
    },
}
GENERIC_EVIDENCE = {
    Stance.SUPPORTS: ["Partners describe how the principle shaped the work in {place}."],
    Stance.CHALLENGES: ["Partners describe where the work fell short of the principle."],
}
QUOTES = [
    "We decided what to plant, not the visitors.",
    "Now the council calls us before it decides.",
    "Our savings paid for the first houses.",
]
REVIEW_NOTES = [
    "Please name the partners in the recipient country and say what each did.",
    "Add a source for the results you report, or mark them as claimed.",
    "The summary repeats the title; say what changed and for whom.",
    "Give the years of the exchange visits.",
]
DOCUMENT_LABELS = {
    DocumentType.EVALUATION: "Evaluation report",
    DocumentType.ANNUAL_REPORT: "Annual report",
    DocumentType.CASE_STUDY: "Case study",
    DocumentType.RESEARCH: "Working paper",
    DocumentType.PROJECT_DOCUMENT: "Project document",
    DocumentType.NEWS: "Press article",
    DocumentType.WEB_PAGE: "Web page",
    DocumentType.OTHER: "Note",
}
FUNDING_NOTES = [
    "",
    "",
    "Donations collected in parishes and schools.",
    "Members' own savings.",
    "Travel costs only.",
    "The partners give no breakdown by year.",
]
IN_KIND_UNITS = ["seed kits", "radio hours", "volunteer weeks", "training manuals"]
SYLLABLES = _words(
    "ka lo mo ba ri tu na se ma ko wa ni zu le ta mbe nga chi pa so ru di ye ho fu gi la "
    "sa mu ne ki to ju va"
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _place_names(rng: random.Random, count: int) -> list[str]:
    """Invented, pronounceable district names: a long tail of rare words for search."""
    names: dict[str, None] = {}
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        names[_cap(word)] = None
    return list(names)


# --- Reference data --------------------------------------------------------------------------


@dataclass
class _Reference:
    """Reference rows from the database, arranged as skewed pickers."""

    country_names: dict[str, dict[str, str]]  # language -> code -> name
    regions: dict[str, str]
    providers: Picker
    recipients: Picker
    donor_countries: Picker
    sectors: Picker
    active_sectors: set[str]
    sdgs: Picker
    modalities: Picker
    funding_models: Picker
    principles: Picker  # (id, slug)

    @classmethod
    def load(cls, rng: random.Random) -> "_Reference":
        income = dict(Country.objects.values_list("code", "income_group"))
        if not income:
            raise SyntheticDataError("No countries: run the migrations first.")
        middle = sorted(c for c, g in income.items() if g in ("lower_middle", "upper_middle"))
        poorer = sorted(c for c, g in income.items() if g in ("low", "lower_middle"))
        upper = sorted(c for c, g in income.items() if g == "upper_middle")
        providers = _ranked(rng, PROVIDER_HEAD, income, middle)
        recipients = _ranked(rng, RECIPIENT_HEAD, income, poorer, upper)
        donors = [c for c in DONOR_COUNTRIES if c in income] or sorted(income)
        sectors = sorted(Sector.objects.filter(is_active=True).values_list("code", flat=True))
        topic_sectors = [
            code for vocabulary in VOCABULARIES.values() for _, code in vocabulary.topics
        ]
        head = list(dict.fromkeys(c for c in topic_sectors if c in set(sectors)))
        sdgs = sorted(SustainableDevelopmentGoal.objects.values_list("number", flat=True))
        modalities = dict(Modality.objects.values_list("slug", "pk"))
        funding_models = dict(FundingModel.objects.values_list("slug", "pk"))
        principles = list(Principle.objects.order_by("pk").values_list("pk", "slug"))
        if not (sectors and sdgs and modalities and funding_models and principles):
            raise SyntheticDataError("Reference data is missing: run the migrations first.")
        return cls(
            country_names=_country_names(),
            regions=dict(Country.objects.values_list("code", "region")),
            providers=zipf(providers, 1.1),
            recipients=zipf(recipients, 1.0),
            donor_countries=zipf(donors, 0.8),
            sectors=zipf(_ranked(rng, head, set(sectors), sectors), 1.1),
            active_sectors=set(sectors),
            sdgs=zipf(_ranked(rng, SDG_HEAD, set(sdgs), sdgs), 0.9),
            modalities=_by_slug(modalities, MODALITY_WEIGHTS),
            funding_models=_by_slug(funding_models, FUNDING_MODEL_WEIGHTS),
            principles=Picker(principles, [PRINCIPLE_WEIGHTS.get(s, 10) for _, s in principles]),
        )

    def name(self, code: str, language: str) -> str:
        return self.country_names[language].get(code) or self.country_names["en"][code]


def _ranked(rng: random.Random, head: Sequence, known, *tails: Sequence) -> list:
    """``head`` (the items of it that are ``known``) first, then each of ``tails`` in a
    seeded random order."""
    ranked = {item: None for item in head if item in known}
    for tail in tails:
        rest = [item for item in tail if item not in ranked]
        rng.shuffle(rest)
        ranked.update(dict.fromkeys(rest))
    return list(ranked)


def _by_slug(pks: dict[str, int], weights: dict[str, int]) -> Picker:
    """A picker of primary keys weighted by slug; unknown slugs get a small weight."""
    return Picker(pks.values(), [weights.get(slug, 3) for slug in pks])


def _country_names() -> dict[str, dict[str, str]]:
    names = {}
    for language in VOCABULARIES:
        with translation.override(language):
            names[language] = {code: str(name) for code, name in country_names}
    return names


# --- Writing ---------------------------------------------------------------------------------


def _columns(model, *names: str) -> tuple[str, tuple[str, ...]]:
    """The table of ``model`` and the columns of its fields ``names``: a foreign key's column
    is its ``_id``, and a many-to-many field, a table of its own, has none."""
    fields = [model._meta.get_field(name) for name in names]
    return model._meta.db_table, tuple(field.column for field in fields if not field.many_to_many)


STAMPS = ("created_at", "updated_at")
TABLES = {
    "organisations": _columns(
        Organisation,
        "id",
        "name",
        "acronym",
        "slug",
        "home_country_id",
        "actor_type",
        "iati_identifier",
        "website",
        "description",
        *STAMPS,
    ),
    "network memberships": _columns(
        NetworkMembership, "member_id", "network_id", "joined_year", *STAMPS
    ),
    "initiatives": _columns(
        Initiative,
        "id",
        "slug",
        *Initiative.EDITABLE_FIELDS,
        # Synthetic data has no users to name.
        *(name for name in MODERATION_FIELDS if name not in {"reviewed_by", "created_by"}),
        *STAMPS,
    ),
    "initiative translations": _columns(
        InitiativeTranslation, "initiative", *InitiativeTranslation.EDITABLE_FIELDS, *STAMPS
    ),
    "initiative countries": _columns(
        InitiativeCountry, "initiative", *InitiativeCountry.EDITABLE_FIELDS, *STAMPS
    ),
    "participations": _columns(
        Participation, "initiative", *Participation.EDITABLE_FIELDS, *STAMPS
    ),
    "sector links": _columns(InitiativeSector, "initiative", "sector", "share"),
    "SDG links": _columns(
        Initiative.sdg_goals.through, "initiative_id", "sustainabledevelopmentgoal_id"
    ),
    "modality links": _columns(Initiative.modalities.through, "initiative_id", "modality_id"),
    "funding contributions": _columns(
        FundingContribution, "initiative", *FundingContribution.EDITABLE_FIELDS, *STAMPS
    ),
    "non-monetary contributions": _columns(
        NonMonetaryContribution, "initiative", *NonMonetaryContribution.EDITABLE_FIELDS, *STAMPS
    ),
    "outcomes": _columns(
        Outcome, "id", "initiative", *Outcome.EDITABLE_FIELDS, "position", *STAMPS
    ),
    "indicators": _columns(Indicator, "outcome", *Indicator.EDITABLE_FIELDS, *STAMPS),
    "lessons": _columns(
        Lesson,
        "initiative",
        "text",
        "for_civil_society",
        "for_governments",
        "for_funders",
        "position",
        *STAMPS,
    ),
    "sources": _columns(Source, "id", "initiative", *Source.EDITABLE_FIELDS, *STAMPS),
    "principle evidence": _columns(
        PrincipleEvidence,
        "initiative",
        *PrincipleEvidence.EDITABLE_FIELDS,
        "recorded_by_organisation",
        "confirmation",
        "confirmed_by_organisation",
        "confirmed_at",
        *STAMPS,
    ),
}


# Initiatives go through a temporary table, with their text folded as ``initiatives.browse.search``
# folds it, and with the text of their translation (one at most here), so the search vector is
# computed as they are inserted rather than by updating every row afterwards. The expression
# is the one ``initiative_search_vector`` builds, part for part and in the same order.
STAGE = "synthetic_initiative_stage"
FOLDED = (
    "folded_title",
    "folded_summary",
    "folded_names",
    "folded_description",  # and the lessons, after it
    "translation_language",
    "folded_translation_title",
    "folded_translation_summary",
    "folded_translation_rest",  # description
)


def _vector(config: str, weight: str, column: str) -> str:
    return f"setweight(to_tsvector('{config}'::regconfig, COALESCE({column}, '')), '{weight}')"


def _by_language(column: str, vector: Callable[[str], str]) -> str:
    """``vector(config)`` for the configuration of the language in ``column``, if any."""
    cases = " ".join(
        f"WHEN '{language}' THEN {vector(config)}" for language, config in STEMMING.items()
    )
    return f"(CASE {column} {cases} ELSE ''::tsvector END)"


def _text_vector(config: str, *columns: str) -> str:
    return " || ".join(_vector(config, weight, column) for column, weight in zip(columns, "ABC"))


_ORIGINAL = ("folded_title", "folded_summary", "folded_description")
_TRANSLATED = ("folded_translation_title", "folded_translation_summary", "folded_translation_rest")
_SEARCH_VECTOR = " || ".join(
    [
        *(_vector(SEARCH_CONFIG, weight, column) for column, weight in zip(FOLDED[:4], "ABBC")),
        _by_language("language", lambda config: _text_vector(config, *_ORIGINAL)),
        _by_language(
            "translation_language",
            lambda config: " || ".join(
                _text_vector(each, *_TRANSLATED) for each in (SEARCH_CONFIG, config)
            ),
        ),
    ]
)


def _execute(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _copy(table: str, columns: Sequence[str], rows: list[tuple]) -> int:
    """Write ``rows`` into ``table`` with one ``COPY``."""
    if rows:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.connection.cursor().copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def _create_stage() -> None:
    table, _ = TABLES["initiatives"]
    _execute(f"DROP TABLE IF EXISTS {STAGE}")
    _execute(f"CREATE TEMPORARY TABLE {STAGE} (LIKE {table}) ON COMMIT DROP")
    _execute(f"ALTER TABLE {STAGE} {', '.join(f'ADD COLUMN {c} text' for c in FOLDED)}")


def _write(rows: dict[str, list[tuple]]) -> dict[str, int]:
    """Write one chunk of generated rows, parents before children; returns rows per table."""
    written = {}
    for label, (table, columns) in TABLES.items():
        if label == "initiatives":
            _copy(STAGE, (*columns, *FOLDED), rows[label])
            names = ", ".join(columns)
            _execute(
                f"INSERT INTO {table} ({names}, search_vector) "  # noqa: S608 - no user input
                f"SELECT {names}, {_SEARCH_VECTOR} FROM {STAGE}"
            )
            _execute(f"TRUNCATE {STAGE}")
            written[label] = len(rows[label])
        else:
            written[label] = _copy(table, columns, rows[label])
    return written


def _reserve_ids(model, count: int) -> int:
    """Take ``count`` consecutive ids from the table's sequence; returns the first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def _tables() -> list[str]:
    return list(dict.fromkeys(table for table, _ in TABLES.values()))


# --- Generation ------------------------------------------------------------------------------


def _moment(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.datetime:
    days = max((end - start).days, 0)
    day = start + datetime.timedelta(days=rng.randint(0, days))
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(7, 19), rng.randint(0, 59), tzinfo=UTC
    )


def _fingerprint(text: str) -> int:
    """A stable 64-bit digest, to remember many texts in little memory."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _split(rng: random.Random, parts: int) -> list[Decimal]:
    """``parts`` shares in per cent, two decimals, that add up to exactly 100."""
    if parts == 1:
        return [Decimal(100)]
    cuts = sorted(rng.sample(range(1, 10_000), parts - 1))
    bounds = [0, *cuts, 10_000]
    return [Decimal(b - a).scaleb(-2) for a, b in zip(bounds, bounds[1:])]


class _Generator:
    """Builds the rows of one data set; the random stream decides everything, in order."""

    def __init__(self, rng: random.Random, reference: _Reference, organisations: int):
        self.rng = rng
        # What open data needs on top (sector shares, exact funding dates, recipient shares
        # where none were drawn) comes from a stream of its own, derived from the seed
        # without drawing from the main one, so the rest of the data set stays as it was.
        self.extra = random.Random(repr(rng.getstate()[1][:8]))  # noqa: S311 - test data
        self.ref = reference
        self.organisations = organisations
        self.places = zipf(_place_names(rng, 2_000), 0.9)
        self.titles: set[int] = set()  # fingerprints of the texts used so far
        self.summaries: set[int] = set()
        self.count = 0  # initiatives built so far
        self.actors: list[tuple[int, str, str | None]] = []  # (pk, type, home country)
        self.actor_names: dict[int, str] = {}
        self.vocabulary_pickers = {
            language: {
                name: zipf(getattr(vocabulary, name), exponent)
                for name, exponent in [
                    ("activities", 0.7),
                    ("topics", 0.9),
                    ("groups", 0.8),
                    ("titles", 0.5),
                    ("openings", 0.5),
                    ("results", 0.5),
                    ("details", 0.3),
                    ("people", 0.6),
                    ("result_nouns", 0.6),
                ]
            }
            for language, vocabulary in VOCABULARIES.items()
        }

    # Organisations -------------------------------------------------------------------------

    def build_organisations(self, first_id: int) -> tuple[list[tuple], list[tuple]]:
        """Organisation rows (every type present) and network memberships."""
        rng = self.rng
        types = weighted(ACTOR_TYPE_WEIGHTS)
        names: set[str] = set()
        rows = []
        for index in range(self.organisations):
            pk = first_id + index
            actor_type = ALL_ACTOR_TYPES[index] if index < len(ALL_ACTOR_TYPES) else types(rng)
            home = self._home_country(actor_type)
            name = self._organisation_name(actor_type, home, names)
            acronym = "".join(w[0] for w in name.split() if w[0].isupper())[:8]
            created = _moment(rng, datetime.date(2015, 1, 1), datetime.date(2020, 12, 31))
            rows.append(
                (
                    pk,
                    name,
                    acronym if rng.random() < 0.3 and len(acronym) > 2 else "",
                    f"{PREFIX}{slugify(name)[:90]}-{index + 1}",
                    home,
                    actor_type,
                    f"{home or 'XM'}-SYN-{index + 1:06d}" if rng.random() < 0.15 else "",
                    f"https://org{index + 1}.example.org/" if rng.random() < 0.4 else "",
                    self._organisation_description(actor_type, home) if rng.random() < 0.5 else "",
                    created,
                    created + datetime.timedelta(days=rng.randint(0, 900)),
                )
            )
            self.actors.append((pk, actor_type, home))
        self.actor_names = {row[0]: row[1] for row in rows}
        self._index_organisations()
        return rows, self._network_memberships()

    def _home_country(self, actor_type: str) -> str | None:
        rng, ref = self.rng, self.ref
        if actor_type == OrganisationType.MULTILATERAL:
            return None if rng.random() < 0.7 else ref.donor_countries(rng)
        if actor_type == OrganisationType.TRADITIONAL_DONOR:
            return ref.donor_countries(rng)
        if actor_type == OrganisationType.INTERNATIONAL_NGO and rng.random() < 0.4:
            return ref.donor_countries(rng)
        if actor_type == OrganisationType.NETWORK and rng.random() < 0.2:
            return None
        return ref.providers(rng) if rng.random() < 0.6 else ref.recipients(rng)

    def _organisation_name(self, actor_type: str, home: str | None, taken: set[str]) -> str:
        rng = self.rng
        for attempt in range(30):
            fills = {
                "place": self.places(rng),
                "focus": rng.choice(FOCUSES),
                "focus2": rng.choice(FOCUSES),
                "group": rng.choice(ORGANISATION_GROUPS),
                "country": self.ref.name(home, "en") if home else "Global South",
                "region": self.ref.regions.get(home or "", "") or "South-South",
                "product": rng.choice(PRODUCTS),
                "surname": rng.choice(SURNAMES),
            }
            name = rng.choice(ORGANISATION_PATTERNS[actor_type]).format(**fills)
            if attempt > 20:
                name = f"{name} ({self.places(rng)})"
            if name not in taken:
                taken.add(name)
                return name[:200]
        return f"{name} {len(taken)}"[:200]

    def _organisation_description(self, actor_type: str, home: str | None) -> str:
        where = f" based in {self.ref.name(home, 'en')}" if home else ""
        label = str(OrganisationType(actor_type).label)
        topic = self.vocabulary_pickers["en"]["topics"](self.rng)[0]
        group = self.vocabulary_pickers["en"]["groups"](self.rng)
        return f"{label}{where}, working on {topic} with {group}."

    def _index_organisations(self) -> None:
        """Skewed pickers of organisations: owners and all organisations by country, funders."""
        owners_by_country: dict[str | None, list[int]] = {}
        all_by_country: dict[str | None, list[int]] = {}
        owners, funders, everyone = [], [], []
        for pk, actor_type, home in self.actors:
            everyone.append(pk)
            all_by_country.setdefault(home, []).append(pk)
            if actor_type in OWNER_TYPES:
                owners.append(pk)
                owners_by_country.setdefault(home, []).append(pk)
            if actor_type in FUNDER_TYPES:
                funders.append(pk)
        self.owner_pickers = {c: zipf(pks, 1.0) for c, pks in owners_by_country.items()}
        self.actor_pickers = {c: zipf(pks, 0.9) for c, pks in all_by_country.items()}
        self.any_owner = zipf(owners, 1.0)
        self.any_funder = zipf(funders, 1.0)
        self.anyone = zipf(everyone, 1.0)

    def _network_memberships(self) -> list[tuple]:
        rng = self.rng
        rows = []
        for pk, actor_type, home in self.actors:
            if actor_type != OrganisationType.NETWORK:
                continue
            local = self.actor_pickers.get(home) if home else None
            size = min(int(rng.paretovariate(1.2)) + 1, 40)
            members = (local or self.anyone).distinct(rng, size, exclude=[pk])
            for member in members:
                created = _moment(rng, datetime.date(2016, 1, 1), datetime.date(2024, 12, 31))
                joined = rng.randint(1995, 2024) if rng.random() < 0.6 else None
                rows.append((member, pk, joined, created, created))
        return rows

    # Initiatives ---------------------------------------------------------------------------

    def build_initiatives(
        self, rows: dict[str, list[tuple]], ids: dict[str, int], states: list[str]
    ) -> None:
        """Append to ``rows`` one initiative, with its rows, per entry of ``states``, taking
        primary keys from the counters in ``ids``."""
        for state in states:
            self._initiative(rows, ids, state)

    def _initiative(self, rows: dict[str, list[tuple]], ids: dict[str, int], state: str) -> None:
        rng, ref = self.rng, self.ref
        pk = ids["initiatives"]
        ids["initiatives"] += 1
        self.count += 1

        cooperation = COOPERATION_TYPES(rng)
        providers = ref.providers.distinct(rng, 2 if rng.random() < 0.08 else 1)
        recipient_count = RECIPIENT_COUNT(rng)
        if cooperation == Initiative.CooperationType.REGIONAL:
            recipient_count = max(recipient_count, 2)
        recipients = ref.recipients.distinct(rng, recipient_count, exclude=providers)
        recipients = recipients or [next(c for c in ref.recipients.items if c not in providers)]
        provider = providers[0]

        fragile = any(c in FRAGILE for c in recipients)
        is_fragile = rng.random() < (0.7 if fragile else 0.03)
        is_conflict = rng.random() < (0.5 if any(c in CONFLICT for c in recipients) else 0.01)
        is_disaster = rng.random() < (
            0.35 if any(c in DISASTER_PRONE for c in recipients) else 0.03
        )

        language = "en"
        own_language = COUNTRY_LANGUAGE.get(provider)
        if own_language and rng.random() < 0.35:
            language = own_language
        text = self._text(language, provider, recipients[0], is_disaster)

        owner_picker = self.owner_pickers.get(provider) or self.any_owner
        owner = owner_picker(rng)
        start_year = START_YEARS(rng)
        dates = self._dates(start_year)
        created, updated, moderation = self._moderation(state, start_year)
        stamp = (created.isoformat(), created.isoformat())
        self._countries(rows, pk, providers, recipients, stamp)
        participants = self._participants(rows, pk, owner, recipients, stamp)
        self._classification(rows, pk, text["sector"])
        self._funding(rows, pk, provider, participants, start_year, stamp)
        self._non_monetary(rows, pk, start_year, stamp)
        self._outcomes(rows, ids, pk, text["fills"], start_year, stamp)
        sources = self._sources(rows, ids, pk, owner, text["title"], language, start_year, stamp)
        self._evidence(rows, pk, owner, participants, sources, text["fills"], created, stamp)
        names = " ".join(self.actor_names[actor] for actor, _ in participants)
        translated = {"language": None, "title": "", "summary": "", "rest": ""}
        if rng.random() < TRANSLATED_SHARE:
            target = rng.choice([other for other in VOCABULARIES if other != language])
            translated = {
                "language": target,
                **self._translation(text, language, target, (provider, recipients[0])),
                "rest": "",  # description, blank
            }
            rows["initiative translations"].append(
                (pk, target, translated["title"], translated["summary"], "", *stamp)
            )
        lesson = self._detail(text["fills"], language) if rng.random() < 0.25 else ""
        if lesson:
            audiences = [rng.random() < share for share in LESSON_AUDIENCE_SHARES]
            rows["lessons"].append((pk, lesson, *audiences, 0, *stamp))
        rows["initiatives"].append(
            (
                pk,
                f"{PREFIX}{self.count:07d}-{slugify(text['title'])[:90]}".rstrip("-"),
                text["title"],
                text["summary"],
                text["description"],
                language,
                dates["status"],
                cooperation,
                dates["planned_start"],
                dates["planned_end"],
                dates["actual_start"],
                dates["actual_end"],
                start_year,
                dates["end_year"],
                is_fragile,
                is_disaster,
                is_conflict,
                INVOLVEMENT(rng),
                INVOLVEMENT(rng),
                COORDINATES(rng),
                "Met the other organisations working in the area twice a year."
                if rng.random() < 0.15
                else "",
                owner,
                state,
                *moderation,
                stamp[0],
                updated.isoformat(),
                # What the search vector is computed from (see _SEARCH_VECTOR).
                fold_accents(text["title"]),
                fold_accents(text["summary"]),
                fold_accents(names),
                # As the services join the description and the lessons (with a space).
                f"{fold_accents(text['description'])} {fold_accents(lesson)}",
                translated["language"],
                fold_accents(translated["title"]),
                fold_accents(translated["summary"]),
                translated["rest"],
            )
        )

    def _text(self, language: str, provider: str, recipient: str, disaster: bool) -> dict:
        """Title, summary and description, each different from every earlier one."""
        rng, ref = self.rng, self.ref
        pick = self.vocabulary_pickers[language]
        for attempt in range(40):
            topic, sector = pick["topics"](rng)
            if disaster and language == "en" and rng.random() < 0.5:
                topic, sector = rng.choice(DISASTER_TOPICS)
            activity, group = pick["activities"](rng), pick["groups"](rng)
            fills = {
                "activity": activity,
                "activity_lower": activity[0].lower() + activity[1:],
                "topic": topic,
                "topic_cap": _cap(topic),
                "group": group,
                "group_cap": _cap(group),
                "provider": ref.name(provider, language),
                "recipient": ref.name(recipient, language),
                "place": self.places(rng),
                "year": rng.randint(2000, 2025),
                "number": int(rng.paretovariate(1.1) * 40),
                "number2": rng.randint(3, 60),
                "small": rng.randint(2, 6),
                "share": rng.randint(35, 80),
                "people": pick["people"](rng),
                "result_noun": pick["result_nouns"](rng),
            }
            fills["people_cap"] = _cap(fills["people"])
            fills["result_noun_cap"] = _cap(fills["result_noun"])
            pattern = pick["titles"](rng)
            title = pattern.format(**fills)[:240]
            if attempt > 30:
                title = f"{title} ({fills['place']})"
            if _fingerprint(title) not in self.titles:
                break
        title = self._first_use(self.titles, title)
        for _ in range(40):
            opening, result = pick["openings"](rng), pick["results"](rng)
            summary = " ".join([opening.format(**fills), result.format(**fills)])
            if _fingerprint(summary) not in self.summaries:
                break
            fills["number"] = rng.randint(10, 100_000)
        summary = self._first_use(self.summaries, summary)
        description = ""
        if rng.random() < 0.6:
            sentences = pick["details"].distinct(rng, rng.randint(2, 4))
            description = " ".join(sentence.format(**fills) for sentence in sentences)
        return {
            "title": title,
            "summary": summary,
            "description": description,
            "sector": sector,
            "fills": fills,
            "patterns": {"titles": pattern, "openings": opening, "results": result},
        }

    def _translation(self, text: dict, source: str, target: str, places: tuple) -> dict:
        """The title and summary of ``text`` (written in ``source``) in ``target``: the same
        patterns, places and numbers, and the words at the same positions of the vocabulary
        of ``target`` (a topic of the same sector)."""
        original, vocabulary = VOCABULARIES[source], VOCABULARIES[target]

        def same(name: str, item: str) -> str:
            items, known = getattr(vocabulary, name), getattr(original, name)
            return items[known.index(item) % len(items)] if item in known else items[0]

        fills = dict(text["fills"])
        for name, fill in [
            ("activities", "activity"),
            ("groups", "group"),
            ("people", "people"),
            ("result_nouns", "result_noun"),
        ]:
            fills[fill] = same(name, fills[fill])
        fills["topic"] = next(
            (topic for topic, sector in vocabulary.topics if sector == text["sector"]),
            vocabulary.topics[0][0],
        )
        fills["provider"], fills["recipient"] = (self.ref.name(code, target) for code in places)
        fills["activity_lower"] = fills["activity"][0].lower() + fills["activity"][1:]
        for fill in ("topic", "group", "people", "result_noun"):
            fills[f"{fill}_cap"] = _cap(fills[fill])
        patterns = {name: same(name, pattern) for name, pattern in text["patterns"].items()}
        return {
            "title": patterns["titles"].format(**fills)[:240],
            "summary": " ".join(patterns[name].format(**fills) for name in ("openings", "results")),
        }

    def _first_use(self, used: set[int], text: str) -> str:
        """``text``, numbered if it was used before (rare: only when retries ran out)."""
        if _fingerprint(text) in used:
            text = f"{text} [{self.count}]"
        used.add(_fingerprint(text))
        return text

    def _detail(self, fills: dict, language: str) -> str:
        return self.vocabulary_pickers[language]["details"](self.rng).format(**fills)

    def _dates(self, start_year: int) -> dict:
        """Activity status and dates that agree with each other and with the start year."""
        rng = self.rng
        duration = DURATION(rng)
        end_year = start_year + duration
        status = ActivityStatus.IMPLEMENTATION
        if end_year < LAST_YEAR:
            status = ENDED_STATUSES(rng)
        elif start_year == LAST_YEAR and rng.random() < 0.4:
            status = ActivityStatus.PIPELINE
        elif rng.random() < 0.03:
            status = ActivityStatus.SUSPENDED
        result = {
            "status": int(status),
            "end_year": end_year if status != ActivityStatus.IMPLEMENTATION else None,
            "planned_start": None,
            "actual_start": None,
            "planned_end": None,
            "actual_end": None,
        }
        if rng.random() < 0.3:
            start = datetime.date(start_year, rng.randint(1, 8), rng.randint(1, 28))
            planned_end = datetime.date(end_year, rng.randint(1, 12), rng.randint(1, 28))
            if planned_end < start:
                planned_end = start + datetime.timedelta(days=rng.randint(90, 700))
            result["planned_start"], result["planned_end"] = start, planned_end
            if status != ActivityStatus.PIPELINE:
                result["actual_start"] = start + datetime.timedelta(days=rng.randint(0, 120))
            if status == ActivityStatus.CLOSED:
                result["actual_end"] = max(
                    planned_end + datetime.timedelta(days=rng.randint(-60, 200)),
                    result["actual_start"],
                )
        return result

    def _moderation(self, state: str, start_year: int) -> tuple:
        """Created and updated times, and (version, submitted, published, reviewed, archived,
        reviewed version, review note) as a record in ``state`` would carry them."""
        rng = self.rng
        earliest = datetime.date(max(start_year, 2016), 1, 1)
        created = _moment(rng, earliest, datetime.date(2024, 12, 31))
        version = VERSIONS(rng)
        submitted = published = reviewed = reviewed_version = None
        note = ""

        def later(moment: datetime.datetime, days: int) -> datetime.datetime:
            return moment + datetime.timedelta(
                days=rng.randint(0, days), minutes=rng.randint(1, 600)
            )

        if state != State.DRAFT:
            submitted = later(created, 60)
        if state in (State.PUBLISHED, State.ARCHIVED):
            published = later(submitted, 30)
            reviewed = later(published, 200) if version > 1 else published
            changed = state == State.PUBLISHED and version > 1 and rng.random() < 0.1
            reviewed_version = version - 1 if changed else version
        elif state == State.RETURNED:
            reviewed = later(submitted, 30)
            reviewed_version = version
            note = rng.choice(REVIEW_NOTES)
        updated = later(max(m for m in (created, submitted, reviewed) if m is not None), 90)
        # An archived record's last change is its withdrawal.
        archived = updated if state == State.ARCHIVED else None
        moments = (m.isoformat() if m else None for m in (submitted, published, reviewed, archived))
        return created, updated, (version, *moments, reviewed_version, note)

    def _countries(self, rows, pk, providers, recipients, stamp) -> None:
        rng = self.rng
        provider_shares = [None] * len(providers)
        if rng.random() < 0.35:
            provider_shares = _split(rng, len(providers))
        recipient_shares = [None] * len(recipients)
        if rng.random() < 0.35:
            recipient_shares = _split(rng, len(recipients))
        elif len(recipients) > 1 and self.extra.random() < 0.4:
            recipient_shares = _split(self.extra, len(recipients))
        out = rows["initiative countries"]
        for country, share in zip(providers, provider_shares):
            out.append((pk, country, "provider", share, *stamp))
        for country, share in zip(recipients, recipient_shares):
            out.append((pk, country, "recipient", share, *stamp))

    def _participants(self, rows, pk, owner, recipients, stamp) -> list[tuple[int, str]]:
        """2–6 organisations, exactly one of them the lead (usually the owner)."""
        rng = self.rng
        total = PARTICIPANT_COUNT(rng)
        chosen = [owner]
        for _ in range(total * 10):
            if len(chosen) == total:
                break
            local = self.actor_pickers.get(rng.choice(recipients)) if rng.random() < 0.7 else None
            actor = (local or self.anyone)(rng)
            if actor not in chosen:
                chosen.append(actor)
        if len(chosen) < 2:  # a tiny organisation list: take anyone else
            chosen.append(next(a for a, _, _ in self.actors if a != owner))
        lead = 0 if rng.random() < 0.9 else rng.randrange(1, len(chosen))
        participants = []
        for index, actor in enumerate(chosen):
            role = Role.LEAD if index == lead else OTHER_ROLES(rng)
            participants.append((actor, role))
            rows["participations"].append((pk, actor, role, *stamp))
        return participants

    def _classification(self, rows, pk, topic_sector: str) -> None:
        rng, ref = self.rng, self.ref
        sectors = ref.sectors.distinct(rng, ONE_TO_THREE(rng))
        if topic_sector in ref.active_sectors and topic_sector not in sectors:
            sectors[0] = topic_sector
        shares = [None] * len(sectors)
        if len(sectors) > 1 and self.extra.random() < 0.6:
            shares = _split(self.extra, len(sectors))
        rows["sector links"].extend(zip([pk] * len(sectors), sectors, shares))
        goals = ref.sdgs.distinct(rng, SDG_COUNT(rng))
        rows["SDG links"].extend((pk, number) for number in goals)
        modalities = ref.modalities.distinct(rng, ONE_TO_THREE(rng))
        rows["modality links"].extend((pk, modality) for modality in modalities)

    def _funding(self, rows, pk, provider, participants, start_year, stamp) -> None:
        rng, ref = self.rng, self.ref
        funders = [actor for actor, role in participants if role == Role.FUNDING]
        for index in range(ONE_TO_THREE(rng)):
            if index < len(funders):
                funder = funders[index]
            elif rng.random() < 0.4:
                funder = None
            elif rng.random() < 0.5:
                funder = participants[0][0]
            else:
                funder = self.any_funder(rng)
            in_kind = rng.random() < 0.15
            amount, currency = None, ""
            if rng.random() < (0.2 if in_kind else 0.5):
                amount = Decimal(round(rng.lognormvariate(10.5, 1.4), 2)).quantize(Decimal("0.01"))
                currency = (
                    CURRENCY_OF.get(provider, "USD")
                    if rng.random() < 0.4
                    else ("USD" if rng.random() < 0.8 else "EUR")
                )
            year_start = start_year if rng.random() < 0.6 else None
            year_end = year_start + rng.randint(0, 4) if year_start and rng.random() < 0.7 else None
            note = rng.choice(IN_KIND_UNITS) if in_kind else rng.choice(FUNDING_NOTES)
            date = None
            if amount is not None and year_start and self.extra.random() < 0.5:
                month, day = self.extra.randint(1, 12), self.extra.randint(1, 28)
                date = datetime.date(year_start, month, day)
            rows["funding contributions"].append(
                (
                    pk,
                    ref.funding_models(rng),
                    funder,
                    amount,
                    currency,
                    year_start,
                    year_end,
                    date,
                    in_kind,
                    note,
                    *stamp,
                )
            )

    def _non_monetary(self, rows, pk, start_year, stamp) -> None:
        rng = self.rng
        kinds = NON_MONETARY_KINDS.distinct(rng, NON_MONETARY_COUNT(rng))
        for kind in kinds:
            unit = rng.choice(IN_KIND_UNITS) if kind == Kind.OTHER else ""
            quantity = Decimal(int(rng.paretovariate(1.3) * 4))
            year = start_year + rng.randint(0, 2) if rng.random() < 0.5 else None
            rows["non-monetary contributions"].append((pk, kind, quantity, unit, year, "", *stamp))

    def _outcomes(self, rows, ids, pk, fills, start_year, stamp) -> None:
        rng = self.rng
        for position in range(OUTCOME_COUNT(rng)):
            outcome = ids["outcomes"]
            ids["outcomes"] += 1
            title = _cap(rng.choice(OUTCOME_TITLES).format(**fills))[:250]
            result_type = RESULT_TYPES(rng)
            rows["outcomes"].append(
                (
                    outcome,
                    pk,
                    title,
                    rng.choice(OUTCOME_NARRATIVES),
                    int(result_type),
                    position,
                    *stamp,
                )
            )
            if rng.random() < 0.4:
                name, unit = rng.choice(INDICATORS)
                baseline_year = start_year if rng.random() < 0.7 else None
                baseline = Decimal(rng.randint(0, 50)) if baseline_year else None
                target = Decimal(rng.randint(50, 500))
                actual = Decimal(rng.randint(20, 600)) if rng.random() < 0.6 else None
                rows["indicators"].append(
                    (
                        outcome,
                        name,
                        unit,
                        baseline,
                        baseline_year,
                        target,
                        start_year + rng.randint(1, 5),
                        actual,
                        start_year + rng.randint(1, 6) if actual is not None else None,
                        *stamp,
                    )
                )

    def _sources(self, rows, ids, pk, owner, title, language, start_year, stamp) -> list[int]:
        rng = self.rng
        sources = []
        for _ in range(SOURCE_COUNT(rng)):
            source = ids["sources"]
            ids["sources"] += 1
            document_type = DOCUMENT_TYPES(rng)
            year = min(start_year + rng.randint(0, 5), LAST_YEAR)
            author = self.actor_names[owner] if rng.random() < 0.7 else self.places(rng)
            citation = f"{author}. {title}. {DOCUMENT_LABELS[document_type]}, {year}."
            url = (
                f"https://www.example.org/{document_type}/{source}-{year}"
                if rng.random() < 0.6
                else ""
            )
            rows["sources"].append(
                (
                    source,
                    pk,
                    citation[:500],
                    url,
                    document_type,
                    year,
                    language if rng.random() < 0.9 else "",
                    "",
                    *stamp,
                )
            )
            sources.append(source)
        return sources

    def _evidence(self, rows, pk, owner, participants, sources, fills, created, stamp) -> None:
        """0–8 rows; at most one without a source per principle, as the model requires."""
        rng, ref = self.rng, self.ref
        wanted = min(EVIDENCE_COUNT(rng), len(ref.principles) * (1 + len(sources)))
        taken: set[tuple[int, int | None]] = set()
        others = [actor for actor, _ in participants if actor != owner]
        for _ in range(wanted * 10):
            if len(taken) == wanted:
                break
            principle, slug = ref.principles(rng)
            source = rng.choice(sources) if sources and rng.random() < 0.5 else None
            if (principle, source) in taken:
                continue
            taken.add((principle, source))
            stance = Stance.SUPPORTS if rng.random() < 0.8 else Stance.CHALLENGES
            strength = Strength.CLAIMED
            if source is not None:
                strength = SOURCED_STRENGTHS(rng)
            narratives = EVIDENCE.get(slug, GENERIC_EVIDENCE)[stance]
            confirmed_by = confirmed_at = None
            if others and rng.random() < 0.25:
                confirmed_by = rng.choice(others)
                confirmed_at = (created + datetime.timedelta(days=rng.randint(1, 120))).isoformat()
            rows["principle evidence"].append(
                (
                    pk,
                    principle,
                    stance,
                    int(strength),
                    rng.choice(narratives).format(**fills),
                    rng.choice(QUOTES) if rng.random() < 0.1 else "",
                    source,
                    owner,
                    "unconfirmed" if confirmed_by is None else "confirmed",
                    confirmed_by,
                    confirmed_at,
                    *stamp,
                )
            )


ALL_ACTOR_TYPES = list(OrganisationType.values)  # the first organisations: one of every type
# Skewed counts and choices used for every initiative.
START_YEARS = Picker(
    range(FIRST_YEAR, LAST_YEAR + 1), [1.12**i for i in range(LAST_YEAR - FIRST_YEAR + 1)]
)
TRANSLATED_SHARE = 0.2  # records with a translation of their title and summary
# How often a lesson is for civil society, for governments, for funders.
LESSON_AUDIENCE_SHARES = (0.7, 0.35, 0.25)
COOPERATION_TYPES = weighted({"bilateral": 60, "triangular": 25, "regional": 15})
COORDINATES = weighted({None: 50, True: 30, False: 20})
RECIPIENT_COUNT = counts(0, 50, 28, 14, 8)
PARTICIPANT_COUNT = counts(0, 0, 30, 28, 20, 13, 9)
ONE_TO_THREE = counts(0, 50, 32, 18)
SDG_COUNT = counts(25, 35, 25, 15)
NON_MONETARY_COUNT = counts(50, 35, 15)
OUTCOME_COUNT = counts(35, 40, 25)
SOURCE_COUNT = counts(30, 35, 22, 13)
EVIDENCE_COUNT = counts(20, 18, 18, 14, 10, 8, 6, 4, 2)
DURATION = counts(0, 10, 25, 25, 15, 10, 8, 4, 3)
VERSIONS = counts(0, 50, 25, 12, 7, 4, 2)
ENDED_STATUSES = weighted(
    {
        ActivityStatus.CLOSED: 80,
        ActivityStatus.FINALISATION: 12,
        ActivityStatus.CANCELLED: 5,
        ActivityStatus.SUSPENDED: 3,
    }
)
RESULT_TYPES = weighted({ResultType.OUTCOME: 60, ResultType.OUTPUT: 30, ResultType.IMPACT: 10})
SOURCED_STRENGTHS = weighted(
    {Strength.CLAIMED: 30, Strength.DOCUMENTED: 50, Strength.EVALUATED: 20}
)
INVOLVEMENT = weighted(
    {
        "": 55,
        Involvement.NONE: 10,
        Involvement.INFORMED: 12,
        Involvement.CONSULTED: 10,
        Involvement.COLLABORATING: 9,
        Involvement.CO_IMPLEMENTING: 4,
    }
)
OTHER_ROLES = weighted(
    {Role.IMPLEMENTING: 40, Role.PARTNER: 35, Role.FUNDING: 15, Role.ACCOUNTABLE: 10}
)
NON_MONETARY_KINDS = weighted(
    {
        Kind.PERSON_DAYS: 30,
        Kind.PARTICIPANTS: 30,
        Kind.EXCHANGE_VISITS: 20,
        Kind.TRAINING_SESSIONS: 15,
        Kind.OTHER: 5,
    }
)
DOCUMENT_TYPES = weighted(
    {
        DocumentType.PROJECT_DOCUMENT: 25,
        DocumentType.ANNUAL_REPORT: 20,
        DocumentType.CASE_STUDY: 15,
        DocumentType.EVALUATION: 12,
        DocumentType.WEB_PAGE: 12,
        DocumentType.NEWS: 8,
        DocumentType.RESEARCH: 6,
        DocumentType.OTHER: 2,
    }
)
DISASTER_TOPICS = [
    ("post-earthquake reconstruction", "73010"),
    ("disaster risk reduction", "74020"),
    ("resilient housing", "73010"),
]


UNPUBLISHED_PERCENT = {State.DRAFT: 4, State.SUBMITTED: 2.5, State.RETURNED: 1.5, State.ARCHIVED: 2}


def _states(total: int, rng: random.Random) -> list[str]:
    """About 90 % published, the rest in every other state (each at least once)."""
    unpublished = []
    for state, percent in UNPUBLISHED_PERCENT.items():
        unpublished += [state] * max(1, round(total * percent / 100))
    unpublished = unpublished[: total // 2]
    states = unpublished + [State.PUBLISHED] * (total - len(unpublished))
    rng.shuffle(states)
    return states


# --- Entry point -----------------------------------------------------------------------------


def check_database(*, replace: bool) -> int:
    """Refuse (:class:`SyntheticDataError`) unless only synthetic records are present and,
    if some are, ``replace`` is set. Returns how many synthetic initiatives there are."""
    foreign_initiatives = Initiative.objects.exclude(slug__startswith=PREFIX).count()
    foreign_organisations = Organisation.objects.exclude(slug__startswith=PREFIX).count()
    if foreign_initiatives or foreign_organisations:
        raise SyntheticDataError(
            "This database holds records that are not synthetic (initiatives: "
            f"{foreign_initiatives}, organisations: {foreign_organisations}); nothing was "
            "written. Synthetic data goes into a separate database: create one (createdb …), "
            "point DATABASE_URL at it and run migrate first."
        )
    existing = Initiative.objects.count()
    if (existing or Organisation.objects.exists()) and not replace:
        raise SyntheticDataError(
            f"This database already holds a synthetic data set ({existing} initiatives); "
            "use --replace to generate a new one in its place."
        )
    return existing


@contextmanager
def _bulk_load(tables: list[str], report: Callable[[str], None]):
    """Drop the foreign keys and plain indexes of ``tables`` while rows are loaded and create
    them again afterwards, as ``pg_restore`` does: one set-based check per key and one sort
    per index instead of work for every row. All inside the caller's transaction, so no other
    session ever sees a table without them."""
    keys = _execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
        "ORDER BY 1, 2",
        [tables],
    )
    indexes = _execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary "
        "ORDER BY 1",
        [tables],
    )
    quote = connection.ops.quote_name
    for table, name, _ in keys:
        _execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        _execute(f"DROP INDEX {name}")
    yield
    _execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        _execute(definition)
    report(f"{len(indexes)} indexes built")
    for table, name, definition in keys:
        _execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
    report(f"{len(keys)} foreign keys checked")


def _write_organisations(generator: _Generator, report) -> dict[str, int]:
    organisations, memberships = generator.build_organisations(
        _reserve_ids(Organisation, generator.organisations)
    )
    written = {
        "organisations": _copy(*TABLES["organisations"], organisations),
        "network memberships": _copy(*TABLES["network memberships"], memberships),
    }
    report(
        f"{written['organisations']:,} organisations, "
        f"{written['network memberships']:,} network memberships"
    )
    return written


def _write_initiatives(
    generator: _Generator, states: list[str], written: dict[str, int], report
) -> None:
    """Build and write the initiatives in chunks; one thread builds the next chunk while this
    one writes the last (the server does most of that work, on another core)."""
    total = len(states)
    ids = {
        "initiatives": _reserve_ids(Initiative, total),
        "outcomes": _reserve_ids(Outcome, total * OUTCOME_COUNT.items[-1]),
        "sources": _reserve_ids(Source, total * SOURCE_COUNT.items[-1]),
    }
    chunks = [states[first : first + CHUNK] for first in range(0, total, CHUNK)]

    def build(chunk: list[str]) -> dict[str, list[tuple]]:
        rows: dict[str, list[tuple]] = {label: [] for label in TABLES}
        generator.build_initiatives(rows, ids, chunk)
        return rows

    _create_stage()
    with ThreadPoolExecutor(max_workers=1) as builder:
        pending = builder.submit(build, chunks[0])
        for index in range(len(chunks)):
            rows = pending.result()
            if index + 1 < len(chunks):
                pending = builder.submit(build, chunks[index + 1])
            for label, count in _write(rows).items():
                written[label] += count
            del rows
            report(
                f"{written['initiatives']:,} of {total:,} initiatives, "
                f"{sum(written.values()):,} rows in all"
            )
    _execute(f"DROP TABLE {STAGE}")


def generate(
    initiatives: int, *, seed: int = 7, replace: bool = False, progress: Progress = print
) -> dict[str, int]:
    """Write a synthetic data set of ``initiatives`` initiatives; returns rows per table.

    With ``replace``, an earlier synthetic data set is removed first (with the tables that
    point at it, such as memberships of synthetic organisations). Raises
    :class:`SyntheticDataError`, writing nothing, when the database holds any initiative or
    organisation that is not synthetic, or a synthetic data set and ``replace`` is not set.
    ``progress`` receives a line of text now and then.
    """
    if initiatives < 1:
        raise ValueError("Generate at least one initiative.")
    started = time.monotonic()

    def report(message: str) -> None:
        progress(f"{message} ({time.monotonic() - started:.1f} s)")

    tables = _tables()
    written = dict.fromkeys(TABLES, 0)
    with transaction.atomic():
        # Nobody adds a real record between the check and the end of the transaction.
        _execute(
            f"LOCK TABLE {Initiative._meta.db_table}, {Organisation._meta.db_table} "
            "IN SHARE ROW EXCLUSIVE MODE"
        )
        existing = check_database(replace=replace)
        _execute("SET CONSTRAINTS ALL IMMEDIATE")  # run checks still pending before the DDL
        if replace:
            _execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            report(f"Removed the earlier synthetic data set ({existing:,} initiatives)")
        rng = SeededRandom(seed)
        generator = _Generator(rng, _Reference.load(rng), max(50, initiatives // 25))
        with _bulk_load(tables, report):
            written.update(_write_organisations(generator, report))
            states = _states(initiatives, rng)
            report(", ".join(f"{n:,} {state}" for state, n in Counter(states).most_common()))
            _write_initiatives(generator, states, written, report)
        _execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's default

    if connection.in_atomic_block:  # inside the caller's transaction: no VACUUM there
        _execute(f"ANALYZE {', '.join(tables)}")
    else:
        _execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
    report("Statistics updated (ANALYZE)")
    return written
