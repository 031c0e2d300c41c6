"""`kbgen notify`: each owner's digest of what is new, delivered reliably.

targets.py reads the `notify` option; digest.py decides what is new for each target;
outbox.py keeps digests in the store until they are delivered (one idempotency key per
digest, leases, backoff); formats.py renders them (JSON, Slack mrkdwn, email) with the
customers' words inert; delivery.py sends them (HTTP POST with an HMAC-SHA256 signature,
SMTP). run.py ties them together for the command.
"""
