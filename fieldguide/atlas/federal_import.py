"""Imports of official federal data: GPO BILLSTATUS XML and congress-legislators YAML.

Both read a local path or an http(s) URL, check everything first, and then write in one
transaction, recording where the data came from and when (shown to readers as "as of").
URLs are fetched through the outbound client, which refuses addresses that are not
public, before and after redirects, and answers larger than FIELDGUIDE_OUTBOUND_MAX_BYTES.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml
from django.db import transaction
from django.utils import timezone

from fieldguide.core import outbound

from .models import Bill, BillType, Chamber, DatasetImport, Legislator, congress_on
from .models.federal import ordinal

DOWNLOAD_TIMEOUT = 30.0
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LEGISLATORS_URL = "https://unitedstates.github.io/congress-legislators/legislators-current.yaml"

# Library of Congress action codes (BILLSTATUS user guide, section 3), furthest stage first.
STAGES = [
    ({"36000"}, "Became law"),
    ({"28000"}, "Presented to the President"),
    ({"8000", "17000"}, "Passed both chambers"),
    ({"8000"}, "Passed the House"),
    ({"17000"}, "Passed the Senate"),
    ({"5000"}, "Reported by House committee"),
    ({"14000"}, "Reported by Senate committee"),
    ({"2000"}, "In House committee"),
    ({"11000"}, "In Senate committee"),
    ({"1000"}, "Introduced in the House"),
    ({"10000"}, "Introduced in the Senate"),
]
CONGRESS_GOV_TYPES = {
    "hr": "house-bill",
    "s": "senate-bill",
    "hjres": "house-joint-resolution",
    "sjres": "senate-joint-resolution",
    "hconres": "house-concurrent-resolution",
    "sconres": "senate-concurrent-resolution",
    "hres": "house-resolution",
    "sres": "senate-resolution",
}


class ImportFailed(Exception):
    """A source could not be read or parsed; the message names the file or URL."""


def read_source(source: str) -> bytes:
    """Bytes from an http(s) URL or a local path."""
    if source.startswith(("http://", "https://")):
        try:
            response = outbound.fetch(source, timeout=DOWNLOAD_TIMEOUT)
        except outbound.OutboundRefused as exc:
            raise ImportFailed(f"{source}: not downloaded. {exc}") from exc
        except httpx.HTTPError as exc:
            raise ImportFailed(f"{source}: could not download ({exc}).") from exc
        if response.status_code != 200:
            raise ImportFailed(f"{source}: the server answered HTTP {response.status_code}.")
        return response.content
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{source}: cannot read the file ({exc.strerror}).") from exc


# --- Bills -----------------------------------------------------------------------------


@dataclass
class BillData:
    source: str
    congress: int
    bill_type: str
    number: int
    title: str
    sponsor: str
    introduced_on: dt.date | None
    latest_action_on: dt.date | None
    latest_action: str
    status: str
    updated_on: dt.date | None = None

    @property
    def source_url(self) -> str:
        return (
            f"https://www.congress.gov/bill/{ordinal(self.congress)}-congress/"
            f"{CONGRESS_GOV_TYPES[self.bill_type]}/{self.number}"
        )


def _text(element: ET.Element, *paths: str) -> str:
    for path in paths:
        found = element.find(path)
        if found is not None and (found.text or "").strip():
            return found.text.strip()
    return ""


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _status(bill: ET.Element) -> str:
    codes = {_text(item, "actionCode") for item in bill.findall("actions/item")}
    return next((label for needed, label in STAGES if needed <= codes), "")


def parse_billstatus(data: bytes, source: str) -> BillData:
    """One BILLSTATUS document (format 3.0 `number`/`type` or older `billNumber`/`billType`)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        # BILLSTATUS never declares a DTD; refusing one rules out entity-expansion attacks.
        raise ImportFailed(f"{source}: declares a DTD or entities, which BILLSTATUS never does.")
    try:
        root = ET.fromstring(data)  # noqa: S314 (no DTD, so no entities to expand)
    except ET.ParseError as exc:
        raise ImportFailed(f"{source}: not well-formed XML ({exc}).") from exc
    bill = root.find("bill")
    if root.tag != "billStatus" or bill is None:
        raise ImportFailed(f"{source}: not a BILLSTATUS document (no <billStatus><bill>).")
    number = _text(bill, "number", "billNumber")
    bill_type = _text(bill, "type", "billType").lower()
    congress = _text(bill, "congress")
    problems = []
    if not number.isdigit():
        problems.append(f"bill number '{number}' is missing or not a number")
    if bill_type not in BillType.values:
        problems.append(f"bill type '{bill_type}' is not one of {', '.join(BillType.values)}")
    if not congress.isdigit():
        problems.append(f"congress '{congress}' is missing or not a number")
    title = _text(bill, "title")
    if not title:
        problems.append("the bill has no <title>")
    if problems:
        raise ImportFailed(f"{source}: " + "; ".join(problems) + ".")
    return BillData(
        source=source,
        congress=int(congress),
        bill_type=bill_type,
        number=int(number),
        title=title,
        sponsor=_text(bill, "sponsors/item/fullName"),
        introduced_on=_date(_text(bill, "introducedDate")),
        latest_action_on=_date(_text(bill, "latestAction/actionDate")),
        latest_action=_text(bill, "latestAction/text"),
        status=_status(bill),
        updated_on=_date(_text(bill, "updateDate")),
    )


def billstatus_sources(target: str) -> list[str]:
    if target.startswith(("http://", "https://")):
        return [target]
    path = Path(target)
    if path.is_dir():
        files = sorted(str(p) for p in path.glob("*.xml"))
        if not files:
            raise ImportFailed(f"{target}: the folder has no .xml files.")
        return files
    return [target]


@transaction.atomic
def import_bills(target: str) -> list[Bill]:
    """Import every BILLSTATUS file in a file, folder or URL; all of them or none."""
    parsed, errors = [], []
    for source in billstatus_sources(target):
        try:
            parsed.append(parse_billstatus(read_source(source), source))
        except ImportFailed as exc:
            errors.append(str(exc))
    if errors:
        raise ImportFailed("\n".join(errors))
    now = timezone.now()
    bills = []
    for data in parsed:
        bill, _ = Bill.objects.update_or_create(
            congress=data.congress,
            bill_type=data.bill_type,
            number=data.number,
            defaults={
                "title": data.title,
                "sponsor": data.sponsor,
                "introduced_on": data.introduced_on,
                "latest_action_on": data.latest_action_on,
                "latest_action": data.latest_action,
                "status": data.status,
                "source_url": data.source_url,
                "updated_on": data.updated_on,
                "imported_at": now,
            },
        )
        bills.append(bill)
    DatasetImport.objects.create(
        dataset=DatasetImport.Dataset.BILLS, source=target, imported_at=now, record_count=len(bills)
    )
    return bills


# --- Legislators -----------------------------------------------------------------------


def _legislator(person: dict, index: int, source: str) -> tuple[Legislator, dt.date]:
    where = f"{source}: entry {index + 1}"
    try:
        bioguide = person["id"]["bioguide"]
        term = person["terms"][-1]
        name = person["name"].get("official_full") or (
            f"{person['name']['first']} {person['name']['last']}"
        )
        chamber = term["type"]
        state = term["state"]
        start = _date(str(term["start"]))
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ImportFailed(f"{where}: missing field {exc}.") from exc
    if chamber not in Chamber.values:
        raise ImportFailed(f"{where} ({name}): term type '{chamber}' is not sen or rep.")
    if start is None:
        raise ImportFailed(f"{where} ({name}): term start '{term['start']}' is not a date.")
    return (
        Legislator(
            bioguide_id=bioguide,
            name=name,
            chamber=chamber,
            state=state,
            district=term.get("district") if chamber == Chamber.HOUSE else None,
            party=term.get("party", ""),
            phone=term.get("phone", ""),
            url=term.get("url", ""),
            contact_form=term.get("contact_form", ""),
            term_end=_date(str(term.get("end", ""))),
        ),
        start,
    )


def import_legislators(source: str, data_date: dt.date | None = None) -> DatasetImport:
    """Replace the members of Congress with those of a legislators-current.yaml file or URL.

    ``data_date`` is the data's own date (a snapshot's date), shown to readers as "as of";
    without it readers are told the import date instead.
    """
    data = read_source(source)
    try:
        # The C safe loader when libyaml is present (5x faster); never the unsafe one.
        people = yaml.load(data, Loader=SAFE_LOADER)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ImportFailed(f"{source}: not valid YAML ({exc}).") from exc
    return import_legislators_data(people, source, data_date)


@transaction.atomic
def import_legislators_data(
    people: object, source: str, data_date: dt.date | None = None
) -> DatasetImport:
    """Replace the members of Congress with the dataset's current members."""
    if not isinstance(people, list) or not people:
        raise ImportFailed(f"{source}: expected a list of legislators.")
    members, starts = [], []
    for index, person in enumerate(people):
        member, start = _legislator(person, index, source)
        members.append(member)
        starts.append(start)
    Legislator.objects.all().delete()
    Legislator.objects.bulk_create(members)
    return DatasetImport.objects.create(
        dataset=DatasetImport.Dataset.LEGISLATORS,
        source=source,
        imported_at=timezone.now(),
        record_count=len(members),
        congress=congress_on(max(starts)),
        data_date=data_date,
    )
