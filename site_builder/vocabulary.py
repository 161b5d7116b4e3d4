"""Fixed vocabularies shared by every program (languages, themes, SDGs, statuses), and what the site, the API and
the staff commands must agree on (below), shipped to the API in catalog.json."""

from __future__ import annotations

# The site's languages are declared once, in mkdocs.yml (the i18n plugin's `languages`; site_builder/languages.py).
# Labels below are English messages, translated by the catalogs (site_builder/i18n.py, `make messages`).

# The CLDR locale a site language writes its dates and numbers in, when it is not the language's own code:
# British English writes day, month, year, as the pages always have.
CLDR_LOCALES: dict[str, str] = {"en": "en_GB"}


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs (site_builder/i18n.py translates it where it is shown)."""
    return message


# The site's name in its header and wherever a page names the site (the accessibility statement).
SITE_NAME = N_("DataCity – citizen consultation")


# A fixed list keeps filters meaningful across programs and years; adding a theme is a code review.
THEMES: dict[str, str] = {
    "air-quality": N_("Air quality"),
    "waste": N_("Waste and reuse"),
    "mobility": N_("Mobility"),
    "energy": N_("Energy"),
    "water": N_("Water"),
    "buildings": N_("Buildings and housing"),
    "public-space": N_("Public space"),
    "health": N_("Health"),
    "food": N_("Food"),
    "nature": N_("Nature in the city"),
    "climate-adaptation": N_("Climate adaptation"),
    "digital-inclusion": N_("Digital inclusion"),
    "open-data": N_("Open data"),
}

# The UN 2030 Sustainable Development Goals, short official names.
SDGS: dict[int, str] = {
    1: N_("No poverty"),
    2: N_("Zero hunger"),
    3: N_("Good health and well-being"),
    4: N_("Quality education"),
    5: N_("Gender equality"),
    6: N_("Clean water and sanitation"),
    7: N_("Affordable and clean energy"),
    8: N_("Decent work and economic growth"),
    9: N_("Industry, innovation and infrastructure"),
    10: N_("Reduced inequalities"),
    11: N_("Sustainable cities and communities"),
    12: N_("Responsible consumption and production"),
    13: N_("Climate action"),
    14: N_("Life below water"),
    15: N_("Life on land"),
    16: N_("Peace, justice and strong institutions"),
    17: N_("Partnerships for the goals"),
}

# draft: never published. open: citizens may take part within the window. closed: read-only.
# selected: the challenge was kept for the program (read-only, highlighted).
STATUSES: dict[str, str] = {
    "open": N_("Open"),
    "closed": N_("Closed"),
    "selected": N_("Selected"),
    "draft": N_("Draft"),
}
PUBLISHED_STATUSES: tuple[str, ...] = ("open", "closed", "selected")

# What residents are shown: the file's status as the window makes it (an "open" challenge whose window has closed
# is closed), one word per state in the filters, the badges and the pages (issue #15: "Ouvert (10)" listed ten
# cards badged "Consultation close").
STATES: dict[str, str] = {
    "upcoming": N_("Coming soon"),
    "open": N_("Consultation open"),
    "closed": N_("Consultation closed"),
    "selected": N_("Challenge selected"),
    # Only in a staff preview: drafts are never published.
    "draft": N_("Draft"),
}

MODERATION_MODES: dict[str, str] = {
    "pre": N_("pre-moderation"),
    "post": N_("post-moderation"),
}

# Whether vote counts are public while the consultation runs, or only once it has closed.
TALLY_VISIBILITY: tuple[str, ...] = ("live", "after-close")

# How residents take part in a program (program.yml `participation`): anonymous (one vote per browser cookie), or
# after verifying with one of these methods (one vote per verified resident; docs/api.md, "Verified participation").
ANONYMOUS = "anonymous"
VERIFICATION_METHODS: tuple[str, ...] = ("email", "oidc")

IMAGE_EXTENSIONS: tuple[str, ...] = (".svg", ".png", ".jpg", ".jpeg", ".webp")


# --- What the site and the API must agree on ------------------------------------------------------------------
# Defined here once. The build ships them to the API in catalog.json ("vocabulary"), which is the contract between
# the two (the API never imports this package); the staff commands import them. tests/unit/test_contract.py fails
# when one of these values is written again anywhere else in the tree.

# Why a resident may report a comment (the report forms; the API refuses any other reason).
REPORT_REASONS: dict[str, str] = {
    "spam": N_("Advertising or spam"),
    "abuse": N_("Insulting or hateful"),
    "personal-data": N_("Personal data"),
    "off-topic": N_("Off topic"),
    "illegal": N_("Illegal content"),
}

# Why staff hide or refuse a comment, or refuse a proposal (staff commands, audit log, moderation record).
MODERATION_REASONS: dict[str, str] = {
    "spam": N_("Advertising or repeated messages (spam)"),
    "abuse": N_("Insults, hate speech or harassment"),
    "personal-data": N_("Personal information (address, phone number…)"),
    "off-topic": N_("Unrelated to the challenge"),
    "illegal": N_("Illegal content"),
    "duplicate": N_("Duplicate of another comment"),
    "other": N_("Other reason"),
}
# The record's category for a comment hidden by residents' reports (REPORTS_TO_HIDE), not by a staff decision.
HIDDEN_BY_REPORTS: dict[str, str] = {"reports": N_("Reported by several people, waiting for review")}

# Every category of the public moderation record: the staff reasons, then hidden by reports.
RECORD_CATEGORIES: dict[str, str] = {**MODERATION_REASONS, **HIDDEN_BY_REPORTS}

# How a vote or a comment was collected: online, or offline and imported by staff (docs/staff.md).
CHANNELS: dict[str, str] = {
    "online": N_("Online"),
    "workshop": N_("In a workshop"),
    "paper": N_("On paper"),
    "phone": N_("By phone"),
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
