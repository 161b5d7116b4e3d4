"""The fields of a program file and of a challenge's front matter; also published as JSON Schema."""

from __future__ import annotations

import json
import re

from .schema import (
    INVALID,
    Checker,
    Choice,
    Email,
    Field,
    Integer,
    Kind,
    Language,
    ListOf,
    Localized,
    Record,
    Slug,
    Text,
    TimeZone,
    Url,
    When,
)
from .staff_text import S_, listed, words
from .vocabulary import ANONYMOUS, MODERATION_MODES, SDGS, STATUSES, TALLY_VISIBILITY, THEMES, VERIFICATION_METHODS

PARTNER = Record(
    name=S_("partner"),
    fields={
        "name": Field(Text(max_length=120), required=True, description=S_("the partner's name")),
        "url": Field(Url(), description=S_("the partner's web site")),
    },
)

PROGRAM_CONTACT = Record(
    name=S_("program contact"),
    fields={
        "email": Field(
            Email(),
            required=True,
            description=S_("the program team's address (partners, questions about its challenges)"),
            example="datacity@paris.fr",
        ),
        "privacy": Field(
            Email(),
            description=S_("who answers data protection requests about this program (its DPO), if not the site's"),
        ),
    },
)

PROGRAM_WINDOW = Record(
    name=S_("consultation window"),
    fields={
        "opens": Field(
            When(),
            required=True,
            description=S_("first day (or date and time) citizens can take part"),
            example="2017-10-20",
        ),
        "closes": Field(
            When(),
            required=True,
            description=S_("last day (or date and time) citizens can take part"),
            example="2017-11-06",
        ),
        "timezone": Field(TimeZone(), required=True, description=S_("the city's time zone"), example="Europe/Paris"),
    },
)

CHALLENGE_WINDOW = Record(
    name=S_("window"),
    fields={
        "opens": Field(When(), required=True, description=S_("first day citizens can take part in this challenge")),
        "closes": Field(When(), required=True, description=S_("last day citizens can take part in this challenge")),
    },
)


PROGRAM_OIDC = Record(
    name=S_("OpenID provider"),
    fields={
        "issuer": Field(
            Url(),
            required=True,
            description=S_("the provider's issuer, exactly as its discovery document writes it (docs/operations.md)"),
            example="https://oidc.franceconnect.gouv.fr/api/v2",
        ),
        "client_id": Field(
            Text(max_length=255),
            required=True,
            description=S_(
                "the client id the provider gave this program; its secret goes in the secret store, never here"
            ),
        ),
        "name": Field(
            Text(max_length=60),
            required=True,
            description=S_("the provider's name as residents know it, on the sign-in button"),
            example="FranceConnect",
        ),
    },
)


class Participation(Kind):
    """`participation`: anonymous, or a list of verification methods (email, oidc) offered together."""

    expected = words(
        S_("{anonymous}, or a list among: {methods}"), anonymous=ANONYMOUS, methods=listed(VERIFICATION_METHODS)
    )

    def check(self, value, where, ck: Checker):
        if value == ANONYMOUS:
            return (ANONYMOUS,)
        method = Choice(VERIFICATION_METHODS, S_("verification method"))
        if isinstance(value, str):  # one method written without brackets: `participation: email`
            checked = method.check(value, where, ck)
            return INVALID if checked is INVALID else (checked,)
        if not isinstance(value, list) or not value:
            ck.report(
                where,
                S_("expected anonymous or a list of verification methods"),
                S_("write 'anonymous', or a list such as [email] or [email, oidc]"),
            )
            return INVALID
        listed = ListOf(method, min_items=1, unique=True).check(value, where, ck)
        return INVALID if listed is INVALID else tuple(m for m in VERIFICATION_METHODS if m in listed)

    def json_schema(self):
        return {
            "anyOf": [
                {"enum": [ANONYMOUS, *VERIFICATION_METHODS]},
                {"type": "array", "items": {"enum": list(VERIFICATION_METHODS)}, "minItems": 1, "uniqueItems": True},
            ]
        }


PROGRAM = Record(
    name=S_("program"),
    fields={
        "city": Field(
            Localized(Text(max_length=80)),
            required=True,
            description=S_("the city's name in each language"),
            example="{fr: Paris, en: Paris}",
        ),
        "season": Field(
            Integer(minimum=2000, maximum=2100, what=S_("season")),
            required=True,
            description=S_("the year of the season"),
            example="2017",
        ),
        "title": Field(Localized(Text(max_length=120)), required=True, description=S_("the program's title")),
        "description": Field(
            Localized(Text(max_length=2000, multiline=True)),
            required=True,
            description=S_("what the program is, in plain words"),
        ),
        "languages": Field(
            ListOf(Language(), min_items=1, unique=True),
            required=True,
            description=S_(
                "the languages the program is published in (some or all of the site's, in mkdocs.yml); "
                "its texts and challenges are written in these"
            ),
            example="[fr, en]",
        ),
        "consultation": Field(PROGRAM_WINDOW, required=True, description=S_("when citizens can take part")),
        "moderation": Field(
            Choice(tuple(MODERATION_MODES), S_("moderation mode")),
            required=True,
            description=S_("pre: comments are reviewed before they appear; post: they appear at once"),
            example="post",
        ),
        "tallies": Field(
            Choice(TALLY_VISIBILITY, S_("tally visibility")),
            description=S_("live: vote counts shown during the consultation; after-close: only once it has closed"),
        ),
        "participation": Field(
            Participation(),
            description=S_(
                "anonymous (default: one vote per browser), or the ways residents verify before voting, "
                "a list among email and oidc (one vote per verified resident)"
            ),
            example="[email]",
        ),
        "oidc": Field(
            PROGRAM_OIDC,
            description=S_("with oidc in participation: the OpenID provider residents sign in with (FranceConnect...)"),
        ),
        "partners": Field(ListOf(PARTNER, max_items=50), description=S_("organisations taking part")),
        "contact": Field(PROGRAM_CONTACT, description=S_("who residents and partners write to about this program")),
    },
)

IMAGE = Record(
    name=S_("image"),
    fields={
        "src": Field(
            Text(max_length=200),
            required=True,
            description=S_("image file, relative to the challenge file (e.g. images/air.svg)"),
        ),
        "alt": Field(
            Localized(Text(max_length=300)),
            required=True,
            description=S_("what the image shows, for people who cannot see it"),
        ),
    },
)

LINK = Record(
    name=S_("link"),
    one_of=("url", "challenge", "page"),
    fields={
        "url": Field(Url(), description=S_("an external web page")),
        "challenge": Field(Slug(), description=S_("the id of another published challenge")),
        "page": Field(Slug(), description=S_("a page of the site, by file name without .md (e.g. glossary)")),
        "title": Field(Localized(Text(max_length=160)), description=S_("the link text (required for url links)")),
    },
)

ORIGIN_KINDS: tuple[str, ...] = ("resident-proposal",)


class ProposalId(Kind):
    """The API's id of a resident's proposal (URL-safe characters)."""

    expected = S_("a proposal id as printed by the staff commands (letters, digits, - and _)")
    pattern = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

    def check(self, value, where, ck: Checker):
        if not isinstance(value, str) or not self.pattern.match(value):
            ck.report(
                where,
                S_("'{value}' is not a proposal id"),
                S_("write {expected}, e.g. '{example}'"),
                value=value,
                expected=self.expected_words(),
                example="aB3dE5fG7hJ9kL1m",
            )
            return INVALID
        return value

    def json_schema(self):
        return {"type": "string", "pattern": self.pattern.pattern}


ORIGIN = Record(
    name=S_("origin"),
    fields={
        "kind": Field(
            Choice(ORIGIN_KINDS, S_("origin kind")),
            required=True,
            description=S_("where the challenge comes from"),
            example="resident-proposal",
        ),
        "proposal": Field(ProposalId(), required=True, description=S_("the id of the resident's proposal in the API")),
        "proposed_on": Field(
            When(), required=True, description=S_("the day the resident sent the proposal"), example="2017-10-25"
        ),
    },
)

CHALLENGE = Record(
    name=S_("challenge"),
    fields={
        "id": Field(
            Slug(),
            required=True,
            description=S_("unique id; also the file name without .md"),
            example="air-quality-sensors",
        ),
        "status": Field(
            Choice(tuple(STATUSES), S_("status")),
            required=True,
            description=S_("draft (not published), open, closed or selected"),
            example="open",
        ),
        "title": Field(Localized(Text(max_length=120)), required=True, description=S_("a short title")),
        "summary": Field(
            Localized(Text(max_length=400)),
            required=True,
            description=S_("one or two plain sentences shown in listings"),
        ),
        "themes": Field(
            ListOf(Choice(tuple(THEMES), S_("theme")), min_items=1, max_items=4, unique=True),
            required=True,
            description=S_("one to four themes from the fixed list"),
            example="[air-quality, health]",
        ),
        "sdgs": Field(
            ListOf(Integer(minimum=1, maximum=17, what=S_("SDG")), min_items=1, max_items=6, unique=True),
            required=True,
            description=S_("UN Sustainable Development Goals, numbers 1 to 17"),
            example="[3, 11]",
        ),
        "window": Field(CHALLENGE_WINDOW, description=S_("only if this challenge's dates differ from the program's")),
        "partners": Field(ListOf(PARTNER, max_items=20), description=S_("organisations behind this challenge")),
        "image": Field(IMAGE, description=S_("an illustration, with its text alternative")),
        "links": Field(ListOf(LINK, max_items=20), description=S_("related pages and challenges")),
        "origin": Field(
            ORIGIN,
            description=S_("set by 'datacity proposal to-challenge' when a resident proposed this challenge"),
        ),
    },
)

GLOSSARY_TERM = Record(
    name=S_("glossary term"),
    fields={
        "id": Field(Slug(), required=True, description=S_("unique id, used in the glossary page's anchors")),
        "term": Field(
            Localized(Text(max_length=60)),
            required=True,
            description=S_("the word as it appears in texts, e.g. {fr: IA, en: AI}"),
        ),
        "aliases": Field(
            Localized(ListOf(Text(max_length=60), max_items=10), every_language=False),
            description=S_("other spellings that get the same explanation"),
        ),
        "short": Field(
            Localized(Text(max_length=200)),
            required=True,
            description=S_("one plain sentence, shown as a tooltip wherever the term appears"),
        ),
        "explanation": Field(
            Localized(Text(max_length=1500, multiline=True)),
            required=True,
            description=S_("a plain-language explanation for the glossary page"),
        ),
    },
)

SITE_CONTACT = Record(
    name=S_("site contact"),
    fields={
        "email": Field(
            Email(), required=True, description=S_("the publisher's general address"), example="contact@ville.fr"
        ),
        "privacy": Field(
            Email(), required=True, description=S_("the data protection officer (privacy page)"), example="dpo@ville.fr"
        ),
        "accessibility": Field(
            Email(),
            required=True,
            description=S_("who answers accessibility problems (accessibility statement)"),
            example="accessibilite@ville.fr",
        ),
    },
)

PLAN = Record(
    name=S_("accessibility plan"),
    fields={
        "period": Field(Text(max_length=20), required=True, description=S_("the years it covers"), example="2026-2028"),
        "steps": Field(
            Localized(ListOf(Text(max_length=400), min_items=1, max_items=20)),
            required=True,
            description=S_("what will be done over those years, one line each"),
        ),
    },
)

ACTIONS = Record(
    name=S_("accessibility actions"),
    fields={
        "year": Field(Integer(minimum=2000, maximum=2100, what=S_("year")), required=True, description=S_("the year")),
        "items": Field(
            Localized(ListOf(Text(max_length=400), min_items=1, max_items=20)),
            required=True,
            description=S_("what is done this year, one line each"),
        ),
    },
)

AUDIT = Record(
    name=S_("accessibility audit"),
    fields={
        "date": Field(When(), required=True, description=S_("the day the RGAA audit report was delivered")),
        "by": Field(Text(max_length=160), required=True, description=S_("who audited (an independent body)")),
        "rate": Field(
            Integer(minimum=0, maximum=100, what=S_("rate")),
            required=True,
            description=S_("percentage of RGAA criteria met, as the audit report gives it"),
        ),
    },
)

ACCESSIBILITY = Record(
    name=S_("accessibility statement"),
    fields={
        "audit": Field(AUDIT, description=S_("the latest RGAA audit, if one was made (the status follows from it)")),
        "non_conformities": Field(
            Localized(ListOf(Text(max_length=400), max_items=50)),
            required=True,
            description=S_("problems known beyond the automated checks, one line each"),
        ),
        "derogations": Field(
            Localized(ListOf(Text(max_length=400), max_items=50)),
            required=True,
            description=S_("contents exempted for disproportionate burden, with why ([] if none)"),
        ),
        "exempt": Field(
            Localized(ListOf(Text(max_length=400), max_items=50)),
            description=S_("contents the law does not cover (e.g. third parties' sites)"),
        ),
        "plan": Field(PLAN, required=True, description=S_("the multi-year plan (schéma pluriannuel)")),
        "actions": Field(ACTIONS, required=True, description=S_("this year's action plan")),
    },
)

SITE = Record(
    name=S_("site"),
    fields={
        "publisher": Field(
            Localized(Text(max_length=160)),
            required=True,
            description=S_("the body that publishes the site and answers for it (privacy, accessibility statement)"),
            example="{fr: Ville de Paris, en: City of Paris}",
        ),
        "contact": Field(SITE_CONTACT, required=True, description=S_("the site's contacts, shown by content pages")),
        "accessibility": Field(
            ACCESSIBILITY,
            description=S_(
                "what the accessibility statement says besides the checks that ran (content/accessibility-checks.json)"
            ),
        ),
    },
)

GLOSSARY = Record(
    name=S_("glossary"),
    fields={
        "terms": Field(
            ListOf(GLOSSARY_TERM, min_items=1, max_items=200), required=True, description=S_("the glossary's terms")
        )
    },
)

assert set(SDGS) == set(range(1, 18))


def json_schemas() -> dict[str, str]:
    """File name -> JSON Schema text, for editors."""
    out = {}
    for name, record, title in (
        ("program.schema.json", PROGRAM, "DataCity program file (challenges/<program>/program.yml)"),
        ("challenge.schema.json", CHALLENGE, "DataCity challenge front matter (challenges/<program>/<id>.md)"),
        ("glossary.schema.json", GLOSSARY, "DataCity glossary (content/glossary.yml)"),
        ("site.schema.json", SITE, "DataCity site configuration (content/site.yml)"),
    ):
        schema = {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": title,
            **record.json_schema(),
        }
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out
