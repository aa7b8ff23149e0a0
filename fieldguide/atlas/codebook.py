"""Loading and checking the topic codebooks (fieldguide/atlas/data/codebook.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django.db import transaction

from .models import Category, Topic

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CodebookError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _check_topic(where: str, topic: object, errors: list[str]) -> None:
    if not isinstance(topic, dict):
        errors.append(f"{where}: must be a mapping with slug, name, question and categories")
        return
    for key in ("slug", "name", "question"):
        if not str(topic.get(key) or "").strip():
            errors.append(f"{where}.{key}: is required")
    if topic.get("slug") and not SLUG.match(str(topic["slug"])):
        errors.append(
            f"{where}.slug: '{topic['slug']}' must be lower-case letters, digits and hyphens"
        )
    sections = topic.get("sections", [])
    if not isinstance(sections, list) or any(not SLUG.match(str(s)) for s in sections):
        errors.append(f"{where}.sections: must be a list of section slugs")
    categories = topic.get("categories")
    if not isinstance(categories, list) or not categories:
        errors.append(f"{where}.categories: at least one category is required")
        return
    codes: set[str] = set()
    labels: set[str] = set()
    for j, category in enumerate(categories):
        here = f"{where}.categories[{j}]"
        if not isinstance(category, dict):
            errors.append(f"{here}: must be a mapping with code, label and definition")
            continue
        code = str(category.get("code") or "")
        label = str(category.get("label") or "")
        if not SLUG.match(code):
            errors.append(f"{here}.code: '{code}' must be lower-case letters, digits and hyphens")
        elif code in codes:
            errors.append(f"{here}.code: '{code}' is used twice in this codebook")
        if code in {"not-yet-coded", "not-coded", "unknown"}:
            errors.append(
                f"{here}.code: '{code}' is not a category: jurisdictions without a record "
                "are shown as not yet coded"
            )
        if not label.strip():
            errors.append(f"{here}.label: is required")
        elif label in labels:
            errors.append(f"{here}.label: '{label}' is used twice in this codebook")
        if not str(category.get("definition") or "").strip():
            errors.append(f"{here}.definition: is required (coders apply it)")
        codes.add(code)
        labels.add(label)


def validate_codebook(data: object) -> list[dict]:
    """The topics in a parsed codebook file; raises CodebookError listing every problem."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise CodebookError(["codebook: must have a 'topics' list"])
    errors: list[str] = []
    slugs: set[str] = set()
    for i, topic in enumerate(data["topics"]):
        _check_topic(f"topics[{i}]", topic, errors)
        slug = topic.get("slug") if isinstance(topic, dict) else None
        if slug in slugs:
            errors.append(f"topics[{i}].slug: '{slug}' is used twice")
        slugs.add(slug)
    if errors:
        raise CodebookError(errors)
    return data["topics"]


def upsert(model, update: bool, defaults: dict, **lookup):
    """Create a missing row; change an existing one only when asked to (editors' edits win)."""
    if update:
        return model.objects.update_or_create(defaults=defaults, **lookup)
    return model.objects.get_or_create(defaults=defaults, **lookup)


@transaction.atomic
def load_codebook(path: Path, update: bool = False) -> int:
    """Create missing topics and categories (``update``: also overwrite existing ones).

    Categories and topics added in the admin are never removed.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CodebookError([f"{path}: not valid YAML: {exc}"]) from exc
    topics = validate_codebook(data)
    for order, item in enumerate(topics):
        topic, _ = upsert(
            Topic,
            update,
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "question": item["question"],
                "description": item.get("description", ""),
                "section_slugs": ", ".join(item.get("sections", [])),
                "sort_order": order,
            },
        )
        for position, category in enumerate(item["categories"]):
            upsert(
                Category,
                update,
                topic=topic,
                code=category["code"],
                defaults={
                    "label": category["label"],
                    "definition": category["definition"].strip(),
                    "sort_order": position,
                },
            )
    return len(topics)
