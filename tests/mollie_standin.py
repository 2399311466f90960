"""A local stand-in for the Mollie payments API, for tests of the real client.

It serves `POST /v2/payments` and `GET /v2/payments/<id>` on 127.0.0.1 (a free
port) in a thread, answering with the JSON the Mollie API gives, close
enough for mollie-api-python 4.0.0: a payment resource with `id` (tr_…),
`status`, `amount`, `description`, `metadata`, `_links.checkout.href`; an
error object with `status`, `title` and `detail` (404 for an unknown id, 401
for a bad key, 422 for an invalid request). Nothing leaves the machine.

    with MollieStandIn() as mollie:
        settings.MOLLIE_API_ENDPOINT = mollie.url
        ...
        mollie.set_status("tr_…", "paid")

`MollieStandIn(api_key="test_…")` accepts that key only (401 for another).
`requests` records every request (method, path, headers, JSON body);
`broken = True` makes every call answer 503, as Mollie does in an outage.
"""

import json
import re
import secrets
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

STATUSES = {"open", "pending", "authorized", "paid", "canceled", "expired", "failed"}
AMOUNT_VALUE = re.compile(r"^\d+\.\d{2}$")
DOCS = {"documentation": {"href": "https://docs.mollie.com/overview/handling-errors", "type": "text/html"}}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class MollieStandIn:
    def __init__(self, api_key: str = ""):
        #: When set, only this key is accepted (else any test_… or live_… key).
        self.api_key = api_key
        self.payments: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.broken = False
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    # --- for the test ---------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "MollieStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def set_status(self, payment_id: str, status: str) -> None:
        """What the bank did: the next GET of this payment tells it."""
        if status not in STATUSES:
            raise ValueError(status)
        with self._lock:
            payment = self.payments[payment_id]
            payment["status"] = status
            if status in ("paid", "canceled", "expired", "failed"):
                payment[f"{status}At"] = _now()

    def calls(self, method: str, path_prefix: str = "/v2/payments") -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]

    # --- the API --------------------------------------------------------------------------

    def _resource(self, payment: dict) -> dict:
        body = {key: value for key, value in payment.items()}
        links = {
            "self": {"href": f"{self.url}/v2/payments/{payment['id']}", "type": "application/hal+json"},
            "dashboard": {"href": f"{self.url}/dashboard/payments/{payment['id']}", "type": "text/html"},
            "documentation": {
                "href": "https://docs.mollie.com/reference/v2/payments-api/get-payment",
                "type": "text/html",
            },
        }
        if payment["status"] == "open":
            links["checkout"] = {
                "href": f"{self.url}/checkout/select-issuer/ideal/{payment['id'][3:]}",
                "type": "text/html",
            }
        body["isCancelable"] = payment["status"] == "open"
        if payment["status"] == "paid":
            value = payment["amount"]["value"]
            body["amountRefunded"] = {"currency": "EUR", "value": "0.00"}
            body["amountRemaining"] = {"currency": "EUR", "value": value}
            body["settlementAmount"] = {"currency": "EUR", "value": value}
        body["_links"] = links
        return body

    def _create(self, data: dict) -> tuple[int, dict]:
        amount = data.get("amount")
        if (
            not isinstance(amount, dict)
            or amount.get("currency") != "EUR"
            or not AMOUNT_VALUE.match(str(amount.get("value", "")))
            or float(amount["value"]) < 0.01
        ):
            return 422, self._error(422, "The amount is invalid", field="amount")
        if not data.get("description"):
            return 422, self._error(422, "The description is invalid", field="description")
        if not str(data.get("redirectUrl", "")).startswith(("http://", "https://")):
            return 422, self._error(422, "The redirect URL is invalid", field="redirectUrl")
        webhook = data.get("webhookUrl")
        if webhook is not None:
            host = urlparse(webhook).hostname or ""
            if not webhook.startswith(("http://", "https://")) or host in ("localhost", "127.0.0.1", "::1"):
                return 422, self._error(
                    422,
                    "The webhook URL is invalid because it is unreachable from Mollie's point of view",
                    field="webhookUrl",
                )
        payment_id = "tr_" + secrets.token_urlsafe(8).replace("-", "a").replace("_", "b")[:10]
        created = datetime.now(UTC)
        payment = {
            "resource": "payment",
            "id": payment_id,
            "mode": "test",
            "createdAt": created.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "expiresAt": (created + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "status": "open",
            "amount": {"currency": "EUR", "value": amount["value"]},
            "description": data["description"],
            "method": data.get("method"),
            "metadata": data.get("metadata"),
            "profileId": "pfl_standin",
            "sequenceType": "oneoff",
            "redirectUrl": data["redirectUrl"],
        }
        if webhook is not None:
            payment["webhookUrl"] = webhook
        with self._lock:
            self.payments[payment_id] = payment
        return 201, self._resource(payment)

    def _get(self, payment_id: str) -> tuple[int, dict]:
        with self._lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                return 404, self._error(404, f"No payment exists with token {payment_id}.", title="Not Found")
            return 200, self._resource(payment)

    @staticmethod
    def _error(status: int, detail: str, *, title: str = "Unprocessable Entity", field: str = "") -> dict:
        body = {"status": status, "title": title, "detail": detail, "_links": DOCS}
        if field:
            body["field"] = field
        return body

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/hal+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self, body) -> None:
                standin.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "json": body}
                )

            def _authorized(self) -> bool:
                header = self.headers.get("Authorization", "")
                if standin.api_key and header == f"Bearer {standin.api_key}":
                    return True
                if not standin.api_key and re.match(r"^Bearer (test|live)_\w+$", header):
                    return True
                self._answer(
                    401,
                    standin._error(
                        401, "Missing authentication, or failed to authenticate", title="Unauthorized Request"
                    ),
                )
                return False

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = None
                self._record(body)
                if standin.broken:
                    return self._answer(
                        503, standin._error(503, "Service unavailable", title="Service Unavailable")
                    )
                if not self._authorized():
                    return None
                if self.path.rstrip("/") != "/v2/payments":
                    return self._answer(404, standin._error(404, "Unknown endpoint", title="Not Found"))
                if not isinstance(body, dict):
                    return self._answer(400, standin._error(400, "Invalid JSON", title="Bad Request"))
                return self._answer(*standin._create(body))

            def do_GET(self):
                self._record(None)
                if standin.broken:
                    return self._answer(
                        503, standin._error(503, "Service unavailable", title="Service Unavailable")
                    )
                if not self._authorized():
                    return None
                match = re.fullmatch(r"/v2/payments/([A-Za-z0-9_]+)", urlparse(self.path).path)
                if not match:
                    return self._answer(404, standin._error(404, "Unknown endpoint", title="Not Found"))
                return self._answer(*standin._get(match.group(1)))

        return Handler
