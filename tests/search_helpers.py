"""A small help center of SearchDocs for the search tests."""

from __future__ import annotations

from kbgen.search import FaqQuestion, SearchDoc


def fixture_docs() -> list[SearchDoc]:
    return [
        SearchDoc(
            id="reset-password", title="Reset your password", url="account/reset-password/",
            description="Get a reset link by email and choose a new password.",
            keywords=["forgot password", "locked out"], category="account",
            headings=["Request a reset link", "Choose a new password"],
            body="Open the sign-in page and click Forgot password. We email you a link "
                 "that works for one hour. Choose a new password of at least 12 characters.",
        ),
        SearchDoc(
            id="security-overview", title="How we keep your data safe", url="account/security/",
            description="Encryption, backups and access controls.", category="account",
            body="All data is encrypted. Staff never see your password. If you need to reset "
                 "a password for a team member, an admin can do it from Team settings. "
                 "Backups run every night and are kept for thirty days.",
        ),
        SearchDoc(
            id="payment-reminders", title="Send automatic payment reminders",
            url="invoices/payment-reminders/",
            description="Remind clients before and after an invoice is due.",
            keywords=["dunning", "chase payment", "overdue invoice"], category="invoices",
            body="Turn on reminders in Settings and pick when they are sent: three days "
                 "before the due date, on the due date and every week after.",
        ),
        SearchDoc(
            id="send-an-invoice", title="Create and send an invoice",
            url="invoices/send-an-invoice/",
            description="Make an invoice from a template and email it to a client.",
            keywords=["bill a client"], category="invoices",
            body="Click New invoice, choose the client, add line items and taxes, then Send. "
                 "The client gets an email with a link to view and pay the invoice.",
        ),
        SearchDoc(
            id="billing-faq", title="Plans and billing FAQ", url="billing/billing-faq/",
            description="Answers about trials, refunds and charges.", type="faq",
            category="billing",
            headings=["Why was I charged twice?", "Can I pause my subscription?"],
            body="Why was I charged twice? A pending authorisation can look like a second "
                 "charge; it disappears within five days. Can I pause my subscription? Yes, "
                 "for up to three months from the Billing page.",
            faq=[
                FaqQuestion("Why was I charged twice?", "why-was-i-charged-twice",
                            "A pending authorisation can look like a second charge; it "
                            "disappears within five days."),
                FaqQuestion("Can I pause my subscription?", "can-i-pause-my-subscription",
                            "Yes, for up to three months from the Billing page."),
            ],
        ),
        SearchDoc(
            id="mileage-tracking", title="Track mileage for business trips",
            url="expenses/mileage-tracking/",
            description="Log trips and claim the standard mileage rate.", category="expenses",
            body="Add a trip with its start and end, and Pennant works out the distance and "
                 "the amount you can claim for the vehicle.",
        ),
    ]
