"""How the API documentation groups its operations. Plain data: the settings read it."""

# The groups the documentation lists operations under, in this order (SPECTACULAR_SETTINGS
# "TAGS" gives each its description), and the resources (first part of the path after
# /api/v1/) in each.
TAG_OF_RESOURCE = {
    "initiatives": "Initiatives",
    "evidence": "Evidence",
    "lessons": "Lessons",
    "organisations": "Organisations",
    "countries": "Reference data",
    "dialogue-mechanisms": "Reference data",
    "funding-models": "Reference data",
    "principles": "Reference data",
    "aggregates": "Aggregates",
    "reports": "Reports",
    "practices": "Practices",
    "exchange": "Exchange",
}
API_TAGS = [
    {
        "name": "Initiatives",
        "description": (
            "Records of cooperation: read them (one page at a time as JSON, or every match "
            "as CSV) with the filters of the /initiatives/ page; editors also create and "
            "change their organisations' records and submit them for review."
        ),
    },
    {
        "name": "Evidence",
        "description": "What initiatives show about each Busan effectiveness principle.",
    },
    {
        "name": "Lessons",
        "description": (
            "Lessons learned by initiatives, for civil society, governments or funders, "
            "by theme, practice and country."
        ),
    },
    {
        "name": "Organisations",
        "description": "The civil-society organisations and other actors named in records.",
    },
    {
        "name": "Practices",
        "description": (
            "Methods and tools that travel between countries, with the initiatives that used "
            "them and the initiative each learned them from; editors propose new ones."
        ),
    },
    {
        "name": "Reference data",
        "description": (
            "Vocabularies the records use: countries (with their civic-space context), "
            "dialogue mechanisms, funding models and the effectiveness principles."
        ),
    },
    {
        "name": "Aggregates",
        "description": "Counts behind the dashboard's charts, as JSON or CSV.",
    },
    {
        "name": "Reports",
        "description": (
            "Data sets (CSV, Excel, JSON), IATI XML and PDF briefs prepared in the "
            "background for a signed-in account: ask, follow, download."
        ),
    },
    {
        "name": "Exchange",
        "description": (
            "What organisations can share (offers) or want to learn (requests), each with "
            "the open listings that answer it and why; editors write their organisations' "
            "listings, which moderators publish."
        ),
    },
]
