"""Sending one digest to one target: an HTTP POST or an e-mail. Raises `DeliveryError`
with the cause; never anything else.

Webhook requests are signed like GitHub's: header `X-Kbgen-Signature-256: sha256=<hex>`,
the HMAC-SHA256 of the exact request body with the target's `secret`. They also carry
`Idempotency-Key` (the digest's key, the same on every retry) and `X-Kbgen-Delivery`.
E-mail goes over SMTP from `$KBGEN_SMTP_URL`:
`smtp://[user:password@]host[:port][?from=kbgen@example.com]` (STARTTLS when the server
offers it), or `smtps://` for TLS from the start.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kbgen.notify import formats
from kbgen.notify.targets import Target

SIGNATURE_HEADER = "X-Kbgen-Signature-256"
SMTP_ENV = "KBGEN_SMTP_URL"
DEFAULT_FROM = "kbgen@localhost"


class DeliveryError(Exception):
    """Not delivered; the message says why (shown and stored, never a secret)."""


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send(target: Target, body: dict[str, Any]) -> None:
    try:
        if target.kind == "email":
            send_email(target, body)
        else:
            payload = formats.as_slack(body) if target.kind == "slack" else formats.as_json(body)
            post(target, payload, body["key"])
    except DeliveryError:
        raise
    except Exception as exc:  # any other failure is still only this delivery's failure
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None


def post(target: Target, payload: bytes, key: str) -> None:
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "kbgen-notify",
               "Idempotency-Key": key, "X-Kbgen-Delivery": key}
    if target.secret:
        headers[SIGNATURE_HEADER] = sign(target.secret, payload)
    request = urllib.request.Request(target.address, data=payload, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=target.timeout) as response:
            response.read(65536)
    except urllib.error.HTTPError as exc:
        with exc:
            raise DeliveryError(f"the receiver answered HTTP {exc.code}") from None
    except TimeoutError:
        raise DeliveryError(f"no answer within {target.timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise DeliveryError(f"no answer within {target.timeout:g} s") from None
        raise DeliveryError(f"cannot reach the receiver ({reason})") from None


def send_email(target: Target, body: dict[str, Any]) -> None:
    url = os.environ.get(SMTP_ENV)
    if not url:
        raise DeliveryError(f"${SMTP_ENV} is not set. Fix: export {SMTP_ENV}="
                            "smtp://user:password@host:587?from=kbgen@example.com")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise DeliveryError(f"${SMTP_ENV} must be smtp://host[:port] or smtps://host[:port]")
    sender = parse_qs(parts.query).get("from", [DEFAULT_FROM])[0]
    message = EmailMessage()
    message["Subject"] = f"{body['site_name']}: {formats.summary(body)}"
    message["From"] = sender
    message["To"] = target.address
    message["Message-ID"] = f"<{body['key']}@kbgen>"  # the same on every retry
    message.set_content(formats.as_text(body))
    message.add_alternative(formats.as_html(body), subtype="html")
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    try:
        client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with client_class(parts.hostname, port, timeout=target.timeout) as client:
            if parts.scheme == "smtp":
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = ", ".join(f"{code} {text.decode(errors='replace')}"
                          for code, text in exc.recipients.values())
        raise DeliveryError(f"the SMTP server refused the recipient ({codes})") from None
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        raise DeliveryError(f"the SMTP server refused: {exc.smtp_code} {text}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"cannot send through {parts.hostname}:{port} ({exc})") from None
