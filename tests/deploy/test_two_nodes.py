"""Several app servers behind one address, as the README's production layout has them:

    nginx (Debian's) → two gunicorn nodes (production settings) → PostgreSQL + Redis + S3

Everything runs on this machine in processes of its own: `moto_server` as the object storage, a
throwaway PostgreSQL database, a Redis database claimed as `.ci/run` claims one, two gunicorn
nodes on their own ports, and nginx on a third with one upstream of both. nginx routes a request
carrying `X-Portal-Node: 1` or `2` to that node (and says which answered in `X-Upstream`), so
the test can pick: a resident on a phone opens the item page and posts a message with a photo
through node 1; a moderator signs in (password and authenticator code) and approves it through
node 2; both nodes then show the approved message with the photo, whose renditions come from the
object storage; and the nodes' MEDIA_ROOT and FEEDBACK_PRIVATE_ROOT hold no file at all.

Needs nginx (`make ensure-nginx`), Chromium, PostgreSQL at 127.0.0.1:5432 and Redis at :6379:
without one it is skipped, or fails under CI=true. About a minute, mostly `migrate`.
"""

import base64
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_feedback import leave_message
from tests.feedback_support import jpeg_with_gps
from tests.object_storage_support import files_under, free_port, unavailable
from tests.test_backup_restore import PG, last_json, manage
from tests.two_factor_support import code_for_secret

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "东门人行道的地砖松动了，晚上看不清，老人容易绊倒，请尽快修补。"
PASSWORD = "Moderator-2026-pw"
TOTP_KEY = "3132333435363738393031323334353637383930"
NODE_HEADER = "X-Portal-Node"

SEED = f"""
import json
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_totp.models import TOTPDevice
from portal.setup import ensure_home_page
from projects.factories import ImageFactory, ProjectIndexPageFactory, ProjectPageFactory
from projects.models import ProjectGalleryImage
home = ensure_home_page()
year = ProjectIndexPageFactory(parent=home, year=2022, slug="2022")
item = ProjectPageFactory(parent=year, number=1, slug="1", title="将军山体育公园建设")
image = ImageFactory(title="东门施工现场")
ProjectGalleryImage.objects.create(page=item, image=image, caption="东门施工现场")
moderator = User.objects.create_user("moderator", "moderator@example.cn", {PASSWORD!r},
                                     is_staff=True)
moderator.groups.add(Group.objects.get(name="Feedback moderators"))
TOTPDevice.objects.create(user=moderator, name="authenticator", key={TOTP_KEY!r}, confirmed=True)
print(json.dumps({{"item": item.url, "image": image.file.name}}))
"""

NGINX_CONF = """
{user}
daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 128; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 40m;
    upstream portal {{ server 127.0.0.1:{node1}; server 127.0.0.1:{node2}; keepalive 8; }}
    upstream node1 {{ server 127.0.0.1:{node1}; }}
    upstream node2 {{ server 127.0.0.1:{node2}; }}
    # A test picks the node with a header; everyone else is balanced over both.
    map $http_x_portal_node $portal_upstream {{ "1" node1; "2" node2; default portal; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$portal_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def wait_until_answering(url, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (a 404 or 302 is an answer)
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer:\n{Path(log).read_text(errors='replace')[-3000:]}")


def get(url, node):
    request = urllib.request.Request(url, headers={NODE_HEADER: str(node)})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.headers.get("X-Upstream"), response.read().decode()


@pytest.fixture
def postgres():
    name = f"deploy_test_{uuid.uuid4().hex[:10]}"
    admin = ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
    try:
        subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True, capture_output=True)
    except (OSError, subprocess.SubprocessError) as error:
        unavailable(f"No PostgreSQL at 127.0.0.1:5432 for the two-node test: {error}")
    yield f"{PG}/{name}"
    subprocess.run(
        [*admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True, timeout=60
    )


@pytest.fixture
def redis_url():
    """A Redis database of our own, claimed in db 0 as .ci/run claims its one, emptied after."""
    import redis

    claim = f"deploy-test-{uuid.uuid4().hex[:8]}"
    try:
        first = redis.Redis(host="127.0.0.1", port=6379, db=0, socket_timeout=5)
        number = next(
            (
                n
                for n in random.sample(range(1, 16), 15)
                if first.set(f"portal-ci:db:{n}", claim, nx=True, ex=3600)
            ),
            None,
        )
    except redis.RedisError as error:
        unavailable(f"No Redis at 127.0.0.1:6379 for the two-node test: {error}")
    if number is None:
        pytest.fail("No free Redis database (1-15) for the two-node test.")
    redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()
    yield f"redis://127.0.0.1:6379/{number}"
    redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()
    first.delete(f"portal-ci:db:{number}")


@pytest.fixture
def nginx_binary():
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        unavailable("No nginx for the two-node test: `make ensure-nginx` (apt-get install nginx).")
    return found


@pytest.fixture
def cluster(s3_server, postgres, redis_url, nginx_binary, tmp_path):
    """Two gunicorn nodes with the production settings behind one nginx; yields a dict with the
    nginx URL, the nodes' upstream addresses, the buckets and the nodes' local folders."""
    public, private = s3_server.new_buckets()
    media, private_root = tmp_path / "media", tmp_path / "private"
    media.mkdir()
    private_root.mkdir()
    nodes = [free_port(), free_port()]
    port = free_port()
    env = {
        **os.environ,
        **s3_server.env(public, private),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": postgres,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"deploy-{uuid.uuid4().hex[:8]}",
        "SECURE_SSL_REDIRECT": "false",  # no TLS on this machine
        "SECURE_COOKIES": "false",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "FEEDBACK_TRUSTED_PROXIES": "1",
        "FEEDBACK_MIN_FILL_SECONDS": "0",  # Chromium types faster than a person
        "MEDIA_ROOT": str(media),
        "FEEDBACK_PRIVATE_ROOT": str(private_root),
        "SERVE_MEDIA": "true",  # even if an operator leaves it on, media are the bucket's
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    seeded = last_json(manage(env, "shell", "-c", SEED).stdout)

    processes = []
    try:
        for number, node in enumerate(nodes, 1):
            log = tmp_path / f"node{number}.log"
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "portal.wsgi"),
                    *("--bind", f"127.0.0.1:{node}", "--workers", "1"),
                    *("--worker-class", "gthread", "--threads", "4", "--no-control-socket"),
                    *("--log-level", "warning", "--access-logfile", "-"),
                ],
                cwd=ROOT,
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            wait_until_answering(f"http://127.0.0.1:{node}/robots.txt", process, log)

        prefix = tmp_path / "nginx"
        prefix.mkdir()
        conf = prefix / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user="user root;" if os.geteuid() == 0 else "",
                prefix=prefix,
                node1=nodes[0],
                node2=nodes[1],
                port=port,
            )
        )
        log = prefix / "error.log"
        nginx = subprocess.Popen(
            [nginx_binary, "-p", str(prefix), "-c", str(conf), "-e", str(log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        processes.append(nginx)
        wait_until_answering(f"http://127.0.0.1:{port}/robots.txt", nginx, log)
        yield {
            "url": f"http://127.0.0.1:{port}",
            "nodes": {1: f"127.0.0.1:{nodes[0]}", 2: f"127.0.0.1:{nodes[1]}"},
            "public": public,
            "private": private,
            "media": media,
            "private_root": private_root,
            "item": seeded["item"],
            "logs": tmp_path,
        }
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def on_node(browser, browser_context_args, number, documents):
    """A browser whose requests nginx sends to node `number`; notes which node answered each
    page (`documents`: (url, upstream) pairs)."""
    context = browser.new_context(
        **browser_context_args, extra_http_headers={NODE_HEADER: str(number)}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on(
        "response",
        lambda response: (
            documents.append((response.url, response.headers.get("x-upstream")))
            if response.request.resource_type == "document"
            else None
        ),
    )
    return context, page


def images_loaded(page, selector):
    """Scroll each image matching `selector` into view (they load lazily), wait until every one
    has loaded, and return their URLs as the browser chose them (srcset)."""
    page.locator(selector).first.wait_for()
    for index in range(page.locator(selector).count()):
        page.locator(selector).nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "(selector) => { const imgs = [...document.querySelectorAll(selector)];"
        " return imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0); }",
        arg=selector,
    )
    return [
        page.evaluate("(img) => img.currentSrc", handle)
        for handle in page.locator(selector).element_handles()
    ]


def test_post_on_one_node_approve_on_the_other_media_from_object_storage(
    cluster, s3_server, browser, browser_context_args
):
    base, bucket_url = cluster["url"], f"{s3_server.endpoint}/{cluster['public']}/media/"

    # -- a resident, on a phone, through node 1: the item page, then a message with a photo --
    resident_pages = []
    resident, phone = on_node(browser, browser_context_args, 1, resident_pages)
    phone.goto(f"{base}{cluster['item']}")
    gallery = images_loaded(phone, "main img[src*='/images/']")
    assert gallery and all(src.startswith(bucket_url) for src in gallery), gallery
    code = leave_message(phone, "suggestion", MESSAGE, photo=jpeg_with_gps(2000, 1500))
    # Their own photo, still pending, comes from the private bucket through node 1's view.
    own = images_loaded(phone, ".fb-own img")
    assert all(src.startswith(f"{base}/feedback/{code}/photos/") for src in own)
    assert {upstream for _url, upstream in resident_pages} == {cluster["nodes"][1]}

    private_keys = s3_server.keys(cluster["private"])
    assert len(private_keys) == 1 and private_keys[0].startswith("private/feedback/")
    with pytest.raises(urllib.error.HTTPError) as refused:  # the bucket itself refuses
        urllib.request.urlopen(f"{s3_server.endpoint}/{cluster['private']}/{private_keys[0]}")
    assert refused.value.code == 403

    # -- the moderator, through node 2: signs in, opens the message, approves it -------------
    moderator_pages = []
    moderation, admin = on_node(browser, browser_context_args, 2, moderator_pages)
    admin.goto(f"{base}/admin/")
    admin.fill("input[name=username]", "moderator")
    admin.fill("input[name=password]", PASSWORD)
    admin.locator("form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/two-step/"))
    secret = base64.b32encode(bytes.fromhex(TOTP_KEY)).decode()
    admin.fill("input[name=code]", code_for_secret(secret))
    admin.locator("form.login-form button[type=submit]").click()
    admin.wait_for_url(re.compile(r"/admin/$"))
    admin.locator("[data-feedback-panel]").get_by_role("link", name=re.compile("待审核")).click()
    admin.locator("tbody tr").filter(has_text=MESSAGE[:20]).locator("td.title a").first.click()
    admin.wait_for_url(re.compile(r"/admin/feedback/edit/\d+/"))
    # The pending photo, streamed from the private bucket to the moderator by node 2.
    images_loaded(admin, "img[src*='/admin/feedback-photo/']")
    admin.select_option("select[name=status]", "published")
    admin.locator("button.action-save").first.click()
    admin.wait_for_url(re.compile(r"/admin/feedback/(\?.*)?$"))
    assert {upstream for _url, upstream in moderator_pages} == {cluster["nodes"][2]}
    moderation.close()

    # -- both nodes show the approved message (the shared page cache was purged) -------------
    for number in (1, 2):
        upstream, html = get(f"{base}{cluster['item']}", number)
        assert upstream == cluster["nodes"][number]
        assert MESSAGE in html, f"node {number} does not show the approved message"

    # The resident sees it on the item page, the photo's renditions from the object storage.
    phone.goto(f"{base}{cluster['item']}#feedback")
    section = phone.locator("#feedback")
    section.locator(".fb-item").first.wait_for()
    assert MESSAGE in section.inner_text()
    photos = images_loaded(phone, "#feedback .fb-photos img")
    assert photos and all(src.startswith(f"{bucket_url}images/resident-") for src in photos)
    resident.close()
    # The approved copy and its renditions are objects in the public bucket.
    assert len(s3_server.keys(cluster["public"], "media/original_images/resident-")) == 1
    assert s3_server.keys(cluster["public"], "media/images/resident-")
    for src in photos:
        with urllib.request.urlopen(src) as response:  # anyone may fetch a published photo
            assert response.status == 200

    # -- nothing on the nodes' local disks -------------------------------------------------
    assert files_under(cluster["media"]) == []
    assert files_under(cluster["private_root"]) == []
