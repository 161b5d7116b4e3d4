"""Interface text of generated pages, and date formatting, in every site language."""

from __future__ import annotations

import datetime as dt

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "home": "Accueil",
        "challenges": "Défis",
        "all_challenges": "Tous les défis",
        "challenges_of": "Les défis de {program}",
        "filter_by": "Filtrer les défis",
        "by_theme": "Par thème",
        "by_sdg": "Par objectif de développement durable",
        "by_status": "Par statut",
        "theme": "Thème",
        "themes": "Thèmes",
        "sdg": "ODD {n}",
        "sdg_long": "Objectif de développement durable {n} : {name}",
        "sdgs": "Objectifs de développement durable (ODD) de l'ONU",
        "status": "Statut",
        "partners": "Partenaires",
        "links": "Pour aller plus loin",
        "breadcrumb": "Fil d'Ariane",
        "pagination": "Pages de résultats",
        "page_n": "Page {n}",
        "page_n_of": "page {n} sur {total}",
        "previous": "Page précédente",
        "next": "Page suivante",
        "count_one": "1 défi",
        "count_many": "{n} défis",
        "none_here": "Aucun défi ne correspond à ce filtre pour l'instant.",
        "filtered_theme": "Défis du thème « {name} »",
        "filtered_sdg": "Défis liés à l'ODD {n} : {name}",
        "filtered_status": "Défis : {name}",
        "window": "Consultation",
        "from_to": "du {opens} au {closes}",
        "state_upcoming": "La consultation n'a pas encore commencé : elle ouvre le {opens}.",
        "state_open": "La consultation est ouverte jusqu'au {closes} inclus.",
        "state_closed": "La consultation est close depuis le {closes}.",
        "state_note": "(état à la date de publication de cette page, le {built})",
        "programs": "Les programmes",
        "program_see": "Voir les {n} défis",
        "propose": "Proposer un défi",
        "moderation_pre": "Les commentaires sont relus par l'équipe avant d'être publiés.",
        "moderation_post": "Les commentaires sont publiés tout de suite ; l'équipe retire ceux qui ne respectent pas la charte.",
        "tallies_live": "Le nombre de votes est affiché pendant la consultation.",
        "tallies_after-close": "Le nombre de votes n'est affiché qu'une fois la consultation close, pour que chacun vote librement.",
        "moderation_record": "Registre de modération : combien de commentaires ont été masqués ou refusés, et pourquoi",
        "how_to_take_part": "Comment participer",
        "take_part": "Lisez les défis, votez pour ceux qui comptent pour vous, commentez-les ou proposez le vôtre.",
        "image": "Illustration",
        "glossary": "Glossaire",
        "glossary_intro": "Les mots techniques de la ville intelligente, expliqués simplement. "
        "Ces mots sont soulignés en pointillés dans les pages : survolez-les avec la souris pour voir leur définition, ou retrouvez-la ici.",
        "glossary_also": "Aussi écrit :",
        "about_program": "À propos du programme",
        "see_also_page": "Page : {title}",
        "see_also_challenge": "Défi : {title}",
        "external": "(site externe)",
        "search": "Rechercher",
        "search_intro": "Cherchez un mot dans les défis et les pages du site.",
        "search_nojs": "La recherche a besoin de JavaScript, qui est désactivé dans votre navigateur. "
        "Vous trouverez tous les défis dans les listes de chaque programme, à filtrer par thème, par objectif "
        "de développement durable et par statut :",
        "search_all": "Tous les défis de {program}",
        "not_found": "Page introuvable",
        "not_found_text": "Cette adresse ne correspond à aucune page du site : elle est peut-être mal écrite, "
        "ou la page a été déplacée.",
        "not_found_home": "Revenir à l'accueil",
        "search_none": "Aucun résultat pour « {query} ».",
        "search_one": "1 résultat",
        "search_many": "{n} résultats",
        "search_searching": "Recherche en cours…",
        "search_failed": "La recherche n'a pas pu se charger. Vérifiez votre connexion et réessayez.",
        "search_see_all": "Voir les {n} résultats",
        "search_more": "Plus de résultats",
    },
    "en": {
        "home": "Home",
        "challenges": "Challenges",
        "all_challenges": "All challenges",
        "challenges_of": "Challenges of {program}",
        "filter_by": "Filter the challenges",
        "by_theme": "By theme",
        "by_sdg": "By Sustainable Development Goal",
        "by_status": "By status",
        "theme": "Theme",
        "themes": "Themes",
        "sdg": "SDG {n}",
        "sdg_long": "Sustainable Development Goal {n}: {name}",
        "sdgs": "UN Sustainable Development Goals (SDGs)",
        "status": "Status",
        "partners": "Partners",
        "links": "Find out more",
        "breadcrumb": "Breadcrumb",
        "pagination": "Result pages",
        "page_n": "Page {n}",
        "page_n_of": "page {n} of {total}",
        "previous": "Previous page",
        "next": "Next page",
        "count_one": "1 challenge",
        "count_many": "{n} challenges",
        "none_here": "No challenge matches this filter yet.",
        "filtered_theme": "Challenges on “{name}”",
        "filtered_sdg": "Challenges for SDG {n}: {name}",
        "filtered_status": "Challenges: {name}",
        "window": "Consultation",
        "from_to": "from {opens} to {closes}",
        "state_upcoming": "The consultation has not started yet: it opens on {opens}.",
        "state_open": "The consultation is open until {closes} included.",
        "state_closed": "The consultation closed on {closes}.",
        "state_note": "(as of when this page was published, {built})",
        "programs": "Programs",
        "program_see": "See the {n} challenges",
        "propose": "Propose a challenge",
        "moderation_pre": "Comments are read by the team before they are published.",
        "moderation_post": "Comments are published at once; the team removes those that break the charter.",
        "tallies_live": "Vote counts are shown during the consultation.",
        "tallies_after-close": "Vote counts are shown only once the consultation has closed, so that everyone votes freely.",
        "moderation_record": "Moderation record: how many comments were hidden or refused, and why",
        "how_to_take_part": "How to take part",
        "take_part": "Read the challenges, vote for the ones that matter to you, comment on them or propose your own.",
        "image": "Illustration",
        "glossary": "Glossary",
        "glossary_intro": "The technical words of the smart city, explained simply. "
        "These words are underlined with dots in the pages: hover them with a mouse to see what they mean, or find them here.",
        "glossary_also": "Also written:",
        "about_program": "About the program",
        "see_also_page": "Page: {title}",
        "see_also_challenge": "Challenge: {title}",
        "external": "(external site)",
        "search": "Search",
        "search_intro": "Look for a word in the challenges and the pages of the site.",
        "search_nojs": "Search needs JavaScript, which is turned off in your browser. You will find every "
        "challenge in the lists of each program, which you can filter by theme, by sustainable development goal "
        "and by status:",
        "search_all": "All the challenges of {program}",
        "not_found": "Page not found",
        "not_found_text": "No page of this site has this address: it may be mistyped, or the page has moved.",
        "not_found_home": "Go to the home page",
        "search_none": "No results for “{query}”.",
        "search_one": "1 result",
        "search_many": "{n} results",
        "search_searching": "Searching…",
        "search_failed": "The search could not be loaded. Check your connection and try again.",
        "search_see_all": "See all {n} results",
        "search_more": "More results",
    },
}

_MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def t(lang: str, key: str, **values: object) -> str:
    return TEXT[lang][key].format(**values)


def count(lang: str, n: int) -> str:
    return t(lang, "count_one") if n == 1 else t(lang, "count_many", n=n)


def date(lang: str, when: dt.datetime, with_time: bool = False) -> str:
    """'20 octobre 2017' / '20 October 2017', optionally with the local time."""
    day = "1er" if lang == "fr" and when.day == 1 else str(when.day)
    text = f"{day} {_MONTHS[lang][when.month - 1]} {when.year}"
    if with_time:
        text += f", {when:%H:%M}" if lang == "en" else f" à {when:%H h %M}"
    return text
