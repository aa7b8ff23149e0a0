"""Reading and validating a guide bundle (YAML + Markdown) before anything is stored.

The format is documented in docs/bundle-format.md. ``read_bundle`` returns a
``Bundle`` of plain values with Markdown already turned into sanitised HTML, or raises
``BundleInvalid`` listing every problem as ``file:line: field: reason``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
import yaml

FORMAT_VERSION = 1
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
RESOURCE_TYPES = {
    "article", "report", "policy", "toolkit", "book", "chapter",
    "video", "podcast", "news", "website", "dataset",
}  # fmt: skip
ACTION_KINDS = {
    "learn",
    "volunteer",
    "campaign",
    "advocate",
    "donate",
    "contact",
    "attend",
    "other",
}
SOCIAL = ("bluesky", "instagram", "x", "mastodon", "youtube", "podcast", "newsletter")
ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "h2", "h3", "blockquote", "code", "br"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class BundleInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LineDict(dict):
    """A mapping that remembers the line of each of its values."""

    line: int = 0
    lines: dict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = {}


class LineList(list):
    line: int = 0
    lines: list


class _LineLoader(yaml.SafeLoader):
    line_offset = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1 + loader.line_offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be text, found {key!r}", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = value_node.start_mark.line + 1 + loader.line_offset
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1 + loader.line_offset
    items.lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def render_markdown(text: str) -> str:
    """Markdown to the small HTML subset Wagtail rich text and readers both accept."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return re.sub(r">\s*\n\s*<", "><", html).strip()


@dataclass
class Bundle:
    path: Path
    guide: dict = field(default_factory=dict)
    resources: list[dict] = field(default_factory=list)
    profiles: list[dict] = field(default_factory=list)
    glossary: dict = field(default_factory=dict)
    sections: list[dict] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)


class _Reader:
    """Collects problems while checking one bundle; never stops at the first."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.unreadable: set[str] = set()

    def problem(self, file: str, line: int | None, field_name: str, reason: str) -> None:
        self.problems.append(Problem(file, line, field_name, reason))

    # -- files -------------------------------------------------------------------

    def load_yaml(self, relative: str, text: str | None = None, offset: int = 0) -> Any:
        path = self.root / relative
        if text is None:
            if not path.is_file():
                self.problem(relative, None, "", "file is missing")
                self.unreadable.add(relative)
                return None
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                self.problem(relative, None, "", f"not UTF-8 text ({exc.reason})")
                return None
        loader = _LineLoader(text)
        loader.line_offset = offset
        try:
            return loader.get_single_data()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 + offset if mark else None
            reason = getattr(exc, "problem", None) or str(exc)
            self.problem(relative, line, "", f"invalid YAML: {reason}")
            self.unreadable.add(relative)
            return None
        finally:
            loader.dispose()

    def load_front_matter(self, relative: str) -> tuple[Any, str, int]:
        path = self.root / relative
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(relative, None, "", f"cannot be read ({exc})")
            return None, "", 0
        lines = text.splitlines()
        if not lines or lines[0].strip() != "---":
            self.problem(relative, 1, "", "must start with a '---' line opening the front matter")
            return None, "", 0
        try:
            end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
        except StopIteration:
            self.problem(relative, 1, "", "the front matter is never closed with a '---' line")
            return None, "", 0
        meta = self.load_yaml(relative, "\n".join(lines[1:end]), offset=1)
        body = "\n".join(lines[end + 1 :])
        return meta, body, end + 2

    # -- fields ------------------------------------------------------------------

    def mapping(self, value: Any, file: str, line: int | None, what: str) -> LineDict | None:
        if value is None and file in self.unreadable:
            return None
        if not isinstance(value, dict):
            self.problem(file, line, what, f"must be a mapping of fields, found {_kind(value)}")
            return None
        return value

    def text(
        self,
        data: LineDict,
        key: str,
        file: str,
        *,
        required: bool = False,
        max_length: int | None = None,
        prefix: str = "",
    ) -> str:
        value = data.get(key)
        line = data.lines.get(key, data.line)
        name = prefix + key
        if value is None or value == "":
            if required:
                self.problem(file, data.line, name, "is required")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.problem(file, line, name, f"must be text, found {_kind(value)}")
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.problem(file, line, name, f"is {len(value)} characters; the limit is {max_length}")
        return value

    def prose(
        self, data: LineDict, key: str, file: str, *, required: bool = False, prefix: str = ""
    ) -> str:
        value = self.text(data, key, file, required=required, prefix=prefix)
        if value and RAW_HTML_RE.search(value):
            self.problem(
                file,
                data.lines.get(key, data.line),
                prefix + key,
                "raw HTML is not allowed; use Markdown",
            )
        return render_markdown(value) if value else ""

    def url(
        self, data: LineDict, key: str, file: str, *, required: bool = False, prefix: str = ""
    ) -> str:
        value = self.text(data, key, file, required=required, max_length=1000, prefix=prefix)
        if value and not is_web_url(value):
            self.problem(
                file, data.lines.get(key, data.line), prefix + key,
                f"'{value}' is not a full http(s) address",
            )  # fmt: skip
            return ""
        return value

    def key(self, data: LineDict, name: str, file: str, *, prefix: str = "") -> str:
        value = self.text(data, name, file, required=True, max_length=120, prefix=prefix)
        if value and not KEY_RE.match(value):
            self.problem(
                file, data.lines.get(name, data.line), prefix + name,
                f"'{value}' must be lower-case letters, digits and single hyphens",
            )  # fmt: skip
        return value

    def choice(
        self, data: LineDict, key: str, file: str, choices: set[str], default: str, prefix: str = ""
    ) -> str:
        value = self.text(data, key, file, prefix=prefix) or default
        if value not in choices:
            self.problem(
                file, data.lines.get(key, data.line), prefix + key,
                f"'{value}' is not one of: {', '.join(sorted(choices))}",
            )  # fmt: skip
        return value

    def positive_int(self, data: LineDict, key: str, file: str, prefix: str = "") -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.problem(
                file, data.lines.get(key, data.line), prefix + key, "must be a whole number above 0"
            )
            return None
        return value

    def boolean(self, data: LineDict, key: str, file: str, default: bool, prefix: str = "") -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(
                file, data.lines.get(key, data.line), prefix + key, "must be true or false"
            )
            return default
        return value

    def sequence(
        self, data: LineDict, key: str, file: str, *, required: bool = False, prefix: str = ""
    ) -> LineList:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(file, data.line, prefix + key, "is required")
            return LineList()
        if not isinstance(value, list):
            self.problem(
                file,
                data.lines.get(key, data.line),
                prefix + key,
                f"must be a list, found {_kind(value)}",
            )
            return LineList()
        return value

    def unknown(self, data: LineDict, allowed: set[str], file: str, prefix: str = "") -> None:
        for key in data:
            if key not in allowed:
                self.problem(
                    file, data.lines.get(key, data.line), prefix + key,
                    f"unknown field (expected one of: {', '.join(sorted(allowed))})",
                )  # fmt: skip


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    for kind, name in (
        (dict, "a mapping"),
        (list, "a list"),
        (str, "text"),
        ((int, float), "a number"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def parse_issued(value: Any) -> tuple[int | None, int | None, int | None] | None:
    """'2021', 2021, '2021-10' or '2021-10-19' (or a YAML date) as year, month, day."""
    if isinstance(value, date):
        return value.year, value.month, value.day
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if not 1800 <= year <= 2100:
        return None
    return year, month, day


RESOURCE_FIELDS = {
    "key", "title", "type", "creators", "container", "publisher", "issued", "volume", "issue",
    "pages", "url", "doi", "access", "length_pages", "length_minutes", "annotation", "topics",
    "verified",
}  # fmt: skip
PROFILE_FIELDS = {"key", "name", "kind", "description", "website", *SOCIAL}
TERM_FIELDS = {"term", "slug", "aliases", "definition", "attribution", "attribution_url", "related"}
SECTION_FIELDS = {"title", "summary", "resources", "questions", "follow", "actions"}
PAGE_FIELDS = {"title", "kind", "topics", "thank_you", "show_in_menu"}
GUIDE_FIELDS = {
    "format", "slug", "title", "subtitle", "introduction", "who_it_is_for", "how_to_use",
    "review_interval_months", "sections", "pages",
}  # fmt: skip


def read_bundle(path: str | Path) -> Bundle:
    """Read and validate the bundle at ``path``; raise ``BundleInvalid`` with every problem."""
    root = Path(path)
    reader = _Reader(root)
    if not root.is_dir():
        raise BundleInvalid([Problem(str(root), None, "", "is not a folder")])
    bundle = Bundle(path=root)
    _read_guide(reader, bundle)
    _read_library(reader, bundle)
    _read_profiles(reader, bundle)
    _read_glossary(reader, bundle)
    _read_sections(reader, bundle)
    _read_pages(reader, bundle)
    if reader.problems:
        raise BundleInvalid(reader.problems)
    return bundle


def _read_guide(r: _Reader, bundle: Bundle) -> None:
    file = "guide.yaml"
    data = r.mapping(r.load_yaml(file), file, 1, "guide")
    if data is None:
        return
    r.unknown(data, GUIDE_FIELDS, file)
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        r.problem(
            file, data.lines.get("format"), "format", f"this loader reads format {FORMAT_VERSION}"
        )
    interval = data.get("review_interval_months", 12)
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 60:
        r.problem(
            file, data.lines.get("review_interval_months"), "review_interval_months",
            "must be a whole number of months from 1 to 60",
        )  # fmt: skip
        interval = 12
    bundle.guide = {
        "slug": r.key(data, "slug", file),
        "title": r.text(data, "title", file, required=True, max_length=255),
        "subtitle": r.text(data, "subtitle", file, max_length=250),
        "introduction": r.prose(data, "introduction", file),
        "who_it_is_for": r.prose(data, "who_it_is_for", file),
        "how_to_use": r.prose(data, "how_to_use", file),
        "review_interval_months": interval,
        "sections": _slug_list(r, data, "sections", file, required=True),
        "pages": _slug_list(r, data, "pages", file),
    }


def _slug_list(
    r: _Reader, data: LineDict, key: str, file: str, required: bool = False
) -> list[tuple[str, int]]:
    items = r.sequence(data, key, file, required=required)
    seen: set[str] = set()
    result = []
    for index, item in enumerate(items):
        line = items.lines[index]
        if not isinstance(item, str) or not KEY_RE.match(item):
            r.problem(
                file,
                line,
                f"{key}[{index + 1}]",
                f"'{item}' is not a valid file name (without .md)",
            )
        elif item in seen:
            r.problem(file, line, f"{key}[{index + 1}]", f"'{item}' is listed twice")
        else:
            seen.add(item)
            result.append((item, line))
    if required and not items:
        r.problem(file, data.lines.get(key, data.line), key, "must list at least one entry")
    return result


def _keyed_entries(r: _Reader, file: str, top: str) -> list[tuple[int, LineDict]]:
    data = r.mapping(r.load_yaml(file), file, 1, top)
    if data is None:
        return []
    entries = r.sequence(data, top, file, required=True)
    result = []
    for index, entry in enumerate(entries):
        line = entries.lines[index]
        if r.mapping(entry, file, line, f"{top}[{index + 1}]") is not None:
            result.append((index, entry))
    return result


def _check_unique(r: _Reader, file: str, entries: list[dict], field_name: str, what: str) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        value = entry[field_name]
        if value and value in seen:
            r.problem(
                file,
                entry["_line"],
                field_name,
                f"{what} '{value}' is used twice (first at line {seen[value]})",
            )
        elif value:
            seen[value] = entry["_line"]


def _read_library(r: _Reader, bundle: Bundle) -> None:
    file = "library.yaml"
    for index, data in _keyed_entries(r, file, "resources"):
        p = f"resources[{index + 1}]."
        r.unknown(data, RESOURCE_FIELDS, file, p)
        resource = {
            "_line": data.line,
            "key": r.key(data, "key", file, prefix=p),
            "title": r.text(data, "title", file, required=True, max_length=500, prefix=p),
            "resource_type": r.choice(data, "type", file, RESOURCE_TYPES, "article", p),
            "container": r.text(data, "container", file, max_length=300, prefix=p),
            "publisher": r.text(data, "publisher", file, max_length=300, prefix=p),
            "volume": r.text(data, "volume", file, max_length=40, prefix=p),
            "issue": r.text(data, "issue", file, max_length=40, prefix=p),
            "pages": r.text(data, "pages", file, max_length=40, prefix=p),
            "url": r.url(data, "url", file, prefix=p),
            "doi": r.text(data, "doi", file, max_length=200, prefix=p),
            "access": r.choice(
                data, "access", file, {"open", "paywalled", "unknown"}, "unknown", p
            ),
            "length_pages": r.positive_int(data, "length_pages", file, p),
            "length_minutes": r.positive_int(data, "length_minutes", file, p),
            "annotation": r.text(data, "annotation", file, max_length=1500, prefix=p),
            "verified": r.boolean(data, "verified", file, True, p),
            "topics": [],
            "creators": [],
            "issued_year": None,
            "issued_month": None,
            "issued_day": None,
        }
        if resource["doi"] and not DOI_RE.match(resource["doi"]):
            r.problem(
                file,
                data.lines.get("doi"),
                p + "doi",
                f"'{resource['doi']}' is not a bare DOI (10.xxxx/...)",
            )
        if not resource["url"] and not resource["doi"]:
            r.problem(file, data.line, p + "url", "give a url or a doi so readers can find it")
        if "issued" in data:
            issued = parse_issued(data["issued"])
            if issued is None:
                r.problem(
                    file,
                    data.lines["issued"],
                    p + "issued",
                    f"'{data['issued']}' is not YYYY, YYYY-MM or YYYY-MM-DD",
                )
            else:
                resource["issued_year"], resource["issued_month"], resource["issued_day"] = issued
        for t_index, topic in enumerate(r.sequence(data, "topics", file, prefix=p)):
            if isinstance(topic, str) and topic.strip():
                resource["topics"].append(topic.strip()[:100])
            else:
                r.problem(
                    file, data.lines.get("topics"), f"{p}topics[{t_index + 1}]", "must be text"
                )
        creators = r.sequence(data, "creators", file, prefix=p)
        for c_index, creator in enumerate(creators):
            c_line = creators.lines[c_index]
            cp = f"{p}creators[{c_index + 1}]"
            if r.mapping(creator, file, c_line, cp) is None:
                continue
            r.unknown(creator, {"family", "given", "literal"}, file, cp + ".")
            family = r.text(creator, "family", file, max_length=200, prefix=cp + ".")
            given = r.text(creator, "given", file, max_length=200, prefix=cp + ".")
            literal = r.text(creator, "literal", file, max_length=300, prefix=cp + ".")
            if bool(family) == bool(literal):
                r.problem(
                    file, c_line, cp, "give either family (a person) or literal (an organisation)"
                )
            resource["creators"].append({"family": family, "given": given, "literal": literal})
        bundle.resources.append(resource)
    _check_unique(r, file, bundle.resources, "key", "key")


def _read_profiles(r: _Reader, bundle: Bundle) -> None:
    file = "profiles.yaml"
    for index, data in _keyed_entries(r, file, "profiles"):
        p = f"profiles[{index + 1}]."
        r.unknown(data, PROFILE_FIELDS, file, p)
        profile = {
            "_line": data.line,
            "key": r.key(data, "key", file, prefix=p),
            "name": r.text(data, "name", file, required=True, max_length=200, prefix=p),
            "kind": r.choice(data, "kind", file, {"person", "organization"}, "organization", p),
            "description": r.text(data, "description", file, max_length=1000, prefix=p),
            "website": r.url(data, "website", file, prefix=p),
        }
        for name in SOCIAL:
            profile[name] = r.url(data, name, file, prefix=p)
        bundle.profiles.append(profile)
    _check_unique(r, file, bundle.profiles, "key", "key")


def _read_glossary(r: _Reader, bundle: Bundle) -> None:
    file = "glossary.yaml"
    data = r.mapping(r.load_yaml(file), file, 1, "glossary")
    if data is None:
        return
    r.unknown(data, {"title", "introduction", "terms"}, file)
    terms = []
    entries = r.sequence(data, "terms", file, required=True)
    for index, term in enumerate(entries):
        line = entries.lines[index]
        p = f"terms[{index + 1}]."
        if r.mapping(term, file, line, p[:-1]) is None:
            continue
        r.unknown(term, TERM_FIELDS, file, p)
        name = r.text(term, "term", file, required=True, max_length=120, prefix=p)
        slug = r.text(term, "slug", file, max_length=120, prefix=p) or _slugify(name)
        if slug and not KEY_RE.match(slug):
            r.problem(
                file, term.lines.get("slug", line), p + "slug", f"'{slug}' is not a valid slug"
            )
        aliases = [
            a.strip()
            for a in r.sequence(term, "aliases", file, prefix=p)
            if isinstance(a, str) and a.strip()
        ]
        related = [x for x in r.sequence(term, "related", file, prefix=p) if isinstance(x, str)]
        terms.append(
            {
                "_line": line,
                "term": name,
                "slug": slug,
                "aliases": aliases,
                "definition": r.prose(term, "definition", file, required=True, prefix=p),
                "attribution": r.text(
                    term, "attribution", file, required=True, max_length=300, prefix=p
                ),
                "attribution_url": r.url(term, "attribution_url", file, prefix=p),
                "related": related,
                "_related_line": term.lines.get("related", line),
            }
        )
    _check_unique(r, file, terms, "slug", "slug")
    _check_unique(r, file, terms, "term", "term")
    slugs = {t["slug"] for t in terms}
    for term in terms:
        for other in term["related"]:
            if other not in slugs:
                r.problem(
                    file,
                    term["_related_line"],
                    f"{term['term']}.related",
                    f"no term with slug '{other}'",
                )
    bundle.glossary = {
        "title": r.text(data, "title", file, max_length=255) or "Glossary",
        "introduction": r.prose(data, "introduction", file),
        "terms": terms,
    }


def _slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def _read_sections(r: _Reader, bundle: Bundle) -> None:
    resource_keys = {x["key"] for x in bundle.resources}
    profile_keys = {x["key"] for x in bundle.profiles}
    for slug, _ in bundle.guide.get("sections", []):
        file = f"sections/{slug}.md"
        if not (r.root / file).is_file():
            r.problem("guide.yaml", _, "sections", f"lists '{slug}' but {file} does not exist")
            continue
        meta, body, body_line = r.load_front_matter(file)
        data = r.mapping(meta, file, 2, "front matter") if meta is not None else None
        if data is None:
            continue
        r.unknown(data, SECTION_FIELDS, file)
        if not body.strip():
            r.problem(
                file,
                body_line,
                "introduction",
                "the Markdown introduction after the front matter is empty",
            )
        elif RAW_HTML_RE.search(body):
            r.problem(file, body_line, "introduction", "raw HTML is not allowed; use Markdown")
        section = {
            "slug": slug,
            "title": r.text(data, "title", file, required=True, max_length=255),
            "summary": r.text(data, "summary", file, required=True, max_length=400),
            "introduction": render_markdown(body),
            "resources": [],
            "questions": [],
            "follow": [],
            "actions": [],
        }
        items = r.sequence(data, "resources", file, required=True)
        for index, item in enumerate(items):
            line = items.lines[index]
            p = f"resources[{index + 1}]"
            if r.mapping(item, file, line, p) is None:
                continue
            r.unknown(item, {"ref", "note"}, file, p + ".")
            ref = r.text(item, "ref", file, required=True, prefix=p + ".")
            if ref and ref not in resource_keys:
                r.problem(file, line, p + ".ref", f"no resource with key '{ref}' in library.yaml")
            section["resources"].append(
                {"ref": ref, "note": r.text(item, "note", file, max_length=1000, prefix=p + ".")}
            )
        questions = r.sequence(data, "questions", file)
        for index, question in enumerate(questions):
            if not isinstance(question, str) or not question.strip():
                r.problem(file, questions.lines[index], f"questions[{index + 1}]", "must be text")
            else:
                section["questions"].append(question.strip())
        follow = r.sequence(data, "follow", file)
        for index, ref in enumerate(follow):
            if ref not in profile_keys:
                r.problem(
                    file,
                    follow.lines[index],
                    f"follow[{index + 1}]",
                    f"no profile with key '{ref}' in profiles.yaml",
                )
            else:
                section["follow"].append(ref)
        actions = r.sequence(data, "actions", file)
        for index, action in enumerate(actions):
            line = actions.lines[index]
            p = f"actions[{index + 1}]."
            if r.mapping(action, file, line, p[:-1]) is None:
                continue
            r.unknown(action, {"kind", "title", "description", "url"}, file, p)
            section["actions"].append(
                {
                    "kind": r.choice(action, "kind", file, ACTION_KINDS, "learn", p),
                    "title": r.text(action, "title", file, required=True, max_length=250, prefix=p),
                    "description": r.prose(action, "description", file, prefix=p),
                    "url": r.url(action, "url", file, prefix=p),
                }
            )
        bundle.sections.append(section)


def _read_pages(r: _Reader, bundle: Bundle) -> None:
    contact_pages = 0
    for slug, line in bundle.guide.get("pages", []):
        file = f"pages/{slug}.md"
        if not (r.root / file).is_file():
            r.problem("guide.yaml", line, "pages", f"lists '{slug}' but {file} does not exist")
            continue
        if slug in {s["slug"] for s in bundle.sections} or slug == "glossary":
            r.problem(
                "guide.yaml",
                line,
                "pages",
                f"'{slug}' is already used by a section or the glossary",
            )
        meta, body, body_line = r.load_front_matter(file)
        data = r.mapping(meta, file, 2, "front matter") if meta is not None else None
        if data is None:
            continue
        r.unknown(data, PAGE_FIELDS, file)
        if RAW_HTML_RE.search(body):
            r.problem(file, body_line, "body", "raw HTML is not allowed; use Markdown")
        kind = r.choice(data, "kind", file, {"standard", "contact"}, "standard")
        page = {
            "slug": slug,
            "kind": kind,
            "title": r.text(data, "title", file, required=True, max_length=255),
            "body": render_markdown(body),
            "show_in_menu": r.boolean(data, "show_in_menu", file, True),
            "topics": [],
            "thank_you": "",
        }
        if kind == "contact":
            contact_pages += 1
            topics = r.sequence(data, "topics", file)
            for index, topic in enumerate(topics):
                if not isinstance(topic, str) or not topic.strip():
                    r.problem(file, topics.lines[index], f"topics[{index + 1}]", "must be text")
                else:
                    page["topics"].append(topic.strip()[:200])
            page["thank_you"] = r.prose(data, "thank_you", file)
        elif not body.strip():
            r.problem(file, body_line, "body", "the page has no text after the front matter")
        bundle.pages.append(page)
    if contact_pages > 1:
        r.problem("guide.yaml", None, "pages", "only one page may be of kind 'contact'")
