"""The U.S. Federal Register: the documents API, the public-inspection desk, and NIST's CHIPS programme
(Federal Register documents narrowed to CHIPS, plus NIST's CHIPS news)."""
