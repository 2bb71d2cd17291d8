"""`adcraft review`: its help, its users commands, and that it starts the app and prints the URL."""

import socket
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from adcraft.cli.main import app
from adcraft.review.users import load_users, verify_password


def test_help_says_how_to_start_it_and_manage_users():
    result = CliRunner().invoke(app, ["review", "--help"])
    assert result.exit_code == 0
    for words in ["Run it with no command to start it", "--port", "--lock-timeout", "add-user", "hash-password"]:
        assert words in result.output


def test_add_user_stores_only_a_hash_and_refuses_a_bad_role(tmp_path):
    users = tmp_path / "reviewers.yaml"
    result = CliRunner().invoke(app, ["review", "add-user", "bea", "--role", "viewer", "--users-file", str(users)],
                                input="correct horse\ncorrect horse\n")
    assert result.exit_code == 0, result.output
    assert "correct horse" not in users.read_text()
    user = load_users(users)["bea"]
    assert user.role == "viewer" and verify_password("correct horse", user.password_hash)
    bad = CliRunner().invoke(app, ["review", "add-user", "bea", "--role", "admin", "--users-file", str(users),
                                   "--password", "long enough"])
    assert bad.exit_code != 0 and "not a role" in bad.output


def test_it_starts_uvicorn_and_prints_its_url(adcraft_home):
    CliRunner().invoke(app, ["review", "add-user", "ann", "--password", "long enough"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "adcraft.cli.main", "review", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = server.stdout.readline()
        assert f"Review app: http://127.0.0.1:{port}/" in first, first
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/login")
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and server.poll() is None, "the app did not come up"
                time.sleep(0.2)
        assert response.status_code == 200 and "Log in" in response.text
        assert httpx.get(f"http://127.0.0.1:{port}/batches").status_code == 303
    finally:
        server.terminate()
        server.wait(20)


def test_without_a_users_file_it_says_how_to_make_one(adcraft_home):
    result = CliRunner().invoke(app, ["review", "--port", "1"])
    assert result.exit_code == 1
    assert "adcraft review add-user" in result.output and "reviewers.example.yaml" in result.output
