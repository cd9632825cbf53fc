"""The User-Agent for sites whose firewalls turn away anything that does not look like a browser.

fcc.gov, meti.go.jp and mofcom.gov.cn are reported to answer non-browser
clients with a challenge page (SOURCES_LIVE §6-§8, §12); OFAC's WAF is reported to
pass a UA that starts "Mozilla/<digit>" and is at least 40 characters long.
Spiders that need it set it in their `custom_settings`.
"""

BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
