#!/usr/bin/env python3
"""Integration tests for the outbound API layer: `kgas doctor` against the
fake OpenAI-compatible server (tests/fake_openai/server.py), and .env
loading.  The test keys must never appear in any output."""
import json
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

SERVER = os.path.join(h.SRC, "tests", "fake_openai", "server.py")
GOOD = "sk-it-good-KEY-5678"
BAD = "sk-it-revoked-KEY-1234"
SECRETS = (GOOD, BAD)


class Fake:
    def __init__(self, keys=()):
        self.p = subprocess.Popen([sys.executable, SERVER, "--keys", ",".join(keys)],
                                  stdout=subprocess.PIPE, text=True)
        self.port = int(self.p.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def log(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_log") as r:
            return json.load(r)

    def close(self):
        self.p.terminate()
        self.p.wait()


def no_secrets(p):
    for s in SECRETS:
        h.ok(s not in p.stdout and s not in p.stderr, "a test key appears in the output")


def doctor(env, *extra, check=None):
    env = dict(env)
    env.setdefault("KGAS_LOG_LEVEL", "debug")  # most talkative: still no keys
    p = h.run("doctor", *extra, env=env, check=check)
    no_secrets(p)
    return p


def test_doctor_no_services():
    p = doctor({}, check=0)
    h.ok("no API service is configured" in p.stdout, p.stdout)
    d, _ = h.run_json("doctor", "--json", check=0)
    h.eq(d["configured"], 0, "configured")


def test_doctor_ok():
    f = Fake(keys=[GOOD])
    try:
        p = doctor({"KGAS_LLM_BASE_URL": f.url, "KGAS_LLM_API_KEY": GOOD,
                    "KGAS_LLM_MODEL": "fake-chat"}, check=0)
        h.ok("GET /models: ok, 2 models" in p.stdout, p.stdout)
        h.ok("fake-chat is listed" in p.stdout, p.stdout)
        h.ok("KGAS_LLM_API_KEY" in p.stdout, "key source named")
        log = f.log()
        h.eq(len(log), 1, "one request")
        h.eq(log[0]["path"], "/models", "path")
        h.ok(log[0]["auth_ok"], "authenticated")
    finally:
        f.close()


def test_doctor_rejected_key():
    f = Fake(keys=[GOOD])
    try:
        p = doctor({"KGAS_EMBED_BASE_URL": f.url, "KGAS_EMBED_API_KEY": BAD}, "--json", check=1)
        d = json.loads(p.stdout)
        s = d["services"][0]
        h.eq(s["service"], "embed", "service")
        h.eq(s["http_status"], 401, "status")
        h.ok("embed.api_key (from KGAS_EMBED_API_KEY)" in s["error"], s["error"])
        h.ok("401" in s["error"], s["error"])
    finally:
        f.close()


def test_doctor_rotates_to_second_key_from_file():
    f = Fake(keys=[GOOD])
    try:
        h.write("keys.txt", f"{BAD},{GOOD}\n")
        p = doctor({"KGAS_LLM_BASE_URL": f.url, "KGAS_LLM_KEY_FILE": "keys.txt"}, check=0)
        h.ok("ok, 2 models" in p.stdout, p.stdout)
        h.ok("llm.key_file" in p.stdout, p.stdout)
        log = f.log()
        h.eq([e["auth_ok"] for e in log], [False, True], "rotation")
    finally:
        f.close()


def test_doctor_malformed_key():
    p = doctor({"KGAS_LLM_BASE_URL": "http://127.0.0.1:1/v1",
                "KGAS_LLM_API_KEY": "sk bad key with spaces"}, check=1)
    h.ok("llm.api_key (from KGAS_LLM_API_KEY)" in p.stdout, p.stdout)
    h.ok("contains a space" in p.stdout, p.stdout)
    h.ok("bad key with" not in p.stdout + p.stderr, "key shown")


def test_doctor_key_command_and_dotenv():
    f = Fake(keys=[GOOD])
    try:
        # .env supplies the settings; a variable in the real environment wins.
        h.write(".env", f"# test\nKGAS_LLM_BASE_URL={f.url}\n"
                        f"KGAS_LLM_KEY_COMMAND=echo {GOOD}\nKGAS_LLM_MODEL=from-dotenv\n")
        p = doctor({"KGAS_LLM_MODEL": "fake-chat"}, check=0)
        h.ok("ok, 2 models" in p.stdout, p.stdout)
        h.ok("fake-chat is listed" in p.stdout, p.stdout)
        h.ok("llm.key_command" in p.stdout, p.stdout)
        h.write(".env", "not a valid line\n")
        p = doctor({}, check=2)
        h.ok(".env:1" in p.stderr, p.stderr)
    finally:
        f.close()


def test_doctor_server_down():
    p = doctor({"KGAS_LLM_BASE_URL": "http://127.0.0.1:1/v1", "KGAS_LLM_API_KEY": GOOD,
                "KGAS_LLM_RETRIES": "0"}, check=1)
    h.ok("FAILED" in p.stdout and "connect" in p.stdout.lower(), p.stdout)


def test_doctor_help_and_usage():
    p = h.run("doctor", "--help", check=0)
    h.ok("GET {base_url}/models" in p.stdout, p.stdout)
    h.run("doctor", "--bogus", check=2)


if __name__ == "__main__":
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    sys.exit(h.main(tests))
