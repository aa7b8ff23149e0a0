"""Browser tests use the Chromium fixtures defined in tests/conftest.py."""
