"""A small demo data set built from the briefing's four case studies, and the service that
loads it (``demo_load``, run by ``manage.py load_demo``).

The content is plain data below. Facts (countries, organisations named in the briefing, years,
funding models) come from the briefing; every sentence is the project's own. Where the
briefing names no organisation, the names are deliberately generic. The briefing gives no
amounts, dates or counts for the cases, so amounts and dates stay empty and the few
non-monetary counts are marked as illustrative.

Loading is idempotent: records are matched on natural keys (slugs, usernames, and each child
row's key within its initiative) and only written when they differ from the data here, so a
second run writes nothing.
"""

import os
import secrets
from collections import Counter
from decimal import Decimal
from typing import Any, TextIO

import reversion
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from accounts.models import MODERATORS_GROUP, Membership, User
from funding.models import FundingContribution, FundingModel
from initiatives.models import (
    Initiative,
    InitiativeCountry,
    NonMonetaryContribution,
    Outcome,
    Participation,
    Source,
)
from initiatives.services import initiative_refresh_search_vector
from organisations.models import NetworkMembership, Organisation, OrganisationType
from principles.models import Principle, PrincipleEvidence
from reference.iati import ActivityStatus, ResultType
from reference.models import (
    Country,
    DialogueMechanism,
    Modality,
    Sector,
    SustainableDevelopmentGoal,
)

PASSWORD_VARIABLE = "DEMO_PASSWORD"  # noqa: S105 (the name of a variable, not a password)
MODERATOR_USERNAME = "moderator"
EMAIL_DOMAIN = "example.org"

State = Initiative.State
Role = Participation.Role
Stance = PrincipleEvidence.Stance
Strength = PrincipleEvidence.Strength
Involvement = Initiative.GovernmentInvolvement
PROVIDER = InitiativeCountry.Role.PROVIDER
RECIPIENT = InitiativeCountry.Role.RECIPIENT

BRIEFING = {
    "citation": (
        "Institute of Development Studies (IDS). Innovation, solidarity and South-South "
        "learning: the role of civil society from middle-income countries in effective "
        "development cooperation. Policy briefing, cso-ssc.org, 2015."
    ),
    "url": "http://www.cso-ssc.org/",
    "document_type": Source.DocumentType.RESEARCH,
    "year": 2015,
    "language": "en",
}
ILLUSTRATIVE = "Illustrative figure for the demo: the source gives no count."

ORGANISATIONS = [
    # Mexico → Haiti
    {
        "slug": "mexican-civil-society-reconstruction-group",
        "name": "Mexican civil-society reconstruction group",
        "actor_type": OrganisationType.NETWORK,
        "home_country": "MX",
        "description": "A group of Mexican civil-society organisations, public bodies and "
        "companies that came together to support Haiti after the 2010 earthquake.",
    },
    {
        "slug": "mexican-faith-based-relief-organisation",
        "name": "Mexican faith-based relief organisation",
        "actor_type": OrganisationType.FAITH_BASED,
        "home_country": "MX",
        "description": "Collects donations from Mexican citizens for work abroad.",
    },
    {
        "slug": "haitian-ngo-partners",
        "name": "Haitian NGO partners",
        "actor_type": OrganisationType.NATIONAL_NGO,
        "home_country": "HT",
        "description": "Haitian non-governmental organisations that asked Mexican civil "
        "society to work with them after the earthquake.",
    },
    {
        "slug": "haitian-grassroots-farmer-organisations",
        "name": "Haitian grassroots farmers' organisations",
        "actor_type": OrganisationType.COMMUNITY_BASED,
        "home_country": "HT",
        "description": "Rural community groups of Haitian farmers.",
    },
    # India → Bangladesh and Cambodia
    {
        "slug": "pria",
        "name": "Participatory Research in Asia",
        "acronym": "PRIA",
        "actor_type": OrganisationType.NATIONAL_NGO,
        "home_country": "IN",
        "description": "An Indian civil-society organisation working on citizen participation, "
        "local governance and social accountability.",
    },
    {
        "slug": "bangladeshi-civil-society-partners",
        "name": "Bangladeshi civil-society partners",
        "actor_type": OrganisationType.NATIONAL_NGO,
        "home_country": "BD",
    },
    {
        "slug": "cambodian-civil-society-partners",
        "name": "Cambodian civil-society partners",
        "actor_type": OrganisationType.NATIONAL_NGO,
        "home_country": "KH",
    },
    {
        "slug": "bangladeshi-local-government-bodies",
        "name": "Bangladeshi local government bodies",
        "actor_type": OrganisationType.LOCAL_GOVERNMENT,
        "home_country": "BD",
    },
    {
        "slug": "cambodian-local-government-bodies",
        "name": "Cambodian local government bodies",
        "actor_type": OrganisationType.LOCAL_GOVERNMENT,
        "home_country": "KH",
    },
    # India ↔ South Africa
    {
        "slug": "sdi",
        "name": "Shack/Slum Dwellers International",
        "acronym": "SDI",
        "actor_type": OrganisationType.NETWORK,
        "home_country": None,
        "description": "A transnational network of community-based organisations of the urban "
        "poor that grew out of exchanges between India and South Africa.",
    },
    {
        "slug": "indian-urban-poor-federation",
        "name": "Indian federation of urban poor groups",
        "actor_type": OrganisationType.COMMUNITY_BASED,
        "home_country": "IN",
    },
    {
        "slug": "south-african-urban-poor-federation",
        "name": "South African federation of urban poor groups",
        "actor_type": OrganisationType.COMMUNITY_BASED,
        "home_country": "ZA",
    },
    {
        "slug": "indian-federation-support-ngo",
        "name": "Indian NGO supporting urban poor federations",
        "actor_type": OrganisationType.NATIONAL_NGO,
        "home_country": "IN",
    },
    # Brazil → Mozambique and South Africa
    {
        "slug": "brazilian-native-seed-coalition",
        "name": "Brazilian coalition of social movements and NGOs for native seeds",
        "actor_type": OrganisationType.NETWORK,
        "home_country": "BR",
        "description": "Brazilian rural social movements and NGOs that keep and share native "
        "seeds with family farmers.",
    },
    {
        "slug": "abc-brazil",
        "name": "Brazilian Cooperation Agency",
        "acronym": "ABC",
        "actor_type": OrganisationType.NATIONAL_GOVERNMENT,
        "home_country": "BR",
        "description": "The Government of Brazil's agency for development cooperation.",
    },
    {
        "slug": "mozambican-peasant-movement",
        "name": "Mozambican peasant movement",
        "actor_type": OrganisationType.SOCIAL_MOVEMENT,
        "home_country": "MZ",
    },
    {
        "slug": "south-african-family-farmer-groups",
        "name": "South African family farmer groups",
        "actor_type": OrganisationType.COMMUNITY_BASED,
        "home_country": "ZA",
    },
]

# (member, network)
NETWORK_MEMBERSHIPS = [
    ("mexican-faith-based-relief-organisation", "mexican-civil-society-reconstruction-group"),
    ("indian-urban-poor-federation", "sdi"),
    ("south-african-urban-poor-federation", "sdi"),
]

DIALOGUE_MECHANISMS = [
    {
        "country": "MX",
        "name": "AMEXCID Civil Society Technical Council",
        "kind": DialogueMechanism.Kind.NATIONAL,
        "year_started": 2011,
        "description": "One of the technical councils of Mexico's cooperation agency, AMEXCID, "
        "set up in 2011. Seven civil-society organisations sit on it, four international and "
        "three national NGOs. It advises the agency on its cooperation schemes; decisions stay "
        "with AMEXCID.",
    },
    {
        "country": "IN",
        "name": "Forum for Indian Development Cooperation (FIDC)",
        "kind": DialogueMechanism.Kind.NATIONAL,
        "year_started": 2013,
        "description": "A multi-stakeholder forum started in 2013 where government "
        "departments, research institutes and civil-society organisations discuss India's "
        "development cooperation. It has backed data collection on Indian CSOs' work abroad "
        "and hosts debates, in which government views still tend to prevail.",
    },
]

PUBLISHED_CASES = [
    {
        "slug": "mexico-haiti-rural-reconstruction",
        "owner": "mexican-civil-society-reconstruction-group",
        "state": State.PUBLISHED,
        "fields": {
            "start_year": 2010,
            "title": "Mexican civil-society support for rural recovery in Haiti after the "
            "2010 earthquake",
            "summary": "After the 2010 earthquake, a Mexican coalition of civil-society groups, "
            "public bodies and companies worked with Haitian NGOs on rebuilding and on "
            "longer-term rural livelihoods, above all through exchanges between Haitian and "
            "Mexican farmers.",
            "description": "The initiative began with conversations between Haitian NGOs and a "
            "Mexican group that joined NGOs and other civil-society bodies with public agencies "
            "and businesses after the earthquake of January 2010. What "
            "started as help with reconstruction turned to the slower work of rural "
            "development: Haitian and Mexican farmers visited each other to compare and adapt "
            "farming and organising practice.\n\n"
            "The money came from ordinary people in Mexico, who gave through a faith-based "
            "organisation; no traditional donor took part. Haitian grassroots organisations "
            "helped decide what to do and how, which participants saw as the main difference "
            "from many other reconstruction efforts after the disaster.",
            "activity_status": ActivityStatus.IMPLEMENTATION,
            "cooperation_type": Initiative.CooperationType.BILATERAL,
            "is_fragile_state": True,
            "is_post_disaster": True,
            "is_conflict_affected": False,
            "provider_government_involvement": Involvement.COLLABORATING,
            "recipient_government_involvement": Involvement.NONE,
            "coordinates_with_other_donors": False,
            "coordination_note": "Coordination was weak on several fronts. With the Haitian "
            "state barely functioning after the disaster, there was hardly a government "
            "counterpart to work with, which cut into the reach and durability of the results. "
            "The initiative did not align its work with other international NGOs and donors in "
            "Haiti, and fitting in with private-sector initiatives proved difficult too.",
            "lessons_learned": "Letting grassroots organisations shape the activities built a "
            "sense of ownership that makes results more likely to last. Where no functioning "
            "state exists, though, civil society alone struggles to make gains stick: some "
            "government counterpart, and links to other donors and private actors, matter.",
        },
        "countries": [("MX", PROVIDER, Decimal(100)), ("HT", RECIPIENT, Decimal(100))],
        "sectors": ["31120", "31166", "43040", "73010"],
        "sdg_goals": [1, 2],
        "modalities": ["peer-dialogue", "exchange-visits"],
        "participants": [
            ("mexican-civil-society-reconstruction-group", Role.LEAD),
            ("mexican-faith-based-relief-organisation", Role.FUNDING),
            ("haitian-ngo-partners", Role.IMPLEMENTING),
            ("haitian-grassroots-farmer-organisations", Role.PARTNER),
        ],
        "funding": [
            {
                "funding_model": "citizen-donations",
                "funder": "mexican-faith-based-relief-organisation",
                "note": "Paid for entirely by private donations from Mexican citizens to a "
                "faith-based organisation, with nothing from traditional donors. The source "
                "gives no amounts.",
            },
        ],
        "non_monetary": [
            {"kind": NonMonetaryContribution.Kind.EXCHANGE_VISITS, "quantity": Decimal(4)},
        ],
        "outcomes": [
            {
                "title": "Haitian grassroots groups shaped the work",
                "narrative": "Rural organisations in Haiti helped choose and run the "
                "activities. Those involved credited this way of working with stronger local "
                "ownership than in comparable reconstruction projects.",
            },
            {
                "title": "Farmer-to-farmer exchanges between Mexico and Haiti",
                "narrative": "Farmers from both countries visited one another to share "
                "practical farming and organising know-how, moving the initiative from "
                "emergency rebuilding towards rural development.",
                "result_type": ResultType.OUTPUT,
            },
        ],
        "evidence": [
            {
                "principle": "ownership",
                "stance": Stance.SUPPORTS,
                "narrative": "Haitian grassroots organisations took part in deciding and "
                "carrying out the work. People involved named this participatory way of working "
                "as the main value civil society added, and as the reason local ownership was "
                "stronger than in other post-disaster projects.",
                "confirmed_by": "haitian-grassroots-farmer-organisations",
            },
            {
                "principle": "results",
                "stance": Stance.SUPPORTS,
                "narrative": "Because local groups owned the activities, those involved judged "
                "the results more likely to outlast the project than those of other "
                "reconstruction efforts after the earthquake.",
            },
            {
                "principle": "inclusive-partnerships",
                "stance": Stance.CHALLENGES,
                "narrative": "The initiative found little to coordinate with: the Haitian state "
                "was hardly functioning, other donors and international NGOs were not brought "
                "in, and aligning with private-sector initiatives was hard. The source ties "
                "these gaps to lower effectiveness and sustainability.",
            },
        ],
    },
    {
        "slug": "india-bangladesh-cambodia-social-accountability",
        "owner": "pria",
        "state": State.PUBLISHED,
        "fields": {
            "title": "Social accountability and local governance: Indian civil-society training "
            "and mentoring in Bangladesh and Cambodia",
            "summary": "PRIA, an Indian civil-society organisation, shared social "
            "accountability and local governance methods with partners in Bangladesh and "
            "Cambodia through training and follow-up mentoring, with local government officials "
            "taking part.",
            "description": "Indian civil-society organisations have pushed for local governance "
            "reform and for ways citizens can check public performance since the 1990s. This "
            "initiative took that experience to Bangladesh and Cambodia. PRIA trained "
            "civil-society partners and other local stakeholders in social accountability "
            "tools, then mentored them as they applied the tools, so that the methods would be "
            "adopted and kept in use. In places, local government officials joined the "
            "activities alongside civil-society groups.\n\n"
            "It is a triangular initiative: traditional donor countries and multilateral "
            "organisations paid the implementing partners.",
            "activity_status": ActivityStatus.IMPLEMENTATION,
            "cooperation_type": Initiative.CooperationType.TRIANGULAR,
            "is_fragile_state": False,
            "is_post_disaster": False,
            "is_conflict_affected": False,
            "provider_government_involvement": "",
            "recipient_government_involvement": Involvement.COLLABORATING,
            "coordinates_with_other_donors": True,
            "coordination_note": "Set up as triangular cooperation with traditional donor and "
            "multilateral funders. In Bangladesh and Cambodia, local government officials "
            "joined the training.",
            "lessons_learned": "Accountability tools take root when training is followed by "
            "mentoring, and when local officials are part of the process rather than only its "
            "target. PRIA's methods came out of years of trial and learning in India, which "
            "argues for adapting them to each country rather than exporting a blueprint.",
        },
        "countries": [
            ("IN", PROVIDER, Decimal(100)),
            ("BD", RECIPIENT, None),
            ("KH", RECIPIENT, None),
        ],
        "sectors": ["15150", "15112"],
        "sdg_goals": [16],
        "modalities": ["training", "tools-and-methods", "mentoring"],
        "participants": [
            ("pria", Role.LEAD),
            ("bangladeshi-civil-society-partners", Role.IMPLEMENTING),
            ("cambodian-civil-society-partners", Role.IMPLEMENTING),
            ("bangladeshi-local-government-bodies", Role.PARTNER),
            ("cambodian-local-government-bodies", Role.PARTNER),
        ],
        "funding": [
            {
                "funding_model": "triangular",
                "funder": None,
                "note": "Traditional donor countries and multilateral organisations funded the "
                "implementing partners. The source names neither the funders nor amounts.",
            },
        ],
        "non_monetary": [
            {"kind": NonMonetaryContribution.Kind.TRAINING_SESSIONS, "quantity": Decimal(6)},
        ],
        "outcomes": [
            {
                "title": "Partners in Bangladesh and Cambodia took up social accountability tools",
                "narrative": "Civil-society organisations and local stakeholders learned to use "
                "the tools, and mentoring after the training helped them keep using them.",
            },
            {
                "title": "Mutual learning strengthened civil society's voice",
                "narrative": "Learning among the Indian, Bangladeshi and Cambodian organisations "
                "made each of them more effective at demanding answers from the authorities "
                "at home.",
            },
        ],
        "evidence": [
            {
                "principle": "transparency-accountability",
                "stance": Stance.SUPPORTS,
                "narrative": "The organisations learned from one another rather than in one "
                "direction, and what they learned made each better at calling its own "
                "authorities to account.",
                "confirmed_by": "bangladeshi-civil-society-partners",
            },
        ],
    },
    {
        "slug": "india-south-africa-urban-poor-housing-network",
        "owner": "sdi",
        "state": State.PUBLISHED,
        "fields": {
            "title": "Urban poor federations of India and South Africa: a housing rights "
            "network built through horizontal exchange",
            "summary": "Community-based organisations of the urban poor in India and South "
            "Africa learned from each other about mobilising, campaigning for housing rights "
            "and women's leadership, and paid for much of it from their own savings. The "
            "collaboration gave rise to Shack/Slum Dwellers International (SDI).",
            "description": "Groups of slum and shack dwellers in both countries visited each "
            "other to compare how they organise, press for housing rights and bring women into "
            "leadership, and adapted what they saw to their own cities. Both sides taught and "
            "both learned: experience flowed in two directions rather than from a provider to "
            "a recipient.\n\n"
            "Members meet practical needs through savings schemes and microfinance they run "
            "themselves. Traditional donors add funds for the NGOs that support the groups. "
            "Over the years the partnership grew into a transnational network, Shack/Slum "
            "Dwellers International.",
            "activity_status": ActivityStatus.IMPLEMENTATION,
            "cooperation_type": Initiative.CooperationType.BILATERAL,
            "is_fragile_state": False,
            "is_post_disaster": False,
            "is_conflict_affected": False,
            "provider_government_involvement": "",
            "recipient_government_involvement": "",
            "coordinates_with_other_donors": None,
            "coordination_note": "Traditional donors fund the NGOs that accompany the "
            "federations; the source does not say whether the exchanges were coordinated with "
            "other donors or international NGOs.",
            "lessons_learned": "Giving relationships several years to mature, and treating each "
            "side as both teacher and learner, built the trust the network rests on. The "
            "savings of the poor can pay for much local work, but spreading a model across "
            "borders still needs larger outside funding.",
        },
        "countries": [
            ("IN", PROVIDER, None),
            ("ZA", PROVIDER, None),
            ("IN", RECIPIENT, None),
            ("ZA", RECIPIENT, None),
        ],
        "sectors": ["16030", "16040", "24040"],
        "sdg_goals": [1, 5, 11],
        "modalities": ["peer-dialogue", "exchange-visits"],
        "participants": [
            ("sdi", Role.LEAD),
            ("indian-urban-poor-federation", Role.IMPLEMENTING),
            ("south-african-urban-poor-federation", Role.IMPLEMENTING),
            ("indian-federation-support-ngo", Role.PARTNER),
        ],
        "funding": [
            {
                "funding_model": "beneficiary-resources",
                "funder": "indian-urban-poor-federation",
                "note": "Members' own savings and microfinance. The source gives no amounts.",
            },
            {
                "funding_model": "beneficiary-resources",
                "funder": "south-african-urban-poor-federation",
                "note": "Members' own savings and microfinance. The source gives no amounts.",
            },
            {
                "funding_model": "triangular",
                "funder": None,
                "note": "Traditional donor funding for the work of supporting NGOs. The source "
                "names neither the donors nor amounts.",
            },
        ],
        "non_monetary": [],
        "outcomes": [
            {
                "title": "A transnational network of urban poor organisations",
                "narrative": "The exchanges between India and South Africa gave rise to "
                "Shack/Slum Dwellers International, through which community-based "
                "organisations keep sharing and adapting their practice.",
            },
            {
                "title": "Women in leadership",
                "narrative": "Deliberate attention to gender meant that women's views and "
                "priorities shaped what the federations did and how.",
            },
        ],
        "evidence": [
            {
                "principle": "inclusive-partnerships",
                "stance": Stance.SUPPORTS,
                "narrative": "The partners spent years building relationships, trust and a "
                "shared approach, and a deliberate focus on gender let women's perspectives and "
                "priorities shape the work.",
                "confirmed_by": "indian-urban-poor-federation",
            },
        ],
    },
    {
        "slug": "brazil-mozambique-south-africa-native-seed-banks",
        "owner": "brazilian-native-seed-coalition",
        "state": State.PUBLISHED,
        "fields": {
            "title": "Native seed banks: exchanges between Brazilian and Southern African "
            "family farmers",
            "summary": "Brazilian social movements and NGOs shared their experience of "
            "community native seed banks with family farmers, technicians and rural leaders in "
            "Mozambique and South Africa, to build skills and food sovereignty. The Brazilian "
            "Cooperation Agency (ABC) was the only funder.",
            "description": "A group of Brazilian social movements and NGOs organised exchanges "
            "in which family farmers, agricultural technicians and rural leaders from Brazil, "
            "Mozambique and South Africa learned from one another about keeping and sharing "
            "native seeds. The aim was to strengthen local capacity and spread knowledge in "
            "support of food sovereignty.\n\n"
            "The Government of Brazil, through ABC, paid for the whole initiative. Over time "
            "the movements involved came to see seed saving as part of a wider contest with "
            "agribusiness, and that political reading of food sovereignty made them sceptical of "
            "parts of Brazil's official cooperation in Mozambique.",
            "activity_status": ActivityStatus.IMPLEMENTATION,
            "cooperation_type": Initiative.CooperationType.REGIONAL,
            "is_fragile_state": False,
            "is_post_disaster": False,
            "is_conflict_affected": False,
            "provider_government_involvement": Involvement.COLLABORATING,
            "recipient_government_involvement": "",
            "coordinates_with_other_donors": None,
            "coordination_note": "The initiative is funded by the Brazilian government, yet its "
            "partners are at odds with other Brazilian official cooperation: Mozambican peasant "
            "movements asked Brazilian civil-society organisations to help them criticise an "
            "agricultural programme the Brazilian government supports. The source does not "
            "describe coordination with other donors.",
            "lessons_learned": "Trust built over several years and a shared political outlook "
            "sped up cooperation between movements, and a deliberate gender focus brought "
            "women's priorities into the project. Taking money from the provider government "
            "can sit alongside criticism of that government's other programmes, but "
            "provider-country CSOs then have to balance competing demands.",
        },
        "countries": [
            ("BR", PROVIDER, Decimal(100)),
            ("MZ", RECIPIENT, None),
            ("ZA", RECIPIENT, None),
        ],
        "sectors": ["31120", "31166", "43072"],
        "sdg_goals": [2, 5, 15],
        "modalities": ["peer-dialogue", "exchange-visits", "training"],
        "participants": [
            ("brazilian-native-seed-coalition", Role.LEAD),
            ("abc-brazil", Role.FUNDING),
            ("mozambican-peasant-movement", Role.PARTNER),
            ("south-african-family-farmer-groups", Role.PARTNER),
        ],
        "funding": [
            {
                "funding_model": "provider-government",
                "funder": "abc-brazil",
                "note": "The Government of Brazil, through ABC, is the sole funder. The source "
                "gives no amounts.",
            },
        ],
        "non_monetary": [],
        "outcomes": [
            {
                "title": "Seed-bank know-how shared among family farmers",
                "narrative": "Farmers, technicians and rural leaders from the three countries "
                "exchanged practical experience of running native seed banks.",
            },
            {
                "title": "A wider view of food sovereignty",
                "narrative": "Contact between the movements linked their seed work to a broader "
                "struggle over the farming model, and made them critical of some official "
                "Brazilian projects in Mozambique.",
            },
        ],
        "evidence": [
            {
                "principle": "inclusive-partnerships",
                "stance": Stance.SUPPORTS,
                "narrative": "Partners took several years to build relationships and trust and "
                "to agree on a common approach, and an explicit gender focus made sure women's "
                "perspectives and priorities shaped the content.",
                "confirmed_by": "mozambican-peasant-movement",
            },
            {
                "principle": "ownership",
                "stance": Stance.CHALLENGES,
                "narrative": "Mozambican peasant movements turned to Brazilian civil-society "
                "partners for help in criticising an agricultural programme backed by the "
                "Brazilian government, the same government that funds this initiative. "
                "Recipient-country movements were contesting priorities set through official "
                "cooperation, and provider-country CSOs were caught between the two.",
            },
        ],
    },
]

UNPUBLISHED_INITIATIVES = [
    {
        "slug": "haiti-hillside-soil-conservation-exchanges",
        "owner": "mexican-civil-society-reconstruction-group",
        "state": State.DRAFT,
        "fields": {
            "title": "Hillside soil conservation: follow-up farmer exchanges in Haiti",
            "summary": "A planned follow-up to the Mexico–Haiti farmer exchanges, on keeping "
            "soil on hillside plots. Illustrative demo record (draft), not taken from the "
            "source.",
            "activity_status": ActivityStatus.PIPELINE,
            "cooperation_type": Initiative.CooperationType.BILATERAL,
            "is_post_disaster": True,
        },
        "countries": [("MX", PROVIDER, Decimal(100)), ("HT", RECIPIENT, Decimal(100))],
        "sectors": ["31130"],
        "modalities": ["exchange-visits"],
        "participants": [("mexican-civil-society-reconstruction-group", Role.LEAD)],
    },
    {
        "slug": "community-scorecards-handbook-cambodia",
        "owner": "pria",
        "state": State.SUBMITTED,
        "fields": {
            "title": "Community scorecards for commune councils: adapting a handbook for Cambodia",
            "summary": "Translating and adapting a community scorecard handbook with Cambodian "
            "partners. Illustrative demo record awaiting review, not taken from the source.",
            "activity_status": ActivityStatus.PIPELINE,
            "cooperation_type": Initiative.CooperationType.BILATERAL,
        },
        "countries": [("IN", PROVIDER, Decimal(100)), ("KH", RECIPIENT, Decimal(100))],
        "sectors": ["15150"],
        "modalities": ["tools-and-methods"],
        "participants": [
            ("pria", Role.LEAD),
            ("cambodian-civil-society-partners", Role.PARTNER),
        ],
    },
]

INITIATIVES = PUBLISHED_CASES + UNPUBLISHED_INITIATIVES

# Each organisation that owns a demo initiative gets one account; roles not listed are editors.
ACCOUNT_ROLES = {"pria": Membership.Role.MANAGER}

# Defaults for initiative fields an entry may leave out, so that a reload resets them too.
INITIATIVE_DEFAULTS: dict[str, Any] = {
    "description": "",
    "language": "en",
    "planned_start": None,
    "actual_start": None,
    "planned_end": None,
    "actual_end": None,
    "start_year": None,
    "end_year": None,
    "is_fragile_state": False,
    "is_post_disaster": False,
    "is_conflict_affected": False,
    "provider_government_involvement": "",
    "recipient_government_involvement": "",
    "coordinates_with_other_donors": None,
    "coordination_note": "",
    "lessons_learned": "",
    "review_note": "",
}


class DemoDataError(RuntimeError):
    """The reference data the demo relies on is missing (run the migrations first)."""


class _Now:
    """Marks a timestamp to set to the load time unless the row already holds one."""


NOW = _Now()


def demo_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Load (or bring back in line) the demo data set; returns counts for a summary.

    Accounts created by this run are written to ``stdout`` with their passwords, once.
    """
    credentials: list[tuple[str, str]] = []
    with transaction.atomic(), reversion.create_revision():
        # Rows the load creates or changes form one revision in the records' history.
        reversion.set_comment("Demo data loaded")
        summary = _load(credentials=credentials, now=timezone.now())
    if stdout is not None and credentials:
        _write_credentials(stdout, credentials)
    return summary


def _load(*, credentials: list[tuple[str, str]], now) -> dict[str, int]:
    references = _References()
    organisations = _load_organisations(references=references, now=now)
    for mechanism in DIALOGUE_MECHANISMS:
        _upsert(
            DialogueMechanism,
            lookup={
                "country_id": references.country(mechanism["country"]),
                "name": mechanism["name"],
            },
            values={
                "kind": mechanism["kind"],
                "year_started": mechanism["year_started"],
                "description": mechanism["description"],
                "source_citation": BRIEFING["citation"],
                "source_url": BRIEFING["url"],
            },
            now=now,
        )
    moderator, editors = _load_accounts(organisations=organisations, credentials=credentials)

    statuses: Counter[str] = Counter()
    to_refresh = []
    for spec in INITIATIVES:
        initiative, status = _load_initiative(
            spec,
            organisations=organisations,
            editors=editors,
            moderator=moderator,
            references=references,
            now=now,
        )
        statuses[status] += 1
        if status != "unchanged" or initiative.search_vector is None:
            to_refresh.append(initiative.pk)
    if to_refresh:
        initiative_refresh_search_vector(initiative_ids=to_refresh)

    states = Counter(spec["state"] for spec in INITIATIVES)
    return {
        "organisations": len(organisations),
        "dialogue_mechanisms": len(DIALOGUE_MECHANISMS),
        "initiatives": len(INITIATIVES),
        "published": states[State.PUBLISHED],
        "draft": states[State.DRAFT],
        "submitted": states[State.SUBMITTED],
        "initiatives_created": statuses["created"],
        "initiatives_updated": statuses["updated"],
        "accounts": 1 + len(editors),
        "accounts_created": len(credentials),
    }


class _References:
    """Looks up the reference rows the demo points at, failing clearly if one is missing."""

    def __init__(self) -> None:
        self.countries = set(Country.objects.values_list("pk", flat=True))
        self.sectors = set(Sector.objects.values_list("pk", flat=True))
        self.sdg_goals = set(SustainableDevelopmentGoal.objects.values_list("pk", flat=True))
        self.modalities = dict(Modality.objects.values_list("slug", "pk"))
        self.funding_models = dict(FundingModel.objects.values_list("slug", "pk"))
        self.principles = dict(
            Principle.objects.filter(principle_set__slug="busan").values_list("slug", "pk")
        )

    @staticmethod
    def _get(table, key, what: str):
        if key not in table:
            raise DemoDataError(f"Missing {what} {key!r}: run `manage.py migrate` first.")
        return table[key] if isinstance(table, dict) else key

    def country(self, code: str) -> str:
        return self._get(self.countries, code, "country")

    def sector(self, code: str) -> str:
        return self._get(self.sectors, code, "sector")

    def sdg_goal(self, number: int) -> int:
        return self._get(self.sdg_goals, number, "SDG goal")

    def modality(self, slug: str) -> int:
        return self._get(self.modalities, slug, "modality")

    def funding_model(self, slug: str) -> int:
        return self._get(self.funding_models, slug, "funding model")

    def principle(self, slug: str) -> int:
        return self._get(self.principles, slug, "Busan principle")


def _load_organisations(*, references: _References, now) -> dict[str, Organisation]:
    organisations = {}
    for row in ORGANISATIONS:
        country = row.get("home_country")
        organisations[row["slug"]], _status = _upsert(
            Organisation,
            lookup={"slug": row["slug"]},
            values={
                "name": row["name"],
                "acronym": row.get("acronym", ""),
                "actor_type": row["actor_type"],
                "home_country_id": references.country(country) if country else None,
                "description": row.get("description", ""),
            },
            now=now,
        )
    for member, network in NETWORK_MEMBERSHIPS:
        _upsert(
            NetworkMembership,
            lookup={"member_id": organisations[member].pk, "network_id": organisations[network].pk},
            values={},
            now=now,
        )
    return organisations


def _load_accounts(
    *, organisations: dict[str, Organisation], credentials: list[tuple[str, str]]
) -> tuple[User, dict[str, User]]:
    """The moderator and one account per organisation that owns a demo initiative."""
    password = os.environ.get(PASSWORD_VARIABLE) or None
    moderator = _account(
        MODERATOR_USERNAME, is_staff=True, password=password, credentials=credentials
    )
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))

    editors = {}
    for slug in dict.fromkeys(spec["owner"] for spec in INITIATIVES):
        role = ACCOUNT_ROLES.get(slug, Membership.Role.EDITOR)
        user = _account(
            f"{slug}-{role}", is_staff=False, password=password, credentials=credentials
        )
        _upsert(
            Membership,
            lookup={"user_id": user.pk, "organisation_id": organisations[slug].pk},
            values={"role": role},
            now=None,
        )
        editors[slug] = user
    return moderator, editors


def _account(
    username: str, *, is_staff: bool, password: str | None, credentials: list[tuple[str, str]]
) -> User:
    """Get or create a demo account; passwords are only ever set when the account is new."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@{EMAIL_DOMAIN}", is_staff=is_staff)
        chosen = password or secrets.token_urlsafe(18)
        user.set_password(chosen)
        user.save()
        credentials.append((username, f"(from {PASSWORD_VARIABLE})" if password else chosen))
    elif is_staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _load_initiative(
    spec: dict,
    *,
    organisations: dict[str, Organisation],
    editors: dict[str, User],
    moderator: User,
    references: _References,
    now,
) -> tuple[Initiative, str]:
    owner = organisations[spec["owner"]]
    editor = editors[spec["owner"]]
    state = spec["state"]
    is_published = state == State.PUBLISHED
    initiative, status = _upsert(
        Initiative,
        lookup={"slug": spec["slug"]},
        values={
            **INITIATIVE_DEFAULTS,
            **spec["fields"],
            "owner_id": owner.pk,
            "state": state,
            "submitted_at": None if state == State.DRAFT else NOW,
            "published_at": NOW if is_published else None,
            "reviewed_at": NOW if is_published else None,
            "reviewed_by_id": moderator.pk if is_published else None,
            "created_by_id": editor.pk,
            "updated_by_id": editor.pk,
        },
        now=now,
    )
    children_changed = _load_initiative_children(
        initiative,
        spec,
        owner=owner,
        editor=editor,
        organisations=organisations,
        references=references,
        now=now,
    )
    if status == "unchanged" and children_changed:
        status = "updated"
    # A reload that changed an existing record is a new version; the demo's is the reviewed one.
    version = initiative.version + 1 if status == "updated" else initiative.version
    _apply(
        initiative,
        {"version": version, "reviewed_version": version if is_published else None},
        now=now,
    )
    return initiative, status


def _load_initiative_children(
    initiative: Initiative,
    spec: dict,
    *,
    owner: Organisation,
    editor: User,
    organisations: dict[str, Organisation],
    references: _References,
    now,
) -> bool:
    """Bring the rows that hang off ``initiative`` in line with ``spec``; True if any changed."""
    parent = {"initiative_id": initiative.pk}
    changed = [
        _sync_m2m(initiative.sectors, [references.sector(code) for code in spec["sectors"]]),
        _sync_m2m(
            initiative.sdg_goals,
            [references.sdg_goal(number) for number in spec.get("sdg_goals", [])],
        ),
        _sync_m2m(
            initiative.modalities, [references.modality(slug) for slug in spec["modalities"]]
        ),
    ]
    for model, key, rows in _child_rows(spec, organisations=organisations, references=references):
        queryset = model.objects.filter(**parent)
        changed.append(_sync_children(queryset, parent=parent, key=key, rows=rows, now=now))
    changed.append(
        _sync_sources_and_evidence(
            spec,
            parent=parent,
            owner=owner,
            editor=editor,
            organisations=organisations,
            references=references,
            now=now,
        )
    )
    return any(changed)


def _child_rows(
    spec: dict, *, organisations: dict[str, Organisation], references: _References
) -> list[tuple[type[models.Model], tuple[str, ...], list[dict]]]:
    """(model, natural key within the initiative, wanted rows) for each simple child table."""
    return [
        (
            InitiativeCountry,
            ("country_id", "role"),
            [
                {"country_id": references.country(code), "role": role, "share": share}
                for code, role, share in spec["countries"]
            ],
        ),
        (
            Participation,
            ("actor_id", "role"),
            [
                {"actor_id": organisations[slug].pk, "role": role}
                for slug, role in spec["participants"]
            ],
        ),
        (
            FundingContribution,
            ("funding_model_id", "funder_id"),
            [
                {
                    "funding_model_id": references.funding_model(row["funding_model"]),
                    "funder_id": organisations[row["funder"]].pk if row["funder"] else None,
                    "amount": None,
                    "currency": "",
                    "year_start": None,
                    "year_end": None,
                    "is_in_kind": False,
                    "note": row["note"],
                }
                for row in spec.get("funding", [])
            ],
        ),
        (
            NonMonetaryContribution,
            ("kind", "unit"),
            [
                {
                    "kind": row["kind"],
                    "unit": "",
                    "quantity": row["quantity"],
                    "year": None,
                    "note": ILLUSTRATIVE,
                }
                for row in spec.get("non_monetary", [])
            ],
        ),
        (
            Outcome,
            ("title",),
            [
                {
                    "title": row["title"],
                    "narrative": row["narrative"],
                    "result_type": row.get("result_type", ResultType.OUTCOME),
                    "position": position,
                }
                for position, row in enumerate(spec.get("outcomes", []), start=1)
            ],
        ),
    ]


def _sync_sources_and_evidence(
    spec: dict,
    *,
    parent: dict,
    owner: Organisation,
    editor: User,
    organisations: dict[str, Organisation],
    references: _References,
    now,
) -> bool:
    """The briefing as the initiative's source, and the evidence documented in it.

    Sources are upserted first, evidence (which protects its source) synced next, and only
    then are sources no longer wanted deleted.
    """
    source_rows = [BRIEFING] if spec.get("evidence") else []
    sources = Source.objects.filter(**parent)
    changed = _sync_children(
        sources, parent=parent, key=("citation",), rows=source_rows, now=now, delete_stale=False
    )
    briefing = sources.filter(citation=BRIEFING["citation"]).first()
    evidence_rows = [
        {
            "principle_id": references.principle(row["principle"]),
            "source_id": briefing.pk,
            "stance": row["stance"],
            "strength": Strength.DOCUMENTED,
            "narrative": row["narrative"],
            "quote": "",
            "recorded_by_id": editor.pk,
            "recorded_by_organisation_id": owner.pk,
            "confirmed_by_organisation_id": (
                organisations[row["confirmed_by"]].pk if row.get("confirmed_by") else None
            ),
            "confirmed_at": NOW if row.get("confirmed_by") else None,
        }
        for row in spec.get("evidence", [])
    ]
    evidence = PrincipleEvidence.objects.filter(**parent)
    changed |= _sync_children(
        evidence, parent=parent, key=("principle_id", "source_id"), rows=evidence_rows, now=now
    )
    changed |= _sync_children(sources, parent=parent, key=("citation",), rows=source_rows, now=now)
    return changed


def _apply(instance: models.Model, values: dict[str, Any], *, now) -> bool:
    """Set the fields of ``values`` that differ and save only those; True if it saved."""
    changed = []
    for name, wanted in values.items():
        current = getattr(instance, name)
        if wanted is NOW:
            if current is not None:
                continue
            wanted = now
        if current != wanted:
            setattr(instance, name, wanted)
            changed.append(name)
    if changed:
        if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return bool(changed)


def _resolve(values: dict[str, Any], *, now) -> dict[str, Any]:
    return {name: now if value is NOW else value for name, value in values.items()}


def _upsert(model, *, lookup: dict, values: dict, now) -> tuple[Any, str]:
    """Create the row matching ``lookup`` or bring it in line with ``values``.

    Returns the row and ``"created"``, ``"updated"`` or ``"unchanged"``.
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **_resolve(values, now=now)), "created"
    return instance, "updated" if _apply(instance, values, now=now) else "unchanged"


def _sync_children(
    queryset: models.QuerySet,
    *,
    parent: dict,
    key: tuple[str, ...],
    rows: list[dict],
    now,
    delete_stale: bool = True,
) -> bool:
    """Make ``queryset`` (one parent's children) hold exactly ``rows``, matched on ``key``.

    Rows that match are updated in place (only if they differ), missing ones created and the
    rest deleted. Returns True if anything was written.
    """
    wanted = {tuple(row[name] for name in key): row for row in rows}
    existing = {}
    stale = []
    for child in queryset.all():  # a fresh query: the caller may reuse the queryset
        child_key = tuple(getattr(child, name) for name in key)
        if child_key in wanted and child_key not in existing:
            existing[child_key] = child
        else:
            stale.append(child.pk)
    changed = False
    for child_key, row in wanted.items():
        if child_key in existing:
            changed |= _apply(existing[child_key], row, now=now)
        else:
            queryset.model.objects.create(**parent, **_resolve(row, now=now))
            changed = True
    if delete_stale and stale:
        queryset.model.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def _sync_m2m(manager, pks: list) -> bool:
    if set(manager.values_list("pk", flat=True)) == set(pks):
        return False
    manager.set(pks)
    return True


def _write_credentials(stdout: TextIO, credentials: list[tuple[str, str]]) -> None:
    width = max(len(username) for username, _password in credentials)
    stdout.write("Demo accounts created (passwords are shown only now):\n")
    stdout.write(f"  {'username'.ljust(width)}  password\n")
    for username, password in credentials:
        stdout.write(f"  {username.ljust(width)}  {password}\n")
