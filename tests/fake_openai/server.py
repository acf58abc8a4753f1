#!/usr/bin/env python3
"""A fake OpenAI-compatible API server for kgas's tests.

Serves /chat/completions, /embeddings and /models (with or without a /v1
prefix) in the real wire format on 127.0.0.1.  Tests steer it through a
control endpoint:

  POST /_control {"script": [STEP, ...], "keys": [...], "reset": true}
      STEP is applied to the next API request, in order; when the script is
      used up, requests are answered normally.  A STEP is an object:
        {"do": "ok"}                     normal answer
        {"do": "slow", "delay": 2.0}     answer after a delay
        {"do": "status", "code": 429, "headers": {"Retry-After": "1"},
         "message": "..."}               an error status with an OpenAI error body
        {"do": "malformed"}              200 with a body that is not JSON
        {"do": "truncated"}              chat: content cut short, finish_reason "length"
        {"do": "fenced"}                 chat: content in a ```json fence with a trailing comma
        {"do": "drop"}                   close the connection without answering
        {"do": "cut"}                    200 headers promising a body, half of it, then close
  GET /_log      every API request: {"t": monotonic seconds, "path", "body",
                 "auth_ok", "status", "key_index"} (key_index: which of "keys"
                 the request carried, -1 for none of them; never the key)
  "keys": the bearer keys accepted (an empty list accepts any); a request
  with another key gets 401.
  "fail_rate": 0.3 (with "fail_code", default 500, and "seed"): once the
  script is used up, that share of API requests, drawn at random, gets the
  error status; 1.0 fails them all, 0 turns it off.
  "chat_content": the JSON object chat completions answer with (default:
  one PERSON entity, Maria Keller).
  "latency": seconds added to every API request (default 0), like a real
  server's processing time.
  "embed_dim": N > 0 makes /embeddings answer with an N-dimensional hashed
  bag of the input's lower-cased words (deterministic, depends on the text
  only, so texts sharing words are near); 0 (default) answers
  [len(text), index, 0.5].

Startup: server.py [--keys k1,k2] [--port-file FILE]; the port it listens
on is printed on stdout (first line) and written to FILE.
"""
import argparse
import json
import random
import re
import socket
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"script": [], "keys": [], "log": [], "fail_rate": 0.0, "fail_code": 500,
         "rng": random.Random(1), "chat": None, "latency": 0.0, "embed_dim": 0}

CHAT_CONTENT = {"entities": [{"name": "Maria Keller", "type": "PERSON",
                              "quote": "Maria Keller", "confidence": 0.9}],
                "relationships": []}


def openai_error(message, typ="invalid_request_error", code=None):
    return {"error": {"message": message, "type": typ, "param": None, "code": code}}


def bag_of_words(text, dim):
    """Counts of the text's lower-cased words hashed (crc32) into dim slots."""
    v = [0.0] * dim
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        v[zlib.crc32(w.encode()) % dim] += 1.0
    return v


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):  # quiet
        pass

    def _send(self, code, obj=None, raw=None, headers=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        if self.path == "/_log":
            with LOCK:
                self._send(200, STATE["log"])
            return
        self._api(None)

    def do_POST(self):
        raw = self._body()
        if self.path == "/_control":
            ctl = json.loads(raw or b"{}")
            with LOCK:
                if ctl.get("reset"):
                    STATE["log"] = []
                    STATE["script"] = []
                if "script" in ctl:
                    STATE["script"] = list(ctl["script"])
                if "keys" in ctl:
                    STATE["keys"] = list(ctl["keys"])
                if "fail_rate" in ctl:
                    STATE["fail_rate"] = float(ctl["fail_rate"])
                    STATE["fail_code"] = int(ctl.get("fail_code", 500))
                    STATE["rng"] = random.Random(ctl.get("seed", 1))
                if "chat_content" in ctl:
                    STATE["chat"] = ctl["chat_content"]
                if "latency" in ctl:
                    STATE["latency"] = float(ctl["latency"])
                if "embed_dim" in ctl:
                    STATE["embed_dim"] = int(ctl["embed_dim"])
            self._send(200, {"ok": True})
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self._api(body)

    def _api(self, body):
        path = self.path[3:] if self.path.startswith("/v1/") else self.path
        auth = self.headers.get("Authorization", "")
        key = auth[7:] if auth.startswith("Bearer ") else ""
        with LOCK:
            step = STATE["script"].pop(0) if STATE["script"] else {"do": "ok"}
            if (step["do"] == "ok" and STATE["fail_rate"] > 0
                    and STATE["rng"].random() < STATE["fail_rate"]):
                step = {"do": "status", "code": STATE["fail_code"]}
            chat = STATE["chat"] or CHAT_CONTENT
            latency = STATE["latency"]
            embed_dim = STATE["embed_dim"]
            auth_ok = not STATE["keys"] or key in STATE["keys"]
            entry = {"t": time.monotonic(), "path": path, "body": body, "auth_ok": auth_ok,
                     "do": step.get("do"),
                     "key_index": STATE["keys"].index(key) if key in STATE["keys"] else -1}
            STATE["log"].append(entry)
        if not auth_ok:
            entry["status"] = 401
            self._send(401, openai_error("Incorrect API key provided.", "invalid_request_error",
                                         "invalid_api_key"))
            return
        do = step.get("do", "ok")
        if latency > 0:
            time.sleep(latency)
        if do == "drop":
            entry["status"] = 0
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True
            return
        if do == "cut":
            entry["status"] = 0
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"choices": [')
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if do == "slow":
            time.sleep(float(step.get("delay", 2.0)))
        if do == "status":
            code = int(step.get("code", 500))
            entry["status"] = code
            self._send(code, openai_error(step.get("message", f"fake error {code}")),
                       headers=step.get("headers"))
            return
        if do == "malformed":
            entry["status"] = 200
            self._send(200, raw=b'{"choices": [ this is not json')
            return
        entry["status"] = 200
        if path == "/models":
            self._send(200, {"object": "list", "data": [
                {"id": "fake-chat", "object": "model", "owned_by": "test"},
                {"id": "fake-embed", "object": "model", "owned_by": "test"}]})
        elif path == "/embeddings":
            inputs = (body or {}).get("input", [])
            if isinstance(inputs, str):
                inputs = [inputs]
            data = [{"object": "embedding", "index": i,
                     "embedding": (bag_of_words(s, embed_dim) if embed_dim > 0
                                   else [float(len(s)), float(i), 0.5])}
                    for i, s in enumerate(inputs)]
            self._send(200, {"object": "list", "data": data, "model": (body or {}).get("model"),
                             "usage": {"prompt_tokens": len(inputs), "total_tokens": len(inputs)}})
        elif path == "/chat/completions":
            content = json.dumps(chat)
            finish = "stop"
            if do == "truncated":
                content = content[: len(content) // 2]
                finish = "length"
            elif do == "fenced":
                content = ("Here is the JSON you asked for:\n```json\n"
                           + content[:-1] + ",}\n```\n")
            self._send(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                "model": (body or {}).get("model"),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": finish}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}})
        else:
            entry["status"] = 404
            self._send(404, openai_error(f"Unknown path {path}"))


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client killed mid-answer (the kill -9 tests) is expected.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", default="")
    ap.add_argument("--port-file")
    a = ap.parse_args()
    STATE["keys"] = [k for k in a.keys.split(",") if k]
    Server.daemon_threads = True
    Server.request_queue_size = 256
    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(port))
        import os
        os.rename(a.port_file + ".tmp", a.port_file)
    print(port, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
