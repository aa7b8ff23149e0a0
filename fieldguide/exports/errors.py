class EditionBuildError(Exception):
    """An edition could not be built; the message says which one and why."""
