"""Backup and restore as an operator runs them: `manage.py` in separate processes against an
installation of its own (database, MEDIA_ROOT, FEEDBACK_PRIVATE_ROOT, BACKUP_DIR in a temp dir).

An item page, a photo's file and a resident's private photo are lost after the backup; the
restore brings all three back. A set with a damaged or missing file is refused and restores nothing.
And the whole round trip on the demo data with residents' photos: backup, then an empty
installation (database, MEDIA_ROOT, FEEDBACK_PRIVATE_ROOT and cache deleted), then restore, and
not one difference in any public page, feedback record or stored file.
The PostgreSQL run needs a server at 127.0.0.1:5432 (user postgres, trust) for a throwaway
database; without one it is skipped, except under CI=true, where it fails.
"""

import difflib
import json
import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
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


def manage(env, *args, input=None, check=True, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
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


@contextmanager
def new_installation(kind, tmp_path):
    """An installation of its own on `kind` ("sqlite" or "postgresql"), as manage.py's env."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FEEDBACK_PRIVATE_ROOT": str(tmp_path / "private"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "CACHE_DIR": str(tmp_path / "cache"),
        "PAGE_CACHE_SECONDS": "0",
    }
    env.pop("REDIS_URL", None)
    if kind == "sqlite":
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


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request, tmp_path):
    with new_installation(request.param, tmp_path) as env:
        yield env


@pytest.fixture
def installation_like_this_run(tmp_path):
    """The whole demo's round trip takes minutes: it runs on the database kind of the run it
    is part of, not on both (`.ci/run` runs it once, in its PostgreSQL gate)."""
    kind = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    with new_installation(kind, tmp_path) as env:
        yield env


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


# What `manage.py load_demo` loads (both years, every item, update, photo and message), with
# small photos as tests/test_demo.py has them: full-size ones take minutes to paint.
LOAD_DEMO = """
from datetime import date
from projects.demo.loader import DemoLoader
DemoLoader(as_of=date(2022, 10, 31), photo_size=(96, 64)).run()
"""

# Two residents' messages with a photo each, on the demo's item No. 1 of 2022: one published
# with the department's answer (its photo copied into the public image library), one pending
# (its photo only in FEEDBACK_PRIVATE_ROOT).
SEED_FEEDBACK = """
import io, json
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from projects.feedback import moderation
from projects.feedback.privacy import sanitise_photo
from projects.feedback.submission import store_feedback
from projects.models import ProjectIndexPage, ProjectPage

def photo(colour):
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return sanitise_photo(SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), "image/jpeg"))

year = ProjectIndexPage.objects.get(year=2022)
item = ProjectPage.objects.child_of(year).live().get(number=1)
moderator = User.objects.get(username="moderator")
answered, _ = store_feedback(
    project=item, kind="complaint", message="东门的井盖松动，踩上去会响，请尽快处理。",
    name="陈阿姨", show_name=True, contact="13800001111", photos=[photo((150, 90, 40))],
)
moderation.approve(answered, moderator)
moderation.reply(answered, moderator, "已安排施工单位本周内更换井盖，感谢您的反映。")
waiting, _ = store_feedback(
    project=item, kind="suggestion", message="建议在篮球场旁边加装饮水机。",
    contact="13800002222", photos=[photo((30, 120, 200))],
)
print(json.dumps([answered.tracking_code, waiting.tracking_code]))
"""

# Every public page as an anonymous visitor gets it, rendered (the page cache is off): the
# sitemap's pages, every page of each year list, a filtered list, the boards, search, the map,
# the feeds, the downloads and the open data API, plus each message's status page and photos
# (through their tracking code). Then every feedback record and the SHA-256 of every stored file.
SNAPSHOT = """
import hashlib, io, json, math, os, re
from pathlib import Path
from xml.etree import ElementTree
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from openpyxl import load_workbook
from projects.models import Feedback, FeedbackPhoto, ProjectIndexPage, ProjectPage
from projects.pagination import CARDS_PER_PAGE

client = Client(HTTP_HOST="localhost")
pages = {}

def fetch(path):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:  # the workbook's cells; its zip carries the time it was made
        book = load_workbook(io.BytesIO(body))
        text = json.dumps([[list(row) for row in sheet.iter_rows(values_only=True)]
                           for sheet in book], default=str, ensure_ascii=False)
    elif kind.startswith(("text/", "application/json", "application/problem+json",
                          "application/xml", "application/atom", "application/rss")):
        text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\\1", body.decode())
    else:
        text = "sha256:" + hashlib.sha256(body).hexdigest()
    pages[path] = [response.status_code, text]
    return response, body

_response, sitemap = fetch("/sitemap.xml")
paths = [re.sub(r"^https?://[^/]+", "", loc.text)
         for loc in ElementTree.fromstring(sitemap).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
paths += ["/", "/map/", "/search/?q=公园", "/search/?q=学校&sort=progress", "/feed/", "/feed/rss/",
          "/robots.txt", "/api/years/", "/api/openapi.json"]
for year in ProjectIndexPage.objects.live():
    y, count = year.year, year.items().count()
    paths += [f"/{y}/?page={n}" for n in range(2, math.ceil(count / CARDS_PER_PAGE) + 1)]
    paths += [f"/{y}/?sort=behind", f"/{y}/?status=completed", f"/{y}/boards/",
              f"/{y}/feed/", f"/{y}/feed/rss/", f"/{y}/download.csv", f"/{y}/download.xlsx",
              f"/map/?year={y}", f"/api/years/{y}/"]
    paths += [f"/api/items/?year={y}&limit=100&offset={n}" for n in range(0, count, 100)]
# One item's own API answers (every item's fields are in the lists above; its updates and
# feedback are on its pages): each per-item call would make the API's renditions too.
item = ProjectPage.objects.live().order_by("pk").first()
paths += [f"/api/items/{item.pk}/", f"/api/items/{item.pk}/updates/",
          f"/api/items/{item.pk}/feedback/"]
for feedback in Feedback.objects.order_by("pk"):
    paths.append(f"/feedback/{feedback.tracking_code}/")
    paths += [f"/feedback/{feedback.tracking_code}/photos/{p.pk}/" for p in feedback.photos.all()]
for path in dict.fromkeys(paths):
    fetch(path)

def files(root):
    root = Path(root)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()} if root.is_dir() else {}

snapshot = {
    "pages": pages,
    "feedback": list(Feedback.objects.order_by("pk").values()),
    "feedback_photos": list(FeedbackPhoto.objects.order_by("pk").values()),
    "media": files(settings.MEDIA_ROOT),
    "private": files(settings.FEEDBACK_PRIVATE_ROOT),
}
text = json.dumps(snapshot, cls=DjangoJSONEncoder, ensure_ascii=False)
Path(os.environ["SNAPSHOT_FILE"]).write_text(text)
print(json.dumps({key: len(value) for key, value in snapshot.items()}))
"""


def snapshot(env, path):
    # The first walk makes every photo rendition of ~700 pages: minutes on a busy machine.
    env = {**env, "SNAPSHOT_FILE": str(path)}
    counts = last_json(manage(env, "shell", "-c", SNAPSHOT, timeout=1800).stdout)
    return counts, json.loads(path.read_text())


def differences(before, after):
    """What differs between two snapshots, as readable lines (the first lines of a page diff)."""
    found = []
    for part in ("feedback", "feedback_photos"):
        if before[part] != after[part]:
            found.append(f"{part}: {before[part]!r} != {after[part]!r}")
    for part in ("pages", "media", "private"):
        old, new = before[part], after[part]
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) == new.get(key):
                continue
            if part == "pages" and key in old and key in new:
                diff = difflib.unified_diff(
                    old[key][1].splitlines(), new[key][1].splitlines(), lineterm="", n=0
                )
                found.append(
                    f"{key}: {old[key][0]} -> {new[key][0]}\n" + "\n".join(list(diff)[:12])
                )
            else:
                found.append(
                    f"{part} {key}: {'missing' if key not in new else 'added'} after restore"
                )
    return found


def wipe(env, tmp_path):
    """Lose everything: the database (the SQLite file, or the PostgreSQL database dropped and
    created empty, as the README says to before a restore), media, private photos, cache."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        for path in tmp_path.glob("portal.sqlite3*"):
            path.unlink()
    else:
        name = url.rsplit("/", 1)[1]
        for sql in (f'DROP DATABASE "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", sql],
                check=True,
                capture_output=True,
                timeout=60,
            )
    for folder in ("media", "private", "cache"):
        shutil.rmtree(tmp_path / folder, ignore_errors=True)


def test_a_wiped_installation_restored_from_its_backup_is_the_same_site(
    installation_like_this_run, tmp_path
):
    """Backup → wipe → restore → 0 differences over every public page, every feedback record
    and every stored photo, on the demo data with residents' photos, published and pending."""
    # The snapshot asks the API for every item, more than one client may in a minute.
    env = {
        **installation_like_this_run,
        "CACHE_DIR": str(tmp_path / "cache"),
        "API_RATE_LIMIT": "100000",
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "shell", "-c", LOAD_DEMO)
    codes = last_json(manage(env, "shell", "-c", SEED_FEEDBACK).stdout)
    counts, before = snapshot(env, tmp_path / "before.json")
    # What the comparison covers: the demo's pages, both messages with their photos.
    assert counts["pages"] > 300 and counts["feedback"] > 30
    assert all(before["pages"][f"/feedback/{code}/"][0] == 200 for code in codes)
    photos = [p for p in before["pages"] if "/photos/" in p]
    assert len(photos) == 2 and all(before["pages"][p][0] == 200 for p in photos)
    assert len(before["private"]) == 2
    assert not [p for p, (status, _text) in before["pages"].items() if status != 200]

    manage(env, "backup_portal")
    wipe(env, tmp_path)
    assert not (tmp_path / "media").exists() and not (tmp_path / "private").exists()

    restored = manage(env, "restore_portal", "--noinput").stdout
    assert "Restored backup set" in restored and "2 private photo file(s)" in restored
    _counts, after = snapshot(env, tmp_path / "after.json")
    assert differences(before, after) == []
