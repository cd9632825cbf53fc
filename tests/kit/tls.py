"""An HTTPS server on 127.0.0.1 that plays a legacy TLS server: TLS 1.2 without RFC 5746 secure renegotiation.

OpenSSL 3 clients refuse such a server unless they set OP_LEGACY_SERVER_CONNECT
("unsafe legacy renegotiation disabled"); OpenSanctions enables that option for
scsanctions.un.org (reported). The server is tlslite-ng (pure Python), with the
renegotiation_info extension of its ServerHello left out.
"""

from __future__ import annotations

import datetime
import http.server
import socketserver
import threading
import warnings
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

with warnings.catch_warnings():  # tlslite's package also loads its asyncore mixin, which we do not use
    warnings.simplefilter("ignore", DeprecationWarning)
    import tlslite.tlsconnection
    from tlslite.extensions import TLSExtension
    from tlslite.handshakesettings import HandshakeSettings
    from tlslite.integration.tlssocketservermixin import TLSSocketServerMixIn
    from tlslite.utils.keyfactory import parsePEMKey
    from tlslite.x509certchain import X509CertChain


class _NoRenegotiationInfo(TLSExtension):
    """Stands in for the renegotiation_info extension and writes nothing: the server never announces RFC 5746."""

    def create(self, *args):
        return self

    def write(self):
        return bytearray()


def _certificate():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    chain = X509CertChain()
    chain.parsePemList(cert.public_bytes(serialization.Encoding.PEM).decode())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return chain, parsePEMKey(pem.decode(), private=True)


def serve_legacy_tls(files: dict[str, Path]):
    """Serve `files` (URL path -> file) over legacy TLS; returns (base URL, server). Shut the server down after."""
    tlslite.tlsconnection.RenegotiationInfoExtension = _NoRenegotiationInfo
    chain, key = _certificate()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = files.get(self.path)
            body = path.read_bytes() if path else b"not here"
            self.send_response(200 if path else 404)
            self.send_header("Content-Type", "application/xml" if path else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(socketserver.ThreadingMixIn, TLSSocketServerMixIn, http.server.HTTPServer):
        daemon_threads = True

        def handshake(self, connection):
            settings = HandshakeSettings()
            settings.maxVersion = (3, 3)  # TLS 1.2: renegotiation, and RFC 5746, do not exist in TLS 1.3
            try:
                connection.handshakeServer(certChain=chain, privateKey=key, settings=settings)
            except Exception:  # a client that refuses the server: what one test expects
                return False
            return True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"https://127.0.0.1:{server.server_address[1]}", server
