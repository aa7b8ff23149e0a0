"""backup_db: a consistent SQLite copy (VACUUM INTO), the pg_dump line on PostgreSQL.

A file copy of a SQLite database in WAL mode missed a message written just before it,
because the message was still in the write-ahead log.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fieldguide.guide.management.commands.backup_db import vacuum_into
from fieldguide.guide.models import ContactMessage


def _messages(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT message FROM messages")]
    finally:
        db.close()


def test_a_message_written_just_before_is_in_the_backup_while_the_server_holds_on(tmp_path):
    live = tmp_path / "live.sqlite3"
    server = sqlite3.connect(live, isolation_level=None)
    server.execute("PRAGMA journal_mode=WAL")
    server.execute("PRAGMA wal_autocheckpoint=0")  # nothing reaches the main file yet
    server.execute("CREATE TABLE messages (message TEXT)")
    server.execute("INSERT INTO messages VALUES ('written just before the backup')")
    try:
        copied = tmp_path / "copy.sqlite3"
        shutil.copyfile(live, copied)
        assert not _has_table(copied)  # a file copy misses what is still in the WAL
        backup = tmp_path / "backup.sqlite3"
        other = sqlite3.connect(live)
        try:
            vacuum_into(other, backup)
        finally:
            other.close()
        assert _messages(backup) == ["written just before the backup"]
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    finally:
        server.close()


def _has_table(path) -> bool:
    db = sqlite3.connect(path)
    try:
        return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name = 'messages'").fetchall())
    finally:
        db.close()


@pytest.mark.sqlite_only  # VACUUM INTO is SQLite's
@pytest.mark.django_db(transaction=True)
def test_backup_db_command_copies_the_site_database(tmp_path):
    ContactMessage.objects.create(message="Please add a resource on harm reduction.")
    target = tmp_path / "site-backup.sqlite3"
    call_command("backup_db", str(target))
    db = sqlite3.connect(target)
    try:
        rows = db.execute("SELECT message FROM guide_contactmessage").fetchall()
    finally:
        db.close()
    assert rows == [("Please add a resource on harm reduction.",)]
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_db", str(target))


@pytest.mark.postgres_only  # pg_dump is PostgreSQL's
@pytest.mark.django_db
def test_backup_db_prints_the_pg_dump_line_without_the_password(tmp_path, capsys):
    call_command("backup_db", str(tmp_path / "site.dump"))
    line = capsys.readouterr().out.strip()
    assert line.startswith("pg_dump --format=custom --file=")
    assert line.endswith(connection.settings_dict["NAME"])
    password = connection.settings_dict.get("PASSWORD")
    assert not password or password not in line
