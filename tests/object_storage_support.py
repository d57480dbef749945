"""A real S3-compatible server for the object-storage tests: `moto_server` (PyPI `moto[server]`)
on a free local port, in its own process, spoken to over HTTP by django-storages and boto3 as
阿里云 OSS, 腾讯云 COS, 华为云 OBS or MinIO would be in production.

`S3Server.start()` waits until it answers; without it the tests are skipped, or fail under
CI=true. `tests/conftest.py` holds the session fixture (`s3_server`).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ACCESS_KEY = "portal-test-key"
SECRET_KEY = "portal-test-secret"
REGION = "cn-south-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(message):
    """Skip the test, or fail it under CI=true (CI installs everything it needs)."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def moto_command():
    beside_python = Path(sys.executable).with_name("moto_server")
    if beside_python.exists():
        return [str(beside_python)]
    if found := shutil.which("moto_server"):
        return [found]
    return None


class S3Server:
    """One moto_server process; `env(...)` gives the S3 variables pointing at it."""

    def __init__(self, log_path):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def start(self, seconds=30):
        command = moto_command()
        if command is None:
            unavailable("No moto_server: `pip install 'moto[server]'` (the dev dependencies).")
        log = open(self.log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [*command, "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
        )
        self._log = log
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2).close()
                return self
            except urllib.error.HTTPError:  # an answer all the same
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        unavailable(
            f"moto_server did not answer on port {self.port} within {seconds}s:\n"
            + Path(self.log_path).read_text(errors="replace")[-2000:]
        )

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )

    def new_buckets(self):
        """A fresh public and private bucket for one test (names unique in the session)."""
        suffix = uuid.uuid4().hex[:10]
        public, private = f"media-{suffix}", f"private-{suffix}"
        client = self.client()
        for name in (public, private):
            client.create_bucket(
                Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        return public, private

    def env(self, public, private):
        """The environment variables an operator sets for this server (README, Configuration)."""
        return {
            "S3_BUCKET": public,
            "S3_PRIVATE_BUCKET": private,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_ADDRESSING_STYLE": "path",
        }

    def keys(self, bucket, prefix=""):
        found = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(entry["Key"] for entry in found.get("Contents", []))


def files_under(folder):
    """Every file below `folder` (none when it does not exist)."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
