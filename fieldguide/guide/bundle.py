"""Reading and validating a guide bundle (YAML + Markdown) before anything is stored.

The format is documented in docs/bundle-format.md. ``read_bundle`` returns a
``Bundle`` of plain values with Markdown already turned into sanitised HTML, or raises
``BundleInvalid`` listing every problem as ``file:line: field: reason``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from taggit.models import Tag

from fieldguide.library.models import SOCIAL_FIELDS, Creator, Profile, Resource

from .models import (
    Action,
    ContactMessage,
    ContactPage,
    GlossaryPage,
    GlossaryTerm,
    GuideHomePage,
    SectionPage,
    SectionResource,
    StandardPage,
)

FORMAT_VERSION = 1
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RAW_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "h2", "h3", "blockquote", "code", "br"}

#: Limits that keep a hostile bundle from using unbounded time or memory. Field lengths
#: come from the models; these cover what the models leave open.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_DEPTH = 12
MAX_TEXT_CHARS = 50_000

#: Resource columns a bundle gives as plain text under the same name: every text column
#: of the model without choices, so a new column is read (and exported) without a list
#: to keep up to date.
RESOURCE_TEXT_FIELDS = tuple(
    f.name
    for f in Resource._meta.concrete_fields
    if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name != "key"
)
SOCIAL = tuple(name for name, _ in SOCIAL_FIELDS)


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
    """PyYAML's safe loader, refusing what a hostile bundle could use against us.

    Anchors and aliases are refused when they are composed, before anything is
    expanded, so an alias bomb ("billion laughs") costs no memory; nesting deeper
    than ``MAX_DEPTH`` is refused before the recursive composer can overflow.
    """

    line_offset = 0
    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not allowed", event.start_mark
            )
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, f"anchors (&{event.anchor}) are not allowed", event.start_mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
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
        self.real_root = root.resolve()
        self.problems: list[Problem] = []
        self.reported: set[tuple[str, str]] = set()
        self.unreadable: set[str] = set()

    def problem(self, file: str, line: int | None, field_name: str, reason: str) -> None:
        self.problems.append(Problem(file, line, field_name, reason))
        self.reported.add((file, field_name))

    # -- files -------------------------------------------------------------------

    def exists(self, relative: str) -> bool:
        return (self.root / relative).is_file() or (self.root / relative).is_symlink()

    def read_text(self, relative: str) -> str | None:
        """The file's text, if it is a UTF-8 file inside the bundle of a sane size."""
        path = self.root / relative
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            self.problem(relative, None, "", "file is missing")
            self.unreadable.add(relative)
            return None
        if not real.is_relative_to(self.real_root):
            self.problem(relative, None, "", "is a link to a file outside the bundle")
        elif not real.is_file():
            self.problem(relative, None, "", "is not a file")
        elif real.stat().st_size > MAX_FILE_BYTES:
            self.problem(
                relative, None, "",
                f"is {real.stat().st_size} bytes; the limit is {MAX_FILE_BYTES}",
            )  # fmt: skip
        else:
            try:
                with real.open("rb") as handle:
                    return handle.read(MAX_FILE_BYTES + 1).decode("utf-8")
            except UnicodeDecodeError as exc:
                self.problem(relative, None, "", f"not UTF-8 text ({exc.reason})")
            except OSError as exc:
                self.problem(relative, None, "", f"cannot be read ({exc.strerror})")
        self.unreadable.add(relative)
        return None

    def load_yaml(self, relative: str, text: str | None = None, offset: int = 0) -> Any:
        if text is None:
            text = self.read_text(relative)
            if text is None:
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
        text = self.read_text(relative)
        if text is None:
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

    # -- the models' own validation ----------------------------------------------

    def model(
        self,
        model: type[models.Model],
        values: dict[str, Any],
        data: LineDict,
        file: str,
        prefix: str = "",
        *,
        names: dict[str, str] | None = None,
        full: bool = True,
    ) -> models.Model | None:
        """Check ``values`` with the model's own field validation (and ``clean()``).

        With ``full``, an unsaved instance is built and cleaned (and returned); pages
        are checked field by field. Either way every limit, pattern and choice is the
        model's. Errors come back as problems at the line of the bundle field
        (``names`` maps a model field to its bundle name where they differ). A field
        the bundle reader has already complained about is not reported twice.
        """
        names = names or {}
        errors: dict[str, list[str]] = {}
        instance = None
        if full:
            instance = model(**values)
            exclude = [f.name for f in model._meta.fields if f.name not in values]
            try:
                instance.full_clean(
                    exclude=exclude, validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                errors = (
                    exc.message_dict
                    if hasattr(exc, "error_dict")
                    else {NON_FIELD_ERRORS: exc.messages}
                )
        else:
            # Building a Page looks up its content type, and --check needs no database.
            for name, value in values.items():
                try:
                    model._meta.get_field(name).clean(value, None)
                except ValidationError as exc:
                    errors[name] = exc.messages
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            if isinstance(model_field, models.TextField) and isinstance(value, str):
                limit = model_field.max_length or MAX_TEXT_CHARS
                if len(value) > limit:
                    errors.setdefault(name, []).append(
                        f"Ensure this value has at most {limit} characters (it has {len(value)})."
                    )
        said: set[str] = set()
        for name, messages in errors.items():
            if name == NON_FIELD_ERRORS:
                field_name, line = prefix.rstrip("."), data.line
                messages = [m for m in messages if m not in said]
            else:
                key = names.get(name, name)
                field_name, line = prefix + key, data.lines.get(key, data.line)
            if not messages or (file, field_name) in self.reported:
                continue
            said.update(messages)
            self.problem(file, line, field_name, " ".join(messages))
        return instance

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
        return value.strip()

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
        return self.markdown(value, file, data.lines.get(key, data.line), prefix + key)

    def markdown(self, text: str, file: str, line: int | None, field_name: str) -> str:
        """Rendered Markdown; nesting deeper than ``MAX_DEPTH`` is refused unrendered,
        since the renderer recurses (and slows) with every level of lists or quotes."""
        if not text:
            return ""
        for number, text_line in enumerate(text.splitlines()):
            nesting = len(text_line) - len(text_line.lstrip(" \t>"))
            if nesting > 4 * MAX_DEPTH:
                where = line + number if line else None
                self.problem(file, where, field_name, "the Markdown is nested too deeply")
                return ""
        try:
            return render_markdown(text)
        except RecursionError:
            self.problem(file, line, field_name, "the Markdown is nested too deeply")
            return ""

    def url(
        self, data: LineDict, key: str, file: str, *, required: bool = False, prefix: str = ""
    ) -> str:
        value = self.text(data, key, file, required=required, prefix=prefix)
        if value and not is_web_url(value):
            self.problem(
                file, data.lines.get(key, data.line), prefix + key,
                f"'{value}' is not a full http(s) address",
            )  # fmt: skip
            return ""
        return value

    def key(self, data: LineDict, name: str, file: str, *, prefix: str = "") -> str:
        value = self.text(data, name, file, required=True, prefix=prefix)
        if value and not KEY_RE.match(value):
            self.problem(
                file, data.lines.get(name, data.line), prefix + name,
                f"'{value}' must be lower-case letters, digits and single hyphens",
            )  # fmt: skip
        return value

    def choice(
        self, data: LineDict, key: str, file: str, model_field: models.Field, prefix: str = ""
    ) -> str:
        """A value from the model field's own choices (its default when left out)."""
        choices = [value for value, _ in model_field.choices]
        value = self.text(data, key, file, prefix=prefix) or model_field.get_default()
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
            reason = f"must be a list, found {_kind(value)}"
        elif len(value) > MAX_ENTRIES:
            reason = f"has {len(value)} entries; the limit is {MAX_ENTRIES}"
        else:
            return value
        self.problem(file, data.lines.get(key, data.line), prefix + key, reason)
        return LineList()

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


#: Bundle names that differ from the model's field names.
RESOURCE_NAMES = {"resource_type": "type", "csl_extra": "csl", "unverified_part": "unverified"}
RESOURCE_FIELDS = {
    "key", "type", "creators", "issued", "accessed", "access", "length_pages",
    "length_minutes", "topics", "verified", "unverified", "csl", *RESOURCE_TEXT_FIELDS,
}  # fmt: skip
CREATOR_NAME_FIELDS = tuple(Creator.NAME_PARTS)
CREATOR_FIELDS = {*CREATOR_NAME_FIELDS, "role"}
PROFILE_TEXT_FIELDS = ("name", "description", "website", *SOCIAL)
PROFILE_FIELDS = {"key", "kind", *PROFILE_TEXT_FIELDS}
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
    interval_field = GuideHomePage._meta.get_field("review_interval_months")
    interval = data.get("review_interval_months", interval_field.get_default())
    if isinstance(interval, bool) or not isinstance(interval, int):
        r.problem(
            file, data.lines.get("review_interval_months"), "review_interval_months",
            "must be a whole number of months",
        )  # fmt: skip
        interval = interval_field.get_default()
    bundle.guide = {
        "slug": r.key(data, "slug", file),
        "title": r.text(data, "title", file, required=True),
        "subtitle": r.text(data, "subtitle", file),
        "introduction": r.prose(data, "introduction", file),
        "who_it_is_for": r.prose(data, "who_it_is_for", file),
        "how_to_use": r.prose(data, "how_to_use", file),
        "review_interval_months": interval,
    }
    r.model(GuideHomePage, bundle.guide, data, file, full=False)
    bundle.guide["sections"] = _slug_list(r, data, "sections", file, required=True)
    bundle.guide["pages"] = _slug_list(r, data, "pages", file)


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
    tag_limit = Tag._meta.get_field("name").max_length
    for index, data in _keyed_entries(r, file, "resources"):
        p = f"resources[{index + 1}]."
        r.unknown(data, RESOURCE_FIELDS, file, p)
        fields: dict[str, Any] = {
            "key": r.key(data, "key", file, prefix=p),
            "title": r.text(data, "title", file, required=True, prefix=p),
            **{
                name: r.text(data, name, file, prefix=p)
                for name in RESOURCE_TEXT_FIELDS
                if name not in ("title", "url")
            },
            "url": r.url(data, "url", file, prefix=p),
            "resource_type": r.choice(
                data, "type", file, Resource._meta.get_field("resource_type"), p
            ),
            "access": r.choice(data, "access", file, Resource._meta.get_field("access"), p),
            "length_pages": r.positive_int(data, "length_pages", file, p),
            "length_minutes": r.positive_int(data, "length_minutes", file, p),
            "verified": r.boolean(data, "verified", file, True, p),
            "unverified_part": r.choice(
                data, "unverified", file, Resource._meta.get_field("unverified_part"), p
            ),
            "issued_year": None,
            "issued_month": None,
            "issued_day": None,
            "accessed": None,
            "csl_extra": _csl_extra(r, data, file, p),
        }
        if not (fields["url"] or fields["doi"] or fields["publisher_site"]):
            r.problem(
                file, data.line, p + "url",
                "give a url or a doi (or the publisher_site) so readers can find it",
            )  # fmt: skip
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
                fields["issued_year"], fields["issued_month"], fields["issued_day"] = issued
        if "accessed" in data:
            accessed = parse_issued(data["accessed"])
            if accessed is None or None in accessed:
                r.problem(
                    file, data.lines["accessed"], p + "accessed",
                    f"'{data['accessed']}' is not a date YYYY-MM-DD",
                )  # fmt: skip
            else:
                fields["accessed"] = date(*accessed)
        instance = r.model(Resource, fields, data, file, p, names=RESOURCE_NAMES)
        resource = {"_line": data.line, **fields, "doi": instance.doi, "topics": [], "creators": []}
        for t_index, topic in enumerate(r.sequence(data, "topics", file, prefix=p)):
            name = f"{p}topics[{t_index + 1}]"
            if not isinstance(topic, str) or not topic.strip():
                r.problem(file, data.lines.get("topics"), name, "must be text")
            elif len(topic.strip()) > tag_limit:
                r.problem(
                    file, data.lines.get("topics"), name,
                    f"is {len(topic.strip())} characters; the limit is {tag_limit}",
                )  # fmt: skip
            else:
                resource["topics"].append(topic.strip())
        creators = r.sequence(data, "creators", file, prefix=p)
        for c_index, creator in enumerate(creators):
            c_line = creators.lines[c_index]
            cp = f"{p}creators[{c_index + 1}]"
            if r.mapping(creator, file, c_line, cp) is None:
                continue
            r.unknown(creator, CREATOR_FIELDS, file, cp + ".")
            values = {
                **{
                    name: r.text(creator, name, file, prefix=cp + ".")
                    for name in CREATOR_NAME_FIELDS
                },
                "role": r.choice(creator, "role", file, Creator._meta.get_field("role"), cp + "."),
            }
            r.model(Creator, values, creator, file, cp + ".")
            resource["creators"].append(values)
        bundle.resources.append(resource)
    _check_unique(r, file, bundle.resources, "key", "key")


def _csl_extra(r: _Reader, data: LineDict, file: str, prefix: str) -> dict:
    """Other CSL variables (``csl:``), kept as the resource's ``csl_extra``."""
    value = data.get("csl")
    if value is None:
        return {}
    if not isinstance(value, dict):
        r.problem(
            file, data.lines.get("csl"), prefix + "csl", f"must be a mapping, found {_kind(value)}"
        )
        return {}
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        r.problem(
            file, data.lines.get("csl"), prefix + "csl",
            "must hold only text, numbers, lists and mappings (quote dates)",
        )  # fmt: skip
        return {}


def _read_profiles(r: _Reader, bundle: Bundle) -> None:
    file = "profiles.yaml"
    for index, data in _keyed_entries(r, file, "profiles"):
        p = f"profiles[{index + 1}]."
        r.unknown(data, PROFILE_FIELDS, file, p)
        fields = {
            "key": r.key(data, "key", file, prefix=p),
            "name": r.text(data, "name", file, required=True, prefix=p),
            "kind": r.choice(data, "kind", file, Profile._meta.get_field("kind"), p),
            "description": r.text(data, "description", file, prefix=p),
            "website": r.url(data, "website", file, prefix=p),
            **{name: r.url(data, name, file, prefix=p) for name in SOCIAL},
        }
        r.model(Profile, fields, data, file, p)
        bundle.profiles.append({"_line": data.line, **fields})
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
        name = r.text(term, "term", file, required=True, prefix=p)
        slug = r.text(term, "slug", file, prefix=p) or _slugify(name)
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
        fields = {
            "term": name,
            "slug": slug,
            "aliases": ", ".join(aliases),
            "definition": r.prose(term, "definition", file, required=True, prefix=p),
            "attribution": r.text(term, "attribution", file, required=True, prefix=p),
            "attribution_url": r.url(term, "attribution_url", file, prefix=p),
        }
        r.model(GlossaryTerm, fields, term, file, p)
        terms.append(
            {
                **fields,
                "_line": line,
                "aliases": aliases,
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
        "title": r.text(data, "title", file) or "Glossary",
        "introduction": r.prose(data, "introduction", file),
    }
    r.model(GlossaryPage, bundle.glossary, data, file, full=False)
    bundle.glossary["terms"] = terms


def _slugify(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def _read_sections(r: _Reader, bundle: Bundle) -> None:
    resource_keys = {x["key"] for x in bundle.resources}
    profile_keys = {x["key"] for x in bundle.profiles}
    action_kind = Action._meta.get_field("kind")
    for slug, listed_at in bundle.guide.get("sections", []):
        file = f"sections/{slug}.md"
        if not r.exists(file):
            r.problem(
                "guide.yaml", listed_at, "sections", f"lists '{slug}' but {file} does not exist"
            )
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
        page_fields = {
            "slug": slug,
            "title": r.text(data, "title", file, required=True),
            "summary": r.text(data, "summary", file, required=True),
            "introduction": r.markdown(body, file, body_line, "introduction"),
        }
        r.model(SectionPage, page_fields, data, file, full=False)
        section = {**page_fields, "resources": [], "questions": [], "follow": [], "actions": []}
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
            note = {"note": r.text(item, "note", file, prefix=p + ".")}
            r.model(SectionResource, note, item, file, p + ".")
            section["resources"].append({"ref": ref, **note})
        questions = r.sequence(data, "questions", file)
        for index, question in enumerate(questions):
            if not isinstance(question, str) or not question.strip():
                r.problem(file, questions.lines[index], f"questions[{index + 1}]", "must be text")
            elif len(question) > MAX_TEXT_CHARS:
                r.problem(
                    file, questions.lines[index], f"questions[{index + 1}]",
                    f"is {len(question)} characters; the limit is {MAX_TEXT_CHARS}",
                )  # fmt: skip
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
            fields = {
                "kind": r.choice(action, "kind", file, action_kind, p),
                "title": r.text(action, "title", file, required=True, prefix=p),
                "description": r.prose(action, "description", file, prefix=p),
                "url": r.url(action, "url", file, prefix=p),
            }
            r.model(Action, fields, action, file, p)
            section["actions"].append(fields)
        bundle.sections.append(section)


def _read_pages(r: _Reader, bundle: Bundle) -> None:
    contact_pages = 0
    topic_limit = ContactMessage._meta.get_field("topic").max_length
    for slug, line in bundle.guide.get("pages", []):
        file = f"pages/{slug}.md"
        if not r.exists(file):
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
        kind = r.text(data, "kind", file) or "standard"
        if kind not in ("standard", "contact"):
            r.problem(
                file, data.lines.get("kind", data.line), "kind",
                f"'{kind}' is not one of: contact, standard",
            )  # fmt: skip
        page = {
            "slug": slug,
            "kind": kind,
            "title": r.text(data, "title", file, required=True),
            "body": r.markdown(body, file, body_line, "body"),
            "show_in_menu": r.boolean(data, "show_in_menu", file, True),
            "topics": [],
            "thank_you": "",
        }
        if kind == "contact":
            contact_pages += 1
            topics = r.sequence(data, "topics", file)
            for index, topic in enumerate(topics):
                name = f"topics[{index + 1}]"
                if not isinstance(topic, str) or not topic.strip():
                    r.problem(file, topics.lines[index], name, "must be text")
                elif len(topic.strip()) > topic_limit:
                    r.problem(
                        file, topics.lines[index], name,
                        f"is {len(topic.strip())} characters; the limit is {topic_limit}",
                    )  # fmt: skip
                else:
                    page["topics"].append(topic.strip())
            page["thank_you"] = r.prose(data, "thank_you", file)
            r.model(
                ContactPage,
                {
                    "title": page["title"],
                    "introduction": page["body"],
                    "thank_you": page["thank_you"],
                },
                data,
                file,
                names={"introduction": "body"},
                full=False,
            )
        else:
            if not body.strip():
                r.problem(file, body_line, "body", "the page has no text after the front matter")
            r.model(
                StandardPage, {"title": page["title"], "body": page["body"]}, data, file, full=False
            )
        bundle.pages.append(page)
    if contact_pages > 1:
        r.problem("guide.yaml", None, "pages", "only one page may be of kind 'contact'")
