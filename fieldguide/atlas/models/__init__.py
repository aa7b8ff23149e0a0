"""Atlas models, one module per concern."""

from .directory import DirectoryEntry, DirectorySource, EntryKind
from .federal import Bill, BillType, Chamber, DatasetImport, Legislator, StateOfficial, congress_on
from .places import Jurisdiction, JurisdictionKind
from .policy import Category, DatePrecision, PolicyRecord, PolicySource, Topic
from .releases import AGREEMENT_TARGET, DatasetRelease, SecondCoding

__all__ = [
    "AGREEMENT_TARGET",
    "DatasetRelease",
    "SecondCoding",
    "Bill",
    "BillType",
    "Chamber",
    "DirectorySource",
    "EntryKind",
    "congress_on",
    "Category",
    "DatasetImport",
    "DatePrecision",
    "DirectoryEntry",
    "Jurisdiction",
    "JurisdictionKind",
    "Legislator",
    "PolicyRecord",
    "PolicySource",
    "StateOfficial",
    "Topic",
]
