"""`flask backup FILE` / `flask restore FILE [--force]`: the database and the attachments in one file.

The file is a gzip'd tar holding `manifest.json`, the database (`database.sqlite`, a copy
taken with SQLite's online backup API, or `database.dump`, PostgreSQL's `pg_dump` custom
format) and, when the folder exists, `attachments/` (ATTACHMENT_DIR). Both copies are
consistent while the app keeps running. A restore goes into an empty database (no tables)
unless --force, which replaces what is there.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from .clock import isoformat, now_utc
from .extensions import db

FORMAT = 1


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why."""


def _url() -> sa.engine.URL:
    return db.engine.url


def _pg_env_args(url: sa.engine.URL) -> tuple[dict, list[str]]:
    """libpq connection options for pg_dump / pg_restore (the password through the environment)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = ["--dbname", url.database or "postgres"]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            args += [flag, str(value)]
    return env, args


def _run(cmd: list[str], env: dict) -> None:
    tool = shutil.which(cmd[0])
    if tool is None:
        raise BackupError(f"{cmd[0]} is not installed (apt-get install postgresql-client)")
    done = subprocess.run([tool, *cmd[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[:2000]}")


def _sqlite_path(url: sa.engine.URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return url.database


def backup(target: str | Path) -> dict:
    """Write the backup file; returns its manifest."""
    url, target = _url(), Path(target)
    attachments = Path(current_app.config.get("ATTACHMENT_DIR") or "")
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        work = Path(work)
        if url.get_backend_name() == "sqlite":
            name = "database.sqlite"
            source = sqlite3.connect(_sqlite_path(url))
            copy = sqlite3.connect(work / name)
            try:
                source.backup(copy)  # online: a consistent snapshot while others write
            finally:
                copy.close()
                source.close()
        elif url.get_backend_name() == "postgresql":
            name = "database.dump"
            env, args = _pg_env_args(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(work / name), *args], env)
        else:
            raise BackupError(f"no backup for {url.get_backend_name()} databases")
        with db.engine.connect() as conn:
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        manifest = {"format": FORMAT, "database": url.get_backend_name(), "file": name,
                    "created_at": isoformat(now_utc()), "revision": revision,
                    "attachments": attachments.is_dir()}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", "manifest.json")
            tar.add(work / name, name)
            if attachments.is_dir():
                tar.add(attachments, "attachments")
        partial.replace(target)  # never a half-written file under the real name
    return manifest


def database_is_empty() -> bool:
    """No tables at all (a freshly created database)."""
    return not sa.inspect(db.engine).get_table_names()


def _safe_members(tar: tarfile.TarFile, prefix: str) -> list[tarfile.TarInfo]:
    members = [m for m in tar.getmembers() if m.name == prefix or m.name.startswith(prefix + "/")]
    for member in members:
        if member.issym() or member.islnk() or ".." in Path(member.name).parts or member.name.startswith("/"):
            raise BackupError(f"unsafe path in the backup: {member.name}")
    return members


def restore(source: str | Path, force: bool = False) -> dict:
    """Restore a backup file into the configured database (and ATTACHMENT_DIR)."""
    url, source = _url(), Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the caller after reading
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"not a backup file of this application ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="restore-") as work:
        work = Path(work)
        try:
            manifest = json.load(tar.extractfile("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError(f"not a backup file of this application ({exc})") from exc
        if manifest.get("database") != url.get_backend_name():
            raise BackupError(f"the backup is of a {manifest.get('database')} database; "
                              f"the configured one is {url.get_backend_name()}")
        if not force and not database_is_empty():
            raise BackupError("the database is not empty: restore into an empty one, or add --force to replace it")
        tar.extractall(work, members=_safe_members(tar, manifest["file"]), filter="data")
        db.session.remove()
        db.engine.dispose()  # no pooled connection may hold the old database open
        if url.get_backend_name() == "sqlite":
            backup_db = sqlite3.connect(work / manifest["file"])
            target = sqlite3.connect(_sqlite_path(url))
            try:
                backup_db.backup(target)  # replaces every page of the target
            finally:
                target.close()
                backup_db.close()
        else:
            env, args = _pg_env_args(url)
            # --clean also copes with a dump that carries the public schema itself
            _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--clean",
                  "--if-exists", *args,
                  str(work / manifest["file"])], env)
        if manifest.get("attachments"):
            folder = Path(current_app.config["ATTACHMENT_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            for member in _safe_members(tar, "attachments"):
                member = member.replace(name=member.name[len("attachments"):].lstrip("/") or ".")
                tar.extract(member, folder, filter="data")
    return manifest
