"""Backup sets: the database, MEDIA_ROOT and FEEDBACK_PRIVATE_ROOT, written together.

`manage.py backup_portal` writes one set, a folder named after the time in the backup storage
(`STORAGES["dbbackup"]`, by default `BACKUP_DIR`): the database (django-dbbackup's `dbbackup`,
SQLite's online backup or `pg_dump`), the media (`mediabackup`), the residents' private photos
(a tar.gz of FEEDBACK_PRIVATE_ROOT, which dbbackup does not know about), and last a manifest
with each file's size and SHA-256. A set without its manifest was never finished;
`manage.py restore_portal` refuses it, and refuses a set whose files do not match it.
"""

import hashlib
import json
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages

MANIFEST = "manifest.json"
DATABASE = "database.dump.gz"
MEDIA = "media.tar.gz"
PRIVATE = "private.tar.gz"
PARTS = (DATABASE, MEDIA, PRIVATE)


class IncompleteSet(Exception):
    pass


def storage():
    return storages["dbbackup"]


def set_names():
    """Every set in the storage, oldest first (names sort as times)."""
    try:
        directories, _files = storage().listdir("")
    except FileNotFoundError:  # nothing written yet
        return []
    return sorted(directories)


def digest(name):
    sha = hashlib.sha256()
    size = 0
    with storage().open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            sha.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": sha.hexdigest()}


def write_manifest(set_name):
    manifest = {"set": set_name, "files": {part: digest(f"{set_name}/{part}") for part in PARTS}}
    storage().save(f"{set_name}/{MANIFEST}", ContentFile(json.dumps(manifest, indent=2)))
    return manifest


def check_set(set_name):
    """The set's manifest, once every file it lists is there and matches; else IncompleteSet."""
    path = f"{set_name}/{MANIFEST}"
    if set_name not in set_names():
        raise IncompleteSet(f"No backup set named {set_name!r}.")
    if not storage().exists(path):
        raise IncompleteSet(f"Backup set {set_name!r} has no {MANIFEST}: it was never finished.")
    with storage().open(path, "rb") as handle:
        manifest = json.load(handle)
    files = manifest.get("files", {})
    missing = [p for p in PARTS if p not in files or not storage().exists(f"{set_name}/{p}")]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise IncompleteSet(
            f"Backup set {set_name!r} is incomplete: {', '.join(missing)} {verb} missing."
        )
    for part in PARTS:
        if digest(f"{set_name}/{part}") != files[part]:
            raise IncompleteSet(f"Backup set {set_name!r}: {part} does not match its checksum.")
    return manifest


def write_private_archive(name):
    """A tar.gz of FEEDBACK_PRIVATE_ROOT (paths relative to it) saved in the backup storage."""
    root = Path(settings.FEEDBACK_PRIVATE_ROOT)
    with tempfile.TemporaryFile() as spool:
        with tarfile.open(fileobj=spool, mode="w:gz") as tar:
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
        spool.seek(0)
        storage().save(name, File(spool, name=Path(name).name))


def restore_private_archive(name):
    """Put every file of the archive back under FEEDBACK_PRIVATE_ROOT (replacing what is there);
    files added since the backup are left alone. Returns the number of files restored."""
    root = Path(settings.FEEDBACK_PRIVATE_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    count = 0
    with storage().open(name, "rb") as handle, tarfile.open(fileobj=handle, mode="r:gz") as tar:
        for member in tar:
            if member.isfile():
                # The "data" filter refuses absolute paths, "..", links and devices.
                tar.extract(member, root, filter="data")
                count += 1
    return count
