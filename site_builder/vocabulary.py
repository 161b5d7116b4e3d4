"""Fixed vocabularies shared by every program: languages, themes, SDGs, statuses."""

from __future__ import annotations

# Every page exists in each of these languages; the first is the site's default.
SITE_LANGUAGES: tuple[str, ...] = ("fr", "en")

LANGUAGE_NAMES: dict[str, str] = {"fr": "Français", "en": "English"}

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

MODERATION_MODES: dict[str, dict[str, str]] = {
    "pre": {"fr": "modération a priori", "en": "pre-moderation"},
    "post": {"fr": "modération a posteriori", "en": "post-moderation"},
}

# Whether vote counts are public while the consultation runs, or only once it has closed.
TALLY_VISIBILITY: tuple[str, ...] = ("live", "after-close")

IMAGE_EXTENSIONS: tuple[str, ...] = (".svg", ".png", ".jpg", ".jpeg", ".webp")
