"""Name particles, read the way citeproc-js reads them from a plain name.

RIS has one "Family, Given, Suffix" line per person, so a particle travels inside the
family name ("van der Berg, Jan") or after the given names ("Beethoven, Ludwig van").
Only lower-case words from this list are read as particles, and a name always keeps at
least one word, so "bell hooks" stays given name "bell", family name "hooks".
"""

from __future__ import annotations

PARTICLES = frozenset(
    [
        "al",
        "bin",
        "d'",
        "da",
        "dal",
        "de",
        "degli",
        "dei",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "op",
        "san",
        "santa",
        "st.",
        "te",
        "ten",
        "ter",
        "van",
        "vande",
        "vanden",
        "vander",
        "vom",
        "von",
        "y",
        "zu",
        "zum",
        "zur",
    ]
)


def _particle_words(words: list[str]) -> int:
    count = 0
    for word in words:
        if word in PARTICLES:
            count += 1
        else:
            break
    return min(count, len(words) - 1)


def split_family(family: str) -> tuple[str, str]:
    """("van der", "Berg") from "van der Berg"; ("", family) when it has no particle."""
    words = family.split()
    n = _particle_words(words)
    return " ".join(words[:n]), " ".join(words[n:])


def split_given(given: str) -> tuple[str, str]:
    """("Ludwig", "van") from "Ludwig van"; (given, "") when it has no particle."""
    words = given.split()
    n = _particle_words(list(reversed(words)))
    return " ".join(words[: len(words) - n]), " ".join(words[len(words) - n :])


def person(family: str, given: str = "", suffix: str = "") -> dict:
    """A CSL person name with its particles split out."""
    particle, family = split_family(family.strip())
    given, dropping = split_given(given.strip())
    name = {"family": family}
    for key, value in (
        ("given", given),
        ("non-dropping-particle", particle),
        ("dropping-particle", dropping),
        ("suffix", suffix.strip()),
    ):
        if value:
            name[key] = value
    return name
