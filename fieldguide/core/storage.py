from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Fingerprinted, pre-compressed static files.

    Not strict, so that a missing manifest entry (a file added after the last
    ``collectstatic``) degrades to the plain name instead of a server error.
    """

    manifest_strict = False
