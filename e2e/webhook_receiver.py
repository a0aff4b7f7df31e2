"""A webhook receiver for the browser tests, verifying with the Standard
Webhooks reference library for Python (`standardwebhooks` from PyPI), not
with Stint's own code.

    python webhook_receiver.py PORT

POST /secret       sets the secret (the body, `whsec_...`) messages are checked with
POST /any/path     a message: 204 when the library verifies it, 401 otherwise
GET  /log          every message received, as JSON
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

lock = threading.Lock()
state = {"secret": None, "log": []}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/log":
            return self._answer(404)
        with lock:
            body = json.dumps(state["log"]).encode()
        self._answer(200, body)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/secret":
            with lock:
                state["secret"] = raw.decode().strip()
            return self._answer(204)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with lock:
            secret = state["secret"]
        verified, error = False, "no secret set"
        if secret:
            try:
                Webhook(secret).verify(raw, headers)
                verified, error = True, None
            except WebhookVerificationError as e:
                error = str(e)
        try:
            kind = json.loads(raw).get("type")
        except ValueError:
            kind = None
        with lock:
            state["log"].append({
                "path": self.path,
                "id": headers.get("webhook-id"),
                "signatures": len(headers.get("webhook-signature", "").split()),
                "type": kind,
                "verified": verified,
                "error": error,
            })
        self._answer(204 if verified else 401, b"" if verified else (error or "").encode())


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", flush=True)
    server.serve_forever()
