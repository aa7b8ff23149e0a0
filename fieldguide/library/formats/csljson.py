"""CSL-JSON: the format Zotero's and citeproc's "CSL JSON" export writes."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ..csl import NAME_VARIABLES
from . import ParsedEntry, label_for

DATE_VARIABLES = (
    "issued",
    "accessed",
    "original-date",
    "event-date",
    "submitted",
    "available-date",
)
NUMBER_VARIABLES = ("volume", "issue", "page", "edition", "number", "number-of-pages")
STRING_VARIABLES = ("title", "container-title", "publisher", "DOI", "URL")
TITLE_VARIABLES = ("title", "title-short", "container-title", "collection-title")
# Text no database or page can hold: NUL and other C0 controls except tab and line
# ends (PostgreSQL refuses NUL), and lone UTF-16 surrogates (no UTF-8 encoding exists,
# so a page showing one cannot be sent), which JSON's \\ud800 escapes produce.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
MAX_URL_LENGTH = 1000
_validate_url = URLValidator(schemes=["http", "https"])
# The rich-text markup CSL-JSON allows in titles (Zotero writes it): <i>, <b>, <sup>,
# <sub> and <span class="nocase"> or small caps. Titles are stored as plain text.
_CSL_MARKUP = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^<>]*)?>")


def validate_item(item: Any) -> list[str]:
    """Why a value is not a usable CSL item, as `field: reason` messages (empty if fine)."""
    if not isinstance(item, dict):
        return [f"not an object but {type(item).__name__}"]
    errors = []
    if not isinstance(item.get("type"), str) or not item.get("type"):
        errors.append("type: missing (every CSL item needs a type, e.g. article-journal)")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append("title: missing or empty")
    elif len(title) > 500:
        errors.append(f"title: {len(title)} characters, the most is 500")
    for variable in STRING_VARIABLES[1:]:
        if variable in item and not isinstance(item[variable], str):
            errors.append(f"{variable}: must be text, not {type(item[variable]).__name__}")
    for variable in NUMBER_VARIABLES:
        if variable in item and not isinstance(item[variable], (str, int)):
            errors.append(f"{variable}: must be text or a number")
    for variable in NAME_VARIABLES:
        if variable not in item:
            continue
        names = item[variable]
        if not isinstance(names, list):
            errors.append(f"{variable}: must be a list of names")
            continue
        for position, name in enumerate(names, 1):
            if not isinstance(name, dict) or not (name.get("family") or name.get("literal")):
                errors.append(
                    f"{variable}[{position}]: a name needs family (a person) "
                    "or literal (an organisation)"
                )
    for variable in DATE_VARIABLES:
        if variable in item:
            errors.extend(_date_errors(variable, item[variable]))
    errors.extend(_text_errors(item))
    if isinstance(item.get("URL"), str) and item["URL"] and not _UNSTORABLE.search(item["URL"]):
        errors.extend(_url_errors(item["URL"]))
    return errors


def unstorable_character(text: str) -> str | None:
    """A description of the first character of `text` that cannot be stored or shown."""
    found = _UNSTORABLE.search(text)
    if not found:
        return None
    code = ord(found.group())
    kind = "a lone surrogate, not valid Unicode" if code >= 0xD800 else "a control character"
    return f"U+{code:04X} at character {found.start() + 1} ({kind})"


def _strings(value: Any, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(key, path or str(key))
            yield from _strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for position, inner in enumerate(value, 1):
            yield from _strings(inner, f"{path}[{position}]")


def _text_errors(item: dict) -> list[str]:
    errors = []
    for path, text in _strings(item, ""):
        problem = unstorable_character(text)
        if problem:
            where = path.encode("utf-8", "replace").decode() or "field name"
            errors.append(f"{where}: contains {problem}; export the file again")
    return errors


def _url_errors(url: str) -> list[str]:
    if len(url) > MAX_URL_LENGTH:
        return [f"URL: {len(url)} characters, the most is {MAX_URL_LENGTH}"]
    try:
        _validate_url(url)
    except ValidationError:
        return [f"URL: “{url[:80]}” is not an http or https web address"]
    return []


def _date_errors(variable: str, value: Any) -> list[str]:
    if not isinstance(value, dict):
        return [f'{variable}: must be an object such as {{"date-parts": [[2021, 3]]}}']
    if "date-parts" not in value:
        if any(k in value for k in ("raw", "literal")):
            return []
        return [f"{variable}: has no date-parts, raw or literal"]
    parts = value["date-parts"]
    if not (isinstance(parts, list) and parts and all(isinstance(p, list) and p for p in parts)):
        return [f"{variable}: date-parts must be a list of [year, month, day] lists"]
    errors = []
    for single in parts:
        try:
            numbers = [int(p) for p in single]
        except (TypeError, ValueError):
            errors.append(f"{variable}: date-parts {single!r} are not numbers")
            continue
        if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
            errors.append(f"{variable}: month {numbers[1]} is not 1-12")
        if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
            errors.append(f"{variable}: day {numbers[2]} is not 1-31")
    return errors


def normalise_item(item: dict) -> dict:
    """Zotero writes date-parts as strings ("1999"); CSL says numbers. Titles lose
    CSL's rich-text markup."""
    item = dict(item)
    for variable in TITLE_VARIABLES:
        if isinstance(item.get(variable), str):
            item[variable] = _CSL_MARKUP.sub("", item[variable])
    for variable in DATE_VARIABLES:
        value = item.get(variable)
        if isinstance(value, dict) and isinstance(value.get("date-parts"), list):
            with contextlib.suppress(TypeError, ValueError):
                parts = [[int(p) for p in single] for single in value["date-parts"]]
                item[variable] = {**value, "date-parts": parts}
    if isinstance(item.get("doi"), str) and "DOI" not in item:
        item["DOI"] = item.pop("doi")
    if isinstance(item.get("url"), str) and "URL" not in item:
        item["URL"] = item.pop("url")
    return item


def parse(text: str) -> list[ParsedEntry]:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        return [
            ParsedEntry(
                0,
                "",
                errors=[
                    f"file: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
                ],
            )
        ]
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return [ParsedEntry(0, "", errors=["file: expected a list of CSL items"])]
    entries = []
    for index, raw in enumerate(data, 1):
        item = normalise_item(raw) if isinstance(raw, dict) else raw
        errors = validate_item(item)
        label = label_for(item) if isinstance(item, dict) else ""
        entries.append(ParsedEntry(index, label, item if not errors else None, errors))
    return entries


def dump(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
