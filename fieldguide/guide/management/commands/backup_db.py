from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def vacuum_into(db: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of the open SQLite database to ``target`` (mode 0600).

    ``VACUUM INTO`` reads through SQLite, so rows still in the write-ahead log are in
    the copy; copying the database file alone misses them.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        db.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error:
        target.unlink(missing_ok=True)
        raise


def pg_dump_command(settings_dict: dict, target: Path) -> str:
    """The pg_dump line for this database (the password is never part of it)."""
    parts = ["pg_dump", "--format=custom", f"--file={target}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            parts.append(f"{option}={settings_dict[key]}")
    parts.append(str(settings_dict["NAME"]))
    return shlex.join(parts)


class Command(BaseCommand):
    help = (
        "Back up the database. SQLite: a consistent copy with VACUUM INTO, safe while the "
        "site is running. PostgreSQL: prints the pg_dump line to run (see docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The backup file to write; it must not exist")

    def handle(self, *args, output: str, **options):
        target = Path(output)
        if connection.vendor == "postgresql":
            self.stdout.write(pg_dump_command(connection.settings_dict, target))
            return
        if connection.vendor != "sqlite":
            raise CommandError(f"backup_db knows SQLite and PostgreSQL, not {connection.vendor}.")
        if target.exists():
            raise CommandError(f"{target} already exists; nothing was written.")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a folder.")
        connection.ensure_connection()
        try:
            vacuum_into(connection.connection, target)
        except sqlite3.Error as exc:
            raise CommandError(f"The backup failed: {exc}") from exc
        self.stdout.write(f"Backed up the database to {target}.")
