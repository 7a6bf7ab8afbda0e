"""Date and number formats that differ from Django's for a portal language (Django's own
apply to the rest). Named formats are what templates and code ask for ("DATE_FORMAT",
"SHORT_DATETIME_FORMAT"), so every language writes a date its own way: "6 December 2026",
"6 de diciembre de 2026", "6 décembre 2026"."""
