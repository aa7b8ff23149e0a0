"""What each office is called, so a call script never calls a Delegate "the senator".

openstates/people gives each state legislator's chamber only as `upper`, `lower` or
`legislature` (chamber names live in openstates' jurisdiction metadata, not in the people
files), so the few lower chambers with another name are listed here: the Assembly of
California, Nevada, New Jersey (General Assembly), New York and Wisconsin, and the House
of Delegates of Maryland, Virginia and West Virginia. Nebraska's one chamber elects
senators; the District of Columbia's is its Council.
"""

from __future__ import annotations

ASSEMBLY_STATES = {"CA", "NV", "NJ", "NY", "WI"}
DELEGATE_STATES = {"MD", "VA", "WV"}


def chamber_name(state: str, role: str) -> str:
    """The chamber a state legislator sits in, as the state calls it."""
    if role == "upper":
        return "Senate"
    if role == "legislature":
        return "Council" if state == "DC" else "Legislature"
    if state == "NJ":
        return "General Assembly"
    if state in ASSEMBLY_STATES:
        return "Assembly"
    if state in DELEGATE_STATES:
        return "House of Delegates"
    return "House of Representatives"


def state_title(state: str, role: str) -> str:
    """The title to use on the phone: State Senator, Assemblymember, Delegate, ..."""
    if role == "upper":
        return "Senator" if state == "PR" else "State Senator"
    if role == "legislature":
        return "Councilmember" if state == "DC" else "Senator"
    if role == "lower":
        if state in ASSEMBLY_STATES:
            return "Assemblymember"
        if state in DELEGATE_STATES:
            return "Delegate"
        return "Representative" if state == "PR" else "State Representative"
    return {"governor": "Governor", "attorney general": "Attorney General"}.get(role, "")
