"""The digest: subscriptions, and one email per subscriber with what changed since their last one.

`subscriptions` and `log` (the sent log) read and write the digest's tables in the private database
(its migration m005); `exposure` reads the alerts per counterparty (`alerts.alert_groups`), `compose`
builds a subscriber's four sections from exactly what `store.changes.changes_in` returns, `render`
makes the email (Jinja2 templates in `templates/`, CSS inlined), `send` hands it to SMTP or writes
`.eml` files, and `run` does it for every subscriber, exactly once. `links` points each item at its
page on the site; scraped URLs become links only through `pipeline.links.safe_url`.
"""
