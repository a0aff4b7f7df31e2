"""A SAML 2.0 identity provider for the browser tests, made with pysaml2
(PyPI), which signs with xmlsec1 (Debian). It serves its metadata at
/metadata, takes Stint's AuthnRequest at /sso (HTTP-Redirect binding),
shows a sign-in form that asks only for an email address (and which
signature algorithm to use: RSA-SHA256, or the legacy RSA-SHA1 that Stint
refuses), and posts a
Response with a signed assertion back to the assertion consumer service
the request names (HTTP-POST binding, pysaml2's own auto-posting page).

    python saml_idp.py PORT SP_METADATA_URL KEY_FILE CERT_FILE

Prints READY once it listens on 127.0.0.1:PORT.
"""

import html
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

port, sp_metadata_url, key_file, cert_file = sys.argv[1:5]
base = f"http://127.0.0.1:{port}"
sp_metadata = urllib.request.urlopen(sp_metadata_url, timeout=10).read().decode()

config = IdPConfig()
config.load(
    {
        "entityid": f"{base}/metadata",
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)],
                },
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
                    },
                },
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
            },
        },
        "key_file": key_file,
        "cert_file": cert_file,
        "metadata": {"inline": [sp_metadata]},
        "xmlsec_binary": "/usr/bin/xmlsec1",
    }
)
idp = Server(config=config)
pending = {}


class Handler(BaseHTTPRequestHandler):
    def send(self, status, body, ctype="text/html; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/metadata":
            self.send(200, create_metadata_string(None, config=config, sign=False).decode(), "application/samlmetadata+xml")
            return
        if url.path != "/sso":
            self.send(404, "not found")
            return
        q = parse_qs(url.query)
        try:
            req = idp.parse_authn_request(q["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        except Exception as e:  # noqa: BLE001 (shown to the tester)
            self.send(400, f"bad request: {html.escape(str(e))}")
            return
        pending[req.message.id] = (req.message, q.get("RelayState", [""])[0])
        self.send(
            200,
            f"""<!doctype html><html lang="en"><title>Test IdP</title>
<h1>Test identity provider</h1>
<form method="post" action="/login">
<input type="hidden" name="request" value="{html.escape(req.message.id)}">
<label for="email">Email</label> <input id="email" name="email" type="email">
<label for="name">Name</label> <input id="name" name="name" type="text">
<label for="alg">Signature</label> <select id="alg" name="alg"><option value="sha256">RSA-SHA256</option><option value="sha1">RSA-SHA1 (legacy)</option></select>
<button>Sign in</button></form>""",
        )

    def do_POST(self):
        if self.path != "/login":
            self.send(404, "not found")
            return
        n = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(n).decode())
        message, relay = pending.pop(form["request"][0])
        email = form["email"][0]
        name = form.get("name", [email])[0]
        response = idp.create_authn_response(
            identity={"mail": [email], "displayName": [name]},
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            userid=email,
            sign_assertion=True,
            sign_response=False,
            sign_alg=SIG_RSA_SHA1 if form.get("alg") == ["sha1"] else SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA1 if form.get("alg") == ["sha1"] else DIGEST_SHA256,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        )
        http = idp.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            message.assertion_consumer_service_url,
            relay,
            response=True,
        )
        self.send(200, http["data"])

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
print("READY", flush=True)
server.serve_forever()
