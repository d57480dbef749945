"""Backup sets: the database, the media and the residents' private photos, written together.

`manage.py backup_portal` writes one set, a folder named after the time in the backup storage
(`STORAGES["dbbackup"]`, by default `BACKUP_DIR`): the database (django-dbbackup's `dbbackup`,
SQLite's online backup or `pg_dump`), the media (`mediabackup`: every file of the default
storage, MEDIA_ROOT or the media bucket), the residents' private photos (a tar.gz of the private
storage, FEEDBACK_PRIVATE_ROOT or the private bucket, which dbbackup does not know about), and
last a manifest with each file's size and SHA-256. A set without its manifest was never
finished; `manage.py restore_portal` refuses it, and refuses a set whose files do not match it.
With object storage the buckets are copied down into the set as well (what versioning on the
buckets would not give: one consistent set with the database); see the README's Backups.
"""

import hashlib
import io
import json
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from projects.feedback.storage import private_storage

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


def _walk(files_storage, directory=""):
    """Every file name in a storage (the local folder or a bucket), depth first."""
    try:
        directories, files = files_storage.listdir(directory)
    except FileNotFoundError:  # the local folder does not exist yet
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from _walk(files_storage, f"{directory}/{sub}" if directory else sub)


def write_private_archive(name):
    """A tar.gz of the residents' private photos (FEEDBACK_PRIVATE_ROOT, or the private bucket
    or prefix on object storage; names relative to it) saved in the backup storage."""
    with tempfile.TemporaryFile() as spool:
        with tarfile.open(fileobj=spool, mode="w:gz") as tar:
            for path in _walk(private_storage):
                with private_storage.open(path, "rb") as handle:
                    data = handle.read()
                info = tarfile.TarInfo(path)
                info.size = len(data)
                info.mtime = int(time.time())
                tar.addfile(info, io.BytesIO(data))
        spool.seek(0)
        storage().save(name, File(spool, name=Path(name).name))


def restore_private_archive(name):
    """Put every file of the archive back into the private storage (replacing what is there
    under the same name); files added since the backup are left alone. Returns the number of
    files restored."""
    count = 0
    with storage().open(name, "rb") as handle, tarfile.open(fileobj=handle, mode="r:gz") as tar:
        for member in tar:
            if not member.isfile():  # links, devices and folders are never ours
                continue
            path = PurePosixPath(member.name)
            if path.is_absolute() or ".." in path.parts:
                raise SuspiciousFileOperation(f"Refusing {member.name!r} from the archive.")
            if private_storage.exists(member.name):
                private_storage.delete(member.name)
            private_storage.save(member.name, File(tar.extractfile(member), name=path.name))
            count += 1
    return count
