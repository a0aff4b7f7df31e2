"""An LTI 1.3 platform for the browser tests, made with lti1p3platform
(PyPI), which signs launches with PyJWT (RS256) and publishes its key with
jwcrypto. It stands for a university's learning platform: Stint is
registered in it as a tool (client id `stint-e2e`, deployment `dep-e2e`).

    python lti_platform.py PORT STINT_BASE LOGIN_URL

LOGIN_URL is the university's login initiation URL on Stint.

- GET /launch?email=&name=&role=Instructor|Learner&course=&title=
  starts a launch from the course as that person: the library's OIDC
  login initiation sends the browser to Stint's LOGIN_URL.
- GET /auth is the authentication request URL Stint redirects to: the
  library checks Stint's request (state, nonce, redirect_uri, client_id),
  signs the launch and this page posts it to Stint by itself.
- GET /jwks is the platform's public key set.

Prints READY once it listens on 127.0.0.1:PORT.
"""

import html
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import MessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

port, stint, login_url = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
base = f"http://127.0.0.1:{port}"
CLIENT_ID = "stint-e2e"
DEPLOYMENT_ID = "dep-e2e"

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
private_pem = key.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption(),
).decode()
public_pem = key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
).decode()


class Platform(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs):
        self._registration = (
            Registration()
            .set_iss(base)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_oidc_login_url(login_url)
            .set_launch_url(f"{stint}/lti/launch")
            .set_platform_public_key(public_pem)
            .set_platform_private_key(private_pem)
            .set_tool_key_set_url(f"{stint}/lti/jwks")
        )

    def get_registration_by_params(self, **kwargs):
        return self._registration


platform = Platform()
# Who is launching, by the login hint the platform gave Stint.
people = {}


class HttpRequest(Request):
    def build_metadata(self, request):
        return request


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return url


class Launch(MessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(launch_data[name])}">'
            for name in ("id_token", "state")
        )
        return (
            "<!doctype html><html lang=en><head><title>Course</title></head>"
            "<body onload=\"document.forms[0].submit()\">"
            f'<form method="post" action="{html.escape(launch_data["launch_url"])}">{fields}'
            "<button>Open Stint</button></form></body></html>"
        )


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="text/html; charset=utf-8", location=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/jwks":
            self.answer(200, json.dumps(platform.get_jwks()), "application/json")
        elif url.path == "/launch":
            hint = f"user-{len(people) + 1}"
            people[hint] = query
            login = Login(HttpRequest({"get_data": {}, "form_data": {}}), platform)
            login.set_lti_message_hint(hint=hint)
            self.answer(302, "", location=login.initiate_login(hint))
        elif url.path == "/auth":
            person = people.get(query.get("login_hint", ""))
            if person is None:
                self.answer(400, "no launch for this login hint")
                return
            launch = Launch(HttpRequest({"get_data": query, "form_data": {}}), platform)
            role = person.get("role", "Learner")
            launch.set_user_data(
                user_id=f"sub-{person['email']}",
                lis_roles=[f"http://purl.imsglobal.org/vocab/lis/v2/membership#{role}"],
                full_name=person.get("name"),
                email_address=person["email"],
            )
            launch.set_resource_link_claim("link-1", title="Stint")
            launch.set_launch_context_claim(
                f"ctx-{person['course']}",
                context_types=["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
                context_title=person.get("title"),
                context_label=person["course"],
            )
            try:
                self.answer(200, launch.lti_launch())
            except Exception as e:  # the library refuses a bad request from Stint
                self.answer(400, f"the tool's authentication request was refused: {e!r}")
        else:
            self.answer(404, "not found")


server = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
print("READY", flush=True)
server.serve_forever()
