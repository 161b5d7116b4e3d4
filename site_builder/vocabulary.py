"""Fixed vocabularies shared by every program (languages, themes, SDGs, statuses), and what the site, the API and
the staff commands must agree on (below), shipped to the API in catalog.json."""

from __future__ import annotations

# Every page exists in each of these languages; the first is the site's default.
SITE_LANGUAGES: tuple[str, ...] = ("fr", "en")

# A fixed list keeps filters meaningful across programs and years; adding a theme is a code review.
THEMES: dict[str, dict[str, str]] = {
    "air-quality": {"fr": "Qualité de l'air", "en": "Air quality"},
    "waste": {"fr": "Déchets et réemploi", "en": "Waste and reuse"},
    "mobility": {"fr": "Mobilité", "en": "Mobility"},
    "energy": {"fr": "Énergie", "en": "Energy"},
    "water": {"fr": "Eau", "en": "Water"},
    "buildings": {"fr": "Bâtiments et logement", "en": "Buildings and housing"},
    "public-space": {"fr": "Espace public", "en": "Public space"},
    "health": {"fr": "Santé", "en": "Health"},
    "food": {"fr": "Alimentation", "en": "Food"},
    "nature": {"fr": "Nature en ville", "en": "Nature in the city"},
    "climate-adaptation": {"fr": "Adaptation au climat", "en": "Climate adaptation"},
    "digital-inclusion": {"fr": "Inclusion numérique", "en": "Digital inclusion"},
    "open-data": {"fr": "Données ouvertes", "en": "Open data"},
}

# The UN 2030 Sustainable Development Goals, short official names.
SDGS: dict[int, dict[str, str]] = {
    1: {"fr": "Pas de pauvreté", "en": "No poverty"},
    2: {"fr": "Faim « zéro »", "en": "Zero hunger"},
    3: {"fr": "Bonne santé et bien-être", "en": "Good health and well-being"},
    4: {"fr": "Éducation de qualité", "en": "Quality education"},
    5: {"fr": "Égalité entre les sexes", "en": "Gender equality"},
    6: {"fr": "Eau propre et assainissement", "en": "Clean water and sanitation"},
    7: {"fr": "Énergie propre et d'un coût abordable", "en": "Affordable and clean energy"},
    8: {"fr": "Travail décent et croissance économique", "en": "Decent work and economic growth"},
    9: {"fr": "Industrie, innovation et infrastructure", "en": "Industry, innovation and infrastructure"},
    10: {"fr": "Inégalités réduites", "en": "Reduced inequalities"},
    11: {"fr": "Villes et communautés durables", "en": "Sustainable cities and communities"},
    12: {"fr": "Consommation et production responsables", "en": "Responsible consumption and production"},
    13: {"fr": "Mesures relatives à la lutte contre les changements climatiques", "en": "Climate action"},
    14: {"fr": "Vie aquatique", "en": "Life below water"},
    15: {"fr": "Vie terrestre", "en": "Life on land"},
    16: {"fr": "Paix, justice et institutions efficaces", "en": "Peace, justice and strong institutions"},
    17: {"fr": "Partenariats pour la réalisation des objectifs", "en": "Partnerships for the goals"},
}

# draft: never published. open: citizens may take part within the window. closed: read-only.
# selected: the challenge was kept for the program (read-only, highlighted).
STATUSES: dict[str, dict[str, str]] = {
    "open": {"fr": "Ouvert", "en": "Open"},
    "closed": {"fr": "Clos", "en": "Closed"},
    "selected": {"fr": "Retenu", "en": "Selected"},
    "draft": {"fr": "Brouillon", "en": "Draft"},
}
PUBLISHED_STATUSES: tuple[str, ...] = ("open", "closed", "selected")

# What residents are shown: the file's status as the window makes it (an "open" challenge whose window has closed
# is closed), one word per state in the filters, the badges and the pages (issue #15: "Ouvert (10)" listed ten
# cards badged "Consultation close").
STATES: dict[str, dict[str, str]] = {
    "upcoming": {"fr": "À venir", "en": "Coming soon"},
    "open": {"fr": "Consultation ouverte", "en": "Consultation open"},
    "closed": {"fr": "Consultation close", "en": "Consultation closed"},
    "selected": {"fr": "Défi retenu", "en": "Challenge selected"},
    # Only in a staff preview: drafts are never published.
    "draft": {"fr": "Brouillon", "en": "Draft"},
}

MODERATION_MODES: dict[str, dict[str, str]] = {
    "pre": {"fr": "modération a priori", "en": "pre-moderation"},
    "post": {"fr": "modération a posteriori", "en": "post-moderation"},
}

# Whether vote counts are public while the consultation runs, or only once it has closed.
TALLY_VISIBILITY: tuple[str, ...] = ("live", "after-close")

IMAGE_EXTENSIONS: tuple[str, ...] = (".svg", ".png", ".jpg", ".jpeg", ".webp")


# --- What the site and the API must agree on ------------------------------------------------------------------
# Defined here once. The build ships them to the API in catalog.json ("vocabulary"), which is the contract between
# the two (the API never imports this package); the staff commands import them. tests/unit/test_contract.py fails
# when one of these values is written again anywhere else in the tree.

# Why a resident may report a comment (the report forms; the API refuses any other reason).
REPORT_REASONS: dict[str, dict[str, str]] = {
    "spam": {"fr": "Publicité ou spam", "en": "Advertising or spam"},
    "abuse": {"fr": "Propos injurieux ou haineux", "en": "Insulting or hateful"},
    "personal-data": {"fr": "Données personnelles", "en": "Personal data"},
    "off-topic": {"fr": "Hors sujet", "en": "Off topic"},
    "illegal": {"fr": "Contenu illégal", "en": "Illegal content"},
}

# Why staff hide or refuse a comment, or refuse a proposal (staff commands, audit log, moderation record).
MODERATION_REASONS: dict[str, dict[str, str]] = {
    "spam": {"fr": "Publicité ou messages répétés (spam)", "en": "Advertising or repeated messages (spam)"},
    "abuse": {"fr": "Insultes, propos haineux ou harcèlement", "en": "Insults, hate speech or harassment"},
    "personal-data": {
        "fr": "Informations personnelles (adresse, téléphone…)",
        "en": "Personal information (address, phone number…)",
    },
    "off-topic": {"fr": "Sans rapport avec le défi", "en": "Unrelated to the challenge"},
    "illegal": {"fr": "Contenu illégal", "en": "Illegal content"},
    "duplicate": {"fr": "Doublon d'un autre commentaire", "en": "Duplicate of another comment"},
    "other": {"fr": "Autre motif", "en": "Other reason"},
}
# The record's category for a comment hidden by residents' reports (REPORTS_TO_HIDE), not by a staff decision.
HIDDEN_BY_REPORTS: dict[str, dict[str, str]] = {
    "reports": {
        "fr": "Signalé par plusieurs personnes, en attente de relecture",
        "en": "Reported by several people, waiting for review",
    }
}

# Every category of the public moderation record: the staff reasons, then hidden by reports.
RECORD_CATEGORIES: dict[str, dict[str, str]] = {**MODERATION_REASONS, **HIDDEN_BY_REPORTS}

# How a vote or a comment was collected: online, or offline and imported by staff (docs/staff.md).
CHANNELS: dict[str, dict[str, str]] = {
    "online": {"fr": "En ligne", "en": "Online"},
    "workshop": {"fr": "En atelier", "en": "In a workshop"},
    "paper": {"fr": "Sur papier", "en": "On paper"},
    "phone": {"fr": "Par téléphone", "en": "By phone"},
}

# The longest texts residents and staff may send, in characters (the forms' maxlength; the API refuses longer),
# and the most rows one offline import may have (the staff commands check it before sending).
LIMITS: dict[str, int] = {
    "comment": 2000,
    "display_name": 60,
    "proposal_title": 120,
    "proposal_description": 4000,
    "email": 254,
    "staff_note": 500,
    "import_rows": 5000,
}

# The moderation queues staff work from (the staff commands, the API): comments waiting for a first review,
# comments reported (or hidden by reports), proposals waiting for a decision.
QUEUES: tuple[str, ...] = ("pending", "reported", "proposals")

# What a form post can lead to: the API redirects to the page with #dc-msg-<outcome>, which the page has ready
# (a challenge page has the first ones, a proposal page the last).
CHALLENGE_OUTCOMES: tuple[str, ...] = (
    "vote-recorded",
    "vote-already",
    "vote-withdrawn",
    "vote-none",
    "comment-published",
    "comment-pending",
    "report-received",
)
PROPOSAL_OUTCOMES: tuple[str, ...] = ("proposal-received",)
OUTCOMES: tuple[str, ...] = CHALLENGE_OUTCOMES + PROPOSAL_OUTCOMES

# The exported files' formats (docs/staff.md): written by the API, read by the build and scripts/verify_tally.py.
FORMATS: dict[str, str] = {"results": "datacity-results/1", "vote_log": "datacity-vote-log/1"}

# The licence of the open data the program publishes (catalog.json, results exports).
OPEN_LICENCE: dict[str, str] = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
