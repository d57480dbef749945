"""Backup and restore as an operator runs them: `manage.py` in separate processes against an
installation of its own (database, MEDIA_ROOT, FEEDBACK_PRIVATE_ROOT, BACKUP_DIR in a temp dir).

An item page, a photo's file and a resident's private photo are lost after the backup; the
restore brings all three back. A set with a damaged or missing file is refused and restores nothing.
The PostgreSQL run needs a server at 127.0.0.1:5432 (user postgres, trust) for a throwaway
database; without one it is skipped, except under CI=true, where it fails.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests import url_coverage

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"

SEED = """
import json
from django.conf import settings
from wagtail.models import Site
from projects.factories import ImageFactory, ProjectIndexPageFactory, ProjectPageFactory
root = Site.objects.get(is_default_site=True).root_page
year = ProjectIndexPageFactory(parent=root, year=2022, slug="2022")
item = ProjectPageFactory(parent=year, number=7, title="老旧小区加装电梯", slug="7")
image = ImageFactory(title="电梯井施工")
print(json.dumps({"item": item.pk, "image": str(settings.MEDIA_ROOT) + "/" + image.file.name}))
"""

SHOW = """
import json
from projects.models import ProjectPage
print(json.dumps(list(ProjectPage.objects.order_by("pk").values_list("pk", "title"))))
"""


def manage(env, *args, input=None, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=600,
    )
    url_coverage.record_command_run(args[0])
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


def postgres_database():
    """A throwaway database name on the local server, or skip (fail under CI=true)."""
    name = f"backup_test_{uuid.uuid4().hex[:10]}"
    try:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError) as error:
        message = f"No PostgreSQL at 127.0.0.1:5432 for the backup round trip: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return name


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FEEDBACK_PRIVATE_ROOT": str(tmp_path / "private"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PAGE_CACHE_SECONDS": "0",
    }
    env.pop("REDIS_URL", None)
    if request.param == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        yield env
        return
    name = postgres_database()
    env["DATABASE_URL"] = f"{PG}/{name}"
    try:
        yield env
    finally:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {name}"],
            capture_output=True,
            timeout=60,
        )


def test_backup_then_loss_then_restore_brings_everything_back(installation, tmp_path):
    env = installation
    manage(env, "migrate", "--noinput", "-v", "0")
    seeded = last_json(manage(env, "shell", "-c", SEED).stdout)
    photo = Path(seeded["image"])
    private = tmp_path / "private" / "feedback" / "2026" / "resident-photo.jpg"
    private.parent.mkdir(parents=True)
    private.write_bytes(b"\xff\xd8\xff\xe0 a resident's photo of the broken lift")
    photo_bytes = photo.read_bytes()
    before = last_json(manage(env, "shell", "-c", SHOW).stdout)
    assert [title for _pk, title in before] == ["老旧小区加装电梯"]

    written = manage(env, "backup_portal").stdout
    assert "database.dump.gz" in written and "private.tar.gz" in written

    # The loss: the item deleted, the photo's file and the resident's photo gone.
    manage(
        env,
        "shell",
        "-c",
        f"from wagtail.models import Page; Page.objects.get(pk={seeded['item']}).delete()",
    )
    photo.unlink()
    private.unlink()
    assert last_json(manage(env, "shell", "-c", SHOW).stdout) == []

    # Without --noinput the operator is asked, and "no" changes nothing.
    refused = manage(env, "restore_portal", input="no\n", check=False)
    assert refused.returncode != 0 and "nothing was changed" in refused.stderr
    assert last_json(manage(env, "shell", "-c", SHOW).stdout) == []

    restored = manage(env, "restore_portal", "--noinput").stdout
    assert "Restored backup set" in restored
    assert last_json(manage(env, "shell", "-c", SHOW).stdout) == before
    assert photo.read_bytes() == photo_bytes
    assert private.read_bytes() == b"\xff\xd8\xff\xe0 a resident's photo of the broken lift"

    # A set with a damaged or a lost file is refused, and the installation is left as it is.
    (set_dir,) = (tmp_path / "backups").iterdir()
    with open(set_dir / "database.dump.gz", "ab") as dump:
        dump.write(b"\0")
    manage(
        env,
        "shell",
        "-c",
        f"from wagtail.models import Page; Page.objects.get(pk={seeded['item']}).delete()",
    )
    damaged = manage(env, "restore_portal", "--noinput", check=False)
    assert damaged.returncode != 0
    assert "database.dump.gz does not match its checksum" in damaged.stderr
    assert last_json(manage(env, "shell", "-c", SHOW).stdout) == []
    (set_dir / "private.tar.gz").unlink()
    incomplete = manage(env, "restore_portal", "--noinput", check=False)
    assert incomplete.returncode != 0
    assert "incomplete: private.tar.gz is missing" in incomplete.stderr
    assert last_json(manage(env, "shell", "-c", SHOW).stdout) == []
