"""The digest: subscriptions, and one email per subscriber with what changed since their last one.

`subscriptions` and `log` (the sent log) are the digest's tables in the private database (`tables`);
`exposure` reads the alerts, `compose` builds a subscriber's four sections from exactly what
`store.changes.changes_in` returns, `render` makes the email (Jinja2 templates in `templates/`,
CSS inlined), `send` hands it to SMTP or writes `.eml` files, and `run` does it for every
subscriber, exactly once. `links` builds the site links; `safe_url` keeps scraped URLs to http(s).
"""
