"""Declarative field kinds: each checks a value with precise messages and describes itself as JSON Schema."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import zoneinfo
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .problems import Problem, did_you_mean
from .sources import Document, InvalidScalar, dotted
from .staff_text import S_, SP_, Words, listed, words

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_PATTERN = SLUG_RE.pattern


class Checker:
    """Collects problems for one document; `languages` are those its texts are written in (a program's, or the
    site's), `site_languages` the site's."""

    def __init__(self, doc: Document, languages: tuple[str, ...] = (), site_languages: tuple[str, ...] = ()):
        self.doc = doc
        self.problems: list[Problem] = []
        self.site_languages = tuple(site_languages or languages)
        self.languages = tuple(languages or self.site_languages)

    def report(self, where: tuple, message: str | tuple[str, str], fix: str = "", **values: object) -> None:
        """`message` and `fix`: English marked with S_, their {placeholders} filled from `values` when shown."""
        problem = Problem(self.doc.path, self.doc.line(where), dotted(where), message, fix, tuple(values.items()))
        self.problems.append(problem)


class Invalid:
    """Marker for a value that failed its check (already reported)."""


INVALID = Invalid()


def type_name(value: Any) -> Words | str:
    """What a value is, in the words the validator's messages use (shown in the problem's language)."""
    if isinstance(value, bool):
        return words(S_("yes/no"))
    if isinstance(value, int | float):
        return words(S_("a number"))
    if isinstance(value, str):
        return words(S_("text"))
    if isinstance(value, list):
        return words(S_("a list"))
    if isinstance(value, dict):
        return words(S_("a group of fields"))
    if isinstance(value, (dt.date, dt.datetime)):
        return words(S_("a date"))
    if value is None:
        return words(S_("nothing"))
    return type(value).__name__


class Kind:
    # What a value of the kind looks like, in a message: English marked S_ (or Words), translated when shown.
    expected: str | Words = S_("a value")

    def check(self, value: Any, where: tuple, ck: Checker) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def expected_words(self) -> Words:
        return self.expected if isinstance(self.expected, Words) else words(self.expected)

    def not_one(self, what: str, value: Any, where: tuple, ck: Checker, **values: object) -> Invalid:
        """`what` (a message of {value}) reported with the fix "write <what this kind expects>"."""
        ck.report(where, what, S_("write {expected}"), value=value, expected=self.expected_words(), **values)
        return INVALID

    def wrong_type(self, value: Any, where: tuple, ck: Checker, fix: str = "", **values: object) -> Invalid:
        ck.report(
            where,
            S_("expected {expected}, got {got}"),
            fix or S_("write {expected}"),
            expected=self.expected_words(),
            got=type_name(value),
            **values,
        )
        return INVALID


@dataclass
class Text(Kind):
    max_length: int = 200
    multiline: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        return S_("text")

    def check(self, value, where, ck):
        if isinstance(value, InvalidScalar):
            return INVALID
        if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return self.wrong_type(value, where, ck)
        value = value.strip()
        if not value:
            ck.report(where, S_("is empty"), S_("write the text or remove the field if it is optional"))
            return INVALID
        if len(value) > self.max_length:
            ck.report(
                where,
                S_("is {length} characters long, more than the {maximum} allowed"),
                S_("shorten it"),
                length=len(value),
                maximum=self.max_length,
            )
            return INVALID
        if not self.multiline and "\n" in value:
            ck.report(where, S_("spans several lines"), S_("keep it on one line"))
            return INVALID
        return value

    def json_schema(self):
        return {"type": "string", "minLength": 1, "maxLength": self.max_length}


# What a language key looks like in the editors' schemas; the validator checks it against the declared languages.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"


@dataclass
class Localized(Kind):
    """Text given once per language of the document (a program's languages, or the site's): `{fr: ..., en: ...}`.

    With `every_language=False` (aliases), a language may be left out.
    """

    text: Kind = field(default_factory=Text)
    every_language: bool = True
    expected = S_("one text per language (fr: ..., en: ...)")

    def check(self, value, where, ck):
        languages = ck.languages
        if not isinstance(value, dict):
            lines = listed(words(S_("'{lang}: ...'"), lang=lang) for lang in languages)
            fix = S_("write it as '{key}:' followed by indented lines {lines}")
            return self.wrong_type(value, where, ck, fix, key=where[-1], lines=lines)
        out = {}
        for lang, text in value.items():
            if lang not in languages:
                if lang in ck.site_languages:
                    ck.report(
                        where + (lang,),
                        S_("'{lang}' is not one of the program's languages ({languages})"),
                        S_("remove this text, or add {lang} to the program's languages in program.yml"),
                        lang=lang,
                        languages=listed(languages),
                    )
                else:
                    ck.report(
                        where + (lang,),
                        S_("unknown language '{lang}'{hint}"),
                        S_("use one of: {languages}"),
                        lang=lang,
                        hint=did_you_mean(str(lang), languages),
                        languages=listed(languages, "or"),
                    )
                continue
            checked = self.text.check(text, where + (lang,), ck)
            if checked is not INVALID:
                out[lang] = checked
        missing = [lang for lang in languages if lang not in value] if self.every_language else []
        for lang in missing:
            ck.report(
                where,
                S_("missing translation '{lang}'"),
                S_("add a line '{lang}: ...' under '{key}'"),
                lang=lang,
                key=where[-1],
            )
        ok = not missing and len(out) == len([lang for lang in value if lang in languages])
        return out if ok else INVALID

    def json_schema(self):
        schema = {
            "type": "object",
            "patternProperties": {LANGUAGE_PATTERN: self.text.json_schema()},
            "additionalProperties": False,
        }
        return schema | ({"minProperties": 1} if self.every_language else {})


@dataclass
class Language(Kind):
    """One of the site's languages (mkdocs.yml)."""

    expected = S_("a language code of the site (mkdocs.yml), e.g. fr")

    def check(self, value, where, ck):
        if isinstance(value, str) and value in ck.site_languages:
            return value
        ck.report(
            where,
            S_("'{value}' is not a language of the site{hint}"),
            S_("use one of: {languages}, or add it to the site's languages in mkdocs.yml"),
            value=value,
            hint=did_you_mean(str(value), ck.site_languages),
            languages=listed(ck.site_languages, "or"),
        )
        return INVALID

    def json_schema(self):
        return {"type": "string", "pattern": LANGUAGE_PATTERN}


@dataclass
class Slug(Kind):
    expected = S_("a short id in lowercase letters, digits and hyphens (e.g. air-quality-sensors)")
    max_length: int = 64

    def check(self, value, where, ck):
        if not isinstance(value, str) or isinstance(value, InvalidScalar):
            return self.wrong_type(value, where, ck)
        if not SLUG_RE.match(value) or len(value) > self.max_length:
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[: self.max_length]
            ck.report(
                where,
                S_("'{value}' is not a valid id"),
                S_("use lowercase letters, digits and single hyphens, e.g. '{suggestion}'"),
                value=value,
                suggestion=suggestion or "my-challenge",
            )
            return INVALID
        return value

    def json_schema(self):
        return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": self.max_length}


@dataclass
class Choice(Kind):
    values: tuple = ()
    # What a value is called in a message ("theme"): marked S_ where the field is declared.
    what: str = S_("value")

    @property
    def expected(self):  # type: ignore[override]
        return words(S_("one of: {values}"), values=listed((str(v) for v in self.values), "or"))

    def check(self, value, where, ck):
        if value in self.values and not isinstance(value, bool):
            return value
        ck.report(
            where,
            S_("unknown {what} '{value}'{hint}"),
            S_("use one of: {values}"),
            what=words(self.what),
            value=value,
            hint=did_you_mean(value, self.values),
            values=listed((str(v) for v in self.values), "or"),
        )
        return INVALID

    def json_schema(self):
        return {"enum": list(self.values)}


@dataclass
class Integer(Kind):
    minimum: int = 0
    maximum: int = 10**9
    # What the number is called in a message ("SDG"): marked S_ where the field is declared.
    what: str = S_("number")
    expected = S_("a whole number")

    def check(self, value, where, ck):
        if isinstance(value, bool) or not isinstance(value, int):
            fix = S_("write a whole number from {minimum} to {maximum}")
            return self.wrong_type(value, where, ck, fix, minimum=self.minimum, maximum=self.maximum)
        if not self.minimum <= value <= self.maximum:
            ck.report(
                where,
                S_("{what} {value} is out of range"),
                S_("use a number from {minimum} to {maximum}"),
                what=words(self.what),
                value=value,
                minimum=self.minimum,
                maximum=self.maximum,
            )
            return INVALID
        return value

    def json_schema(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass
class When(Kind):
    """A date (YYYY-MM-DD) or a local date and time (YYYY-MM-DDTHH:MM); kept naive, the time zone comes later."""

    expected = S_("a date as YYYY-MM-DD or a date and time as YYYY-MM-DDTHH:MM")

    def check(self, value, where, ck):
        if isinstance(value, InvalidScalar):
            return INVALID
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                ck.report(
                    where, S_("includes a UTC offset"), S_("write local time; the time zone is given by 'timezone'")
                )
                return INVALID
            return value
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                return self.not_one(S_("'{value}' is not a valid date"), value, where, ck)
            if parsed.tzinfo is not None:
                ck.report(
                    where, S_("includes a UTC offset"), S_("write local time; the time zone is given by 'timezone'")
                )
                return INVALID
            return parsed
        return self.wrong_type(value, where, ck)

    def json_schema(self):
        return {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$"},
            ]
        }


@dataclass
class TimeZone(Kind):
    expected = S_("a time zone name such as Europe/Paris")

    def check(self, value, where, ck):
        if not isinstance(value, str):
            return self.wrong_type(value, where, ck)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            known = sorted(zoneinfo.available_timezones())
            return self.not_one(
                S_("unknown time zone '{value}'{hint}"), value, where, ck, hint=did_you_mean(value, known)
            )
        return value

    def json_schema(self):
        return {"type": "string", "pattern": r"^[A-Za-z]+(/[A-Za-z0-9_+\-]+)*$"}


@dataclass
class Url(Kind):
    expected = S_("a web address starting with https:// or http://")

    def check(self, value, where, ck):
        if not isinstance(value, str):
            return self.wrong_type(value, where, ck)
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            ck.report(
                where,
                S_("'{value}' is not a web address"),
                S_("write a web address starting with https:// or http://"),
                value=value,
            )
            return INVALID
        return value

    def json_schema(self):
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


# RFC 2606 / RFC 6761 top-level names that never deliver mail: an address there is a placeholder left in place.
PLACEHOLDER_DOMAINS = re.compile(r"(^|\.)(example|invalid|test|localhost)$", re.I)
# RFC 2606's second-level names (example.com, .net, .org and their subdomains) deliver no mail either. The example
# site is itself published at one (mkdocs.yml's default site_url) and is built locally at 127.0.0.1, so there they
# are its demonstration's addresses; a site published at a real address (DATACITY_SITE_URL) refuses them as
# placeholders left in place.
EXAMPLE_DOMAINS = re.compile(r"(^|\.)(example\.(?:com|net|org))$", re.I)
_published = False


def publish_at(site_url: str) -> None:
    """The site's public address (load_site sets it): a real one refuses example.org's addresses too."""
    global _published
    host = (urlsplit(site_url).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        local = True
    except ValueError:
        local = host == "localhost" or bool(PLACEHOLDER_DOMAINS.search(host) or EXAMPLE_DOMAINS.search(host))
    _published = bool(host) and not local


def placeholder_domain(domain: str) -> str | None:
    """The reserved name that makes an address's domain a placeholder (e.g. 'example.org', '.test'), or None."""
    found = PLACEHOLDER_DOMAINS.search(domain)
    if found:
        return "." + found.group(2).lower()
    found = EXAMPLE_DOMAINS.search(domain)
    return found.group(2).lower() if found and _published else None


@dataclass
class Email(Kind):
    """An address residents can write to; a reserved placeholder domain is refused, as pages would show it."""

    expected = S_("an email address, e.g. accessibilite@ville.fr")
    pattern = re.compile(
        r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
    )

    def check(self, value, where, ck):
        if not isinstance(value, str):
            return self.wrong_type(value, where, ck)
        if len(value) > 254 or not self.pattern.match(value):
            return self.not_one(S_("'{value}' is not an email address"), value, where, ck)
        domain = value.rsplit("@", 1)[1]
        reserved = placeholder_domain(domain)
        if reserved:
            ck.report(
                where,
                S_("'{value}' is a placeholder address: {reserved} is reserved for examples and reaches no one"),
                S_("write the address of the team that answers residents, on your own domain"),
                value=value,
                reserved=reserved,
            )
            return INVALID
        return value

    def json_schema(self):
        return {"type": "string", "format": "email", "maxLength": 254}


@dataclass
class ListOf(Kind):
    item: Kind = field(default_factory=Text)
    min_items: int = 0
    max_items: int = 100
    unique: bool = False

    @property
    def expected(self):  # type: ignore[override]
        return S_("a list (one '- item' per line, or [a, b])")

    def check(self, value, where, ck):
        if not isinstance(value, list):
            return self.wrong_type(value, where, ck)
        if len(value) < self.min_items:
            needs = SP_("needs at least {n} item", "needs at least {n} items")
            ck.report(where, needs, SP_("add one", "add them"), n=self.min_items)
            return INVALID
        if len(value) > self.max_items:
            ck.report(
                where,
                SP_("has {n} item, more than {maximum}", "has {n} items, more than {maximum}"),
                S_("remove some"),
                n=len(value),
                maximum=self.max_items,
            )
            return INVALID
        out, seen, ok = [], set(), True
        for i, item in enumerate(value):
            checked = self.item.check(item, where + (i,), ck)
            if checked is INVALID:
                ok = False
                continue
            if self.unique:
                key = repr(checked)
                if key in seen:
                    ck.report(where + (i,), S_("'{item}' is listed twice"), S_("remove the repeat"), item=item)
                    ok = False
                    continue
                seen.add(key)
            out.append(checked)
        return out if ok else INVALID

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return schema


@dataclass
class Field:
    kind: Kind
    required: bool = False
    description: str = ""
    example: str = ""


@dataclass
class Record(Kind):
    fields: dict[str, Field] = field(default_factory=dict)
    # What the record is called in a message ("partner"): marked S_ where it is declared.
    name: str = S_("group")
    # Exactly one of these fields must be present, when given.
    one_of: tuple[str, ...] = ()

    @property
    def expected(self):  # type: ignore[override]
        return words(S_("a {name} (indented 'field: value' lines)"), name=words(self.name))

    def check(self, value, where, ck):
        if value is None and not where:
            value = {}
        if not isinstance(value, dict):
            return self.wrong_type(value, where, ck)
        out: dict[str, Any] = {}
        ok = True
        for key, item in value.items():
            spec = self.fields.get(key)
            if spec is None:
                ck.report(
                    where + (key,),
                    S_("unknown field '{key}'{hint}"),
                    S_("fix its spelling or remove it; allowed fields: {fields}"),
                    key=key,
                    hint=did_you_mean(key, self.fields),
                    fields=listed(self.fields),
                )
                ok = False
                continue
            checked = spec.kind.check(item, where + (key,), ck)
            if checked is INVALID:
                ok = False
            else:
                out[key] = checked
        for key, spec in self.fields.items():
            if spec.required and key not in value:
                # The description is the JSON Schemas' English one, translated only here, when it is shown; the
                # example is a value to write as it is.
                if spec.example:
                    fix = S_("add '{key}:' ({description}), e.g. {example}")
                else:
                    fix = S_("add '{key}:' ({description})") if spec.description else S_("add '{key}:'")
                ck.report(
                    where,
                    S_("missing required field '{key}'"),
                    fix,
                    key=key,
                    description=words(spec.description),
                    example=spec.example,
                )
                ok = False
        if self.one_of:
            present = [k for k in self.one_of if k in value]
            if len(present) != 1:
                ck.report(
                    where,
                    S_("needs exactly one of {fields} (found {n})"),
                    S_("keep exactly one of them"),
                    fields=listed(self.one_of, "or"),
                    n=len(present),
                )
                ok = False
        return out if ok else INVALID

    def json_schema(self):
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {},
            "additionalProperties": False,
        }
        for key, spec in self.fields.items():
            prop = spec.kind.json_schema()
            if spec.description:
                prop = {"description": spec.description, **prop}
            schema["properties"][key] = prop
        required = [k for k, s in self.fields.items() if s.required]
        if required:
            schema["required"] = required
        if self.one_of:
            schema["oneOf"] = [{"required": [k]} for k in self.one_of]
        return schema
